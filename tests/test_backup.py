"""Backups: `iopbot backup` while the real bot runs against the sandbox, then `iopbot restore`
into a fresh file gives a database with the same rows; restore refuses a live database."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest

from bot.sandbox.runner import running_sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios.demo_clients import run as enroll_clients

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


def rows_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        found = {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}  # noqa: S608
        found["PRAGMA user_version"] = [conn.execute("PRAGMA user_version").fetchone()]
    finally:
        conn.close()
    return found


async def iopbot(*args: str) -> tuple[int, str]:
    """The real `iopbot` command in its own process (the event loop keeps serving)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    return int(proc.returncode or 0), out.decode()


def config_for(path: Path, db: Path) -> Path:
    path.write_text(f'[database]\npath = "{db}"\n')
    return path


@pytest.fixture
def restore_discord_globals():
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE = old_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_backup_while_running_restores_the_same_rows(tmp_path, restore_discord_globals):
    live = tmp_path / "live.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    restored = tmp_path / "restored.sqlite3"
    live_config = config_for(tmp_path / "live.toml", live)
    async with running_sandbox(start=START, db_path=live) as sandbox:
        ctx = ScenarioContext(sandbox.emulator, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
        await enroll_clients(ctx)
        assert ctx.failures == []
        await sandbox.emulator.settle()
        before = rows_of(live)
        code, out = await iopbot("backup", str(backup), "--config", str(live_config))
        assert code == 0, out
        after = rows_of(live)
        assert sandbox.bot.is_ready() and not sandbox.bot.is_closed()
    assert before == after, "the bot wrote during the backup; the comparison would be unfair"
    copied = rows_of(backup)
    assert copied == before
    assert len(copied["clients"]) == 3 and copied["audit_log"]

    code, out = await iopbot(
        "restore", str(backup), "--config", str(config_for(tmp_path / "r.toml", restored))
    )
    assert code == 0, out
    assert rows_of(restored) == before
    print(
        f"\nbackup while running: {sum(len(v) for v in before.values())} rows in "
        f"{len(before) - 1} tables; restored copy identical"
    )


async def test_restore_refuses_an_existing_database_without_force(tmp_path):
    live = tmp_path / "live.sqlite3"
    conn = sqlite3.connect(live)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    backup = tmp_path / "b.sqlite3"
    config = config_for(tmp_path / "c.toml", live)
    assert (await iopbot("backup", str(backup), "--config", str(config)))[0] == 0
    code, out = await iopbot("restore", str(backup), "--config", str(config))
    assert code == 1 and "--force" in out


async def test_restore_refuses_while_the_bot_runs(tmp_path, restore_discord_globals):
    live = tmp_path / "live.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    config = config_for(tmp_path / "live.toml", live)
    async with running_sandbox(start=START, db_path=live) as sandbox:
        await sandbox.emulator.settle()
        assert (await iopbot("backup", str(backup), "--config", str(config)))[0] == 0
        before = rows_of(live)
        code, out = await iopbot("restore", str(backup), "--force", "--config", str(config))
        assert rows_of(live) == before
    assert code == 1, out
    assert "in use" in out
