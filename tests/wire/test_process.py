"""`iopbot run` as a real process against the emulator: logs in, and SIGTERM stops it cleanly.

`iopbot run` refuses `discord.api_base`, so the process points discord.py at the emulator
first (tests/wire/run_entry.py), as `iopbot sandbox` does."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.sandbox.demo_world import seed_demo_world
from bot.sandbox.emulator import Emulator
from bot.sandbox.runner import TOKEN
from tests.wire.conftest import assert_contract_kept

ROOT = Path(__file__).resolve().parents[2]


def write_config(path: Path, emulator: Emulator, world, db_path: Path) -> None:
    path.write_text(
        "[discord]\n"
        f"guild_id = {world.guild_id}\n"
        "[roles]\n"
        f"facilitator = {world.roles['facilitator']}\n"
        f"client = {world.roles['client']}\n"
        f"family = {world.roles['family']}\n"
        f"on_call = {world.roles['on_call']}\n"
        "[channels]\n"
        f"staff_alerts = {world.channels['staff-alerts']}\n"
        f"mod_log = {world.channels['mod-log']}\n"
        "[database]\n"
        f'path = "{db_path}"\n'
        "[cogs]\n"
        'enabled = ["clients"]\n'
    )


async def wait_for(condition, limit: float = 20.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_run_logs_in_then_sigterm_shuts_down_cleanly(tmp_path):
    emulator = Emulator(token=TOKEN)
    await emulator.start()
    try:
        world = seed_demo_world(emulator)
        db_path = tmp_path / "run.sqlite3"
        config = tmp_path / "config.toml"
        write_config(config, emulator, world, db_path)
        env = {**os.environ, "IOPBOT_DISCORD__TOKEN": TOKEN, "IOPBOT_LOGGING__LEVEL": "INFO"}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.wire.run_entry",
            emulator.api_base,
            "run",
            "--config",
            str(config),
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert await wait_for(lambda: emulator.bot_connected), "the bot never connected"
            assert await wait_for(lambda: bool(emulator.commands_for_guild(world.guild_id)))
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0, stderr.decode()[-2000:]
        logs = stderr.decode()
        assert TOKEN not in logs
        assert "commands.synced" in logs
        assert emulator.unimplemented == []
        assert_contract_kept(emulator)
        # the database was closed cleanly: no WAL left to recover, schema in place
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)
    finally:
        await emulator.stop()
