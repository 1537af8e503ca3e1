"""Security hardening outside the cogs (issue 22): private files, the token's destination,
log redaction and the database's deletion settings. The audit chain, backup and restore:
tests/test_audit_chain.py."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from bot.cli import main
from bot.config import Settings
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.files import permission_problems
from bot.keys import ProgramKey, load_program_key
from bot.logsetup import JsonFormatter, PlainFormatter, RedactingFormatter
from tests.security_helpers import ROOT, audit_rows, db_config, iopbot, migrated, mode

# ----- item 1: files are private --------------------------------------------------------


def test_database_and_backup_are_created_private_under_umask_022(tmp_path):
    db = tmp_path / "iop.sqlite3"
    config = db_config(tmp_path, db)
    assert iopbot("migrate", "--config", str(config)).returncode == 0
    assert mode(db) == 0o600
    backup = tmp_path / "backup.sqlite3"
    result = iopbot("backup", str(backup), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert mode(backup) == 0o600
    restored = tmp_path / "restored.sqlite3"
    result = iopbot("restore", str(backup), "--config", str(db_config(tmp_path, restored)))
    assert result.returncode == 0, result.stderr
    assert mode(restored) == 0o600
    assert permission_problems([db, backup, restored]) == []


async def test_opening_a_too_open_database_makes_it_private(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    assert permission_problems([path]) and "chmod 600" in permission_problems([path])[0]
    db = Database(path)
    await db.connect()
    try:
        for suffix in ("", "-wal", "-shm"):
            made = path.with_name(path.name + suffix)
            if made.exists():
                assert mode(made) == 0o600, suffix
    finally:
        await db.close()


async def test_start_up_warns_about_a_key_file_others_can_read(tmp_path, caplog):
    from bot.app import create_bot

    settings = Settings(database={"path": str(tmp_path / "iop.sqlite3")})
    bot = create_bot(settings)
    await bot.db.connect()
    try:
        await migrate(bot.db)
        load_program_key(settings)
        key_file = tmp_path / "iop.sqlite3.key"
        assert mode(key_file) == 0o600
        key_file.chmod(0o644)
        caplog.set_level(logging.WARNING, logger="iopbot.app")
        bot._check_files()
        await audit_rows(bot.db, 2)
        assert await bot.check_audit_chain() == []
        raw = sqlite3.connect(tmp_path / "iop.sqlite3")
        raw.execute("DROP TRIGGER audit_log_append_only")
        raw.execute("UPDATE audit_log SET actor_id = 7 WHERE id = 1")
        raw.commit()
        raw.close()
        assert len(await bot.check_audit_chain()) == 1
    finally:
        await bot.db.close()
    warnings = [r for r in caplog.records if r.getMessage() == "files.too_open"]
    assert len(warnings) == 1 and str(key_file) in warnings[0].problem
    broken = [r for r in caplog.records if r.getMessage() == "audit.chain_broken"]
    assert len(broken) == 1 and "audit_log row 1" in broken[0].problem


def test_the_program_key_comes_from_the_environment_or_a_private_file(tmp_path):
    settings = Settings(database={"path": str(tmp_path / "a.sqlite3")})
    first = load_program_key(settings)
    again = load_program_key(settings)
    assert first.code_digest("ABCD2345") == again.code_digest("ABCD2345")
    other = ProgramKey.generate()
    assert other.code_digest("ABCD2345") != first.code_digest("ABCD2345")
    assert first.pseudonym(42) == again.pseudonym(42) != other.pseudonym(42)
    assert "42" not in first.pseudonym(42)[2:] or first.pseudonym(42) != "p-42"
    configured = Settings(
        database={"path": str(tmp_path / "b.sqlite3")}, security={"key": "ab" * 32}
    )
    assert load_program_key(configured).code_digest("X") == ProgramKey(
        bytes.fromhex("ab" * 32)
    ).code_digest("X")
    assert not (tmp_path / "b.sqlite3.key").exists()


# ----- item 3: a real token never goes to a configured api_base -------------------------


@pytest.mark.parametrize("command", ["run", "start", "sync"])
def test_a_real_token_refuses_a_configured_api_base(tmp_path, command):
    config = db_config(
        tmp_path,
        tmp_path / "iop.sqlite3",
        '[discord]\nguild_id = 1\napi_base = "http://attacker.example"\n',
    )
    result = iopbot(command, "--config", str(config), env={"IOPBOT_DISCORD__TOKEN": "real-token"})
    assert result.returncode == 2
    assert "discord.api_base" in result.stderr
    assert "real-token" not in result.stderr + result.stdout
    assert not (tmp_path / "iop.sqlite3").exists(), "nothing started"


# ----- item 13 (second part): start never falls back to the sandbox with a config --------


def test_start_with_a_config_but_no_token_exits_with_the_error(tmp_path):
    config = db_config(tmp_path, tmp_path / "iop.sqlite3")
    result = iopbot("start", "--config", str(config))
    assert result.returncode == 2
    assert "no Discord token is set" in result.stderr
    assert "IOPBOT_DISCORD__TOKEN" in result.stderr
    assert not (tmp_path / "iop.sqlite3").exists()
    # ./config.toml in the working directory counts too.
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(config, work / "config.toml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOPBOT_")}
    env["PYTHONPATH"] = str(ROOT)
    found = subprocess.run(
        [sys.executable, "-m", "bot", "start"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        timeout=60,
        check=False,
    )
    assert found.returncode == 2 and "config.toml is present" in found.stderr


# ----- item 4: the finished log line is redacted; exception messages are withheld -------


def _record(msg: str, args: tuple[object, ...] = (), exc: BaseException | None = None):
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("iopbot.x", logging.ERROR, __file__, 1, msg, args, exc_info)


def _raise(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:
        return caught


@pytest.mark.parametrize("json_format", [True, False])
def test_secrets_are_redacted_from_extra_fields_arguments_and_tracebacks(json_format):
    inner = JsonFormatter() if json_format else PlainFormatter("%(message)s %(detail)s")
    formatter = RedactingFormatter(inner, ["tok.en-123"])
    record = _record(
        "event %s", ({"header": "Bot tok.en-123"},), _raise(RuntimeError("tok.en-123"))
    )
    record.detail = "Authorization: Bot tok.en-123"
    line = formatter.format(record)
    assert "tok.en-123" not in line
    assert "[redacted]" in line


def test_exception_messages_are_withheld_but_sqlite_errors_kept():
    formatter = JsonFormatter()
    user_text = "my secret craving note"
    line = formatter.format(_record("interaction.error", exc=_raise(ValueError(user_text))))
    assert user_text not in line
    assert "ValueError" in line and "message withheld" in line
    chained = _raise(KeyError(user_text))
    try:
        raise RuntimeError("wrapped") from chained
    except RuntimeError as outer:
        line = formatter.format(_record("x", exc=outer))
    assert user_text not in line and "KeyError" in line
    conn = sqlite3.connect(":memory:")
    error = _raise_sql(conn)
    line = json.loads(formatter.format(_record("db", exc=error)))["exc"]
    assert "no such table: nowhere" in line


def _raise_sql(conn: sqlite3.Connection) -> BaseException:
    try:
        conn.execute("SELECT * FROM nowhere")
    except sqlite3.Error as error:
        return error
    raise AssertionError("the query should fail")


# ----- item 6: deleted rows leave no copy behind ----------------------------------------


async def test_secure_delete_and_a_truncating_checkpoint(tmp_path):
    path = tmp_path / "iop.sqlite3"
    db = await migrated(path)
    try:
        assert await db.fetchval("PRAGMA secure_delete") == 1
        assert await db.fetchval("PRAGMA journal_size_limit") > 0
        secret = "zebra-lantern-" * 20
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('x', ?)", (secret,))
        async with db.transaction() as tx:
            await tx.execute("DELETE FROM meta WHERE key = 'x'")
        assert await db.checkpoint()
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert secret.encode() not in path.read_bytes()
    finally:
        await db.close()


def test_a_malformed_program_key_is_refused_without_echoing_it(tmp_path, capsys):
    config = db_config(tmp_path, tmp_path / "iop.sqlite3", '[security]\nkey = "not-hex-secret"\n')
    assert main(["check-config", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "security.key" in err and "not-hex-secret" not in err


def test_link_codes_stay_at_least_eight_characters(tmp_path):
    from bot.config import ConfigError, load_settings

    config = db_config(tmp_path, tmp_path / "iop.sqlite3", "[family]\ncode_length = 7\n")
    with pytest.raises(ConfigError, match=r"family\.code_length"):
        load_settings(config)
    assert Settings().family.code_length == 8
