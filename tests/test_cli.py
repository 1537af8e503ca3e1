"""The ``iopbot`` command, run as a program would be."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.toml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "start",
        "run",
        "migrate",
        "check-config",
        "sync",
        "invite-url",
        "crisis-scan",
        "sandbox",
    ):
        assert command in result.stdout


def test_check_config_example_ok_and_redacted(monkeypatch, capsys):
    monkeypatch.setenv("IOPBOT_DISCORD__TOKEN", "super-secret-token")
    assert main(["check-config", "--config", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Configuration OK" in out
    assert "redacted" in out and "super-secret-token" not in out


def test_check_config_names_the_problem(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[discord]\nbogus = 1\n[program]\ntimezone = "Nowhere/City"\n')
    assert main(["check-config", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "discord.bogus: unknown key" in err
    assert "program.timezone" in err
    assert "Traceback" not in err


def test_migrate_creates_then_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IOPBOT_DATABASE__PATH", str(tmp_path / "db.sqlite3"))
    assert main(["migrate", "--config", str(EXAMPLE)]) == 0
    assert "applied 0001_core" in capsys.readouterr().out
    assert main(["migrate", "--config", str(EXAMPLE)]) == 0
    assert "(no change)" in capsys.readouterr().out
    assert main(["migrate", "--status", "--config", str(EXAMPLE)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_run_without_token_exits_2_and_explains(monkeypatch, capsys):
    monkeypatch.delenv("IOPBOT_DISCORD__TOKEN", raising=False)
    assert main(["run", "--config", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "IOPBOT_DISCORD__TOKEN" in err
    assert "iopbot sandbox" in err


def test_invite_url_has_exactly_the_permissions_the_cogs_need(capsys):
    assert main(["invite-url", "--config", str(EXAMPLE)]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=100000000000000002")
    assert "scope=bot+applications.commands" in url
    value = int(url.split("permissions=")[1].split("&")[0])
    granted = discord.Permissions(value)
    assert granted.send_messages and granted.embed_links and granted.attach_files
    assert granted.manage_roles  # enrolling gives the Client role
    assert not granted.administrator


def test_restore_refuses_an_existing_database_without_force(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IOPBOT_DATABASE__PATH", str(tmp_path / "live.sqlite3"))
    assert main(["migrate", "--config", str(EXAMPLE)]) == 0
    assert main(["backup", str(tmp_path / "b.sqlite3"), "--config", str(EXAMPLE)]) == 0
    capsys.readouterr()
    assert main(["restore", str(tmp_path / "b.sqlite3"), "--config", str(EXAMPLE)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "b.sqlite3"), "--force", "--config", str(EXAMPLE)]) == 0


@pytest.mark.parametrize("args", [["backup", "/nonexistent/dir/x.sqlite3"]])
def test_backup_without_database_is_an_error(tmp_path, monkeypatch, args, capsys):
    monkeypatch.setenv("IOPBOT_DATABASE__PATH", str(tmp_path / "missing.sqlite3"))
    assert main([*args, "--config", str(EXAMPLE)]) == 1
