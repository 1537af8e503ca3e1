"""Security hardening outside the cogs (issue 22): private files, the token's destination,
log redaction, the database's deletion settings, the audit chain, backup and restore."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.db.database import Database
from bot.db.migrate import load_migrations, migrate
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.ledger import LedgerRepository
from bot.files import permission_problems
from bot.keys import ProgramKey, load_program_key
from bot.logsetup import JsonFormatter, PlainFormatter, RedactingFormatter

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def iopbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, started the way a shell with the usual umask 022 would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("IOPBOT_")}
    full_env.update(env or {})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.umask(0o022),
    )


def db_config(tmp_path: Path, db: Path, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n{extra}')
    return config


async def migrated(path: Path) -> Database:
    db = Database(path)
    await db.connect()
    await migrate(db)
    return db


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
        await _audit_rows(bot.db, 2)
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


# ----- item 10: the audit trail is tamper-evident ---------------------------------------


async def _audit_rows(db: Database, n: int, start: datetime = NOW) -> None:
    repo = AuditRepository(db)
    for i in range(n):
        async with db.transaction() as tx:
            await repo.add(
                tx,
                at=start + timedelta(minutes=i),
                actor_id=1,
                action="client.info",
                subject_user_id=100 + i,
                detail={"n": i},
            )


async def test_the_audit_trail_refuses_delete_and_detects_changes(tmp_path):
    path = tmp_path / "iop.sqlite3"
    db = await migrated(path)
    try:
        await _audit_rows(db, 4)
        ledger = LedgerRepository(db)
        assert await ledger.verify() == []
        with pytest.raises(sqlite3.IntegrityError, match="recorded retention purge"):
            async with db.transaction() as tx:
                await tx.execute("DELETE FROM audit_log WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.transaction() as tx:
                await tx.execute("UPDATE audit_log SET action = 'x' WHERE id = 2")
    finally:
        await db.close()
    # Someone with the file and sqlite3 drops the triggers and edits a row.
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("UPDATE audit_log SET subject_user_id = 999 WHERE id = 2")
    conn.commit()
    conn.close()
    config = db_config(tmp_path, path)
    result = iopbot("verify-audit", "--config", str(config))
    assert result.returncode == 1
    assert "audit_log row 2: hash mismatch" in result.stderr


async def test_removing_a_row_is_detected_and_the_purge_is_recorded(tmp_path):
    path = tmp_path / "iop.sqlite3"
    db = await migrated(path)
    try:
        await _audit_rows(db, 5, start=NOW - timedelta(days=10))
        async with db.transaction() as tx:
            removed = await AuditRepository(db).purge_before(
                tx, NOW - timedelta(days=10) + timedelta(minutes=2), NOW
            )
        assert removed == 2
        record = await db.fetchone("SELECT table_name, up_to_id, removed FROM ledger_purges")
        assert tuple(record) == ("audit_log", 2, 2)
        assert await LedgerRepository(db).verify() == []
        await _audit_rows(db, 1)
        assert await LedgerRepository(db).verify() == []
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute("DELETE FROM ledger_purges")
    finally:
        await db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 4")
    conn.commit()
    conn.close()
    result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
    assert result.returncode == 1 and "audit_log row 5" in result.stderr
    assert "intact" not in result.stdout


async def test_rows_from_before_the_chain_are_covered_by_the_first_hashed_row(tmp_path):
    path = tmp_path / "old.sqlite3"
    older = tmp_path / "older_migrations"
    older.mkdir()
    for migration in load_migrations():
        if migration.version <= 10:
            (older / f"{migration.version:04d}_{migration.name}.sql").write_text(migration.sql)
    db = Database(path)
    await db.connect()
    try:
        await migrate(db, older)
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO audit_log (at, actor_id, action) VALUES ('2025-01-01', 1, 'old')"
            )
        await migrate(db)
        await _audit_rows(db, 2)
        assert await LedgerRepository(db).verify() == []
        result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
        assert result.returncode == 0 and "audit_log 3 rows" in result.stdout
    finally:
        await db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("UPDATE audit_log SET action = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
    assert result.returncode == 1 and "audit_log row 2" in result.stderr


# ----- item 12: backup never follows a symlink; restore checks its source ---------------


def test_backup_refuses_a_symlink_even_a_dangling_one(tmp_path):
    db = tmp_path / "iop.sqlite3"
    config = db_config(tmp_path, db)
    assert iopbot("migrate", "--config", str(config)).returncode == 0
    elsewhere = tmp_path / "elsewhere.sqlite3"
    dangling = tmp_path / "dangling.sqlite3"
    dangling.symlink_to(elsewhere)
    result = iopbot("backup", str(dangling), "--config", str(config))
    assert result.returncode == 1 and "symlink" in result.stderr
    assert not elsewhere.exists()
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    pointing = tmp_path / "pointing.sqlite3"
    pointing.symlink_to(existing)
    assert iopbot("backup", str(pointing), "--config", str(config)).returncode == 1
    assert existing.read_text() == "keep me"


async def test_backup_to_refuses_anything_already_there(tmp_path):
    db = await migrated(tmp_path / "iop.sqlite3")
    try:
        link = tmp_path / "b.sqlite3"
        link.symlink_to(tmp_path / "target.sqlite3")
        with pytest.raises(FileExistsError):
            await db.backup_to(link)
        assert not (tmp_path / "target.sqlite3").exists()
    finally:
        await db.close()


def test_restore_refuses_a_file_that_is_not_an_iopbot_database(tmp_path):
    live = tmp_path / "live.sqlite3"
    config = db_config(tmp_path, live)
    assert iopbot("migrate", "--config", str(config)).returncode == 0
    before = live.read_bytes()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all " * 100)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    broken = tmp_path / "broken.sqlite3"
    good = tmp_path / "good.sqlite3"
    assert iopbot("backup", str(good), "--config", str(config)).returncode == 0
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page * 2, len(data), page):  # garbage cell counts on every b-tree page
        data[start + 3 : start + 5] = b"\x7f\xff"
    broken.write_bytes(bytes(data))
    for source, why in (
        (text, "not an SQLite database"),
        (other, "not an iopbot database"),
        (broken, ""),
    ):
        result = iopbot("restore", str(source), "--force", "--config", str(config))
        assert result.returncode == 1, (source, result.stdout)
        assert why in result.stderr and "nothing was changed" in result.stderr
        assert live.read_bytes() == before
    result = iopbot("restore", str(good), "--force", "--config", str(config))
    assert result.returncode == 0, result.stderr


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
