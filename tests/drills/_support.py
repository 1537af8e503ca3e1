"""Shared pieces of the durability drills: an emulator with the demo world, and the real
bot in a subprocess that a drill can SIGKILL and start again."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sandbox.demo_world import seed_demo_world
from bot.sandbox.emulator import Emulator
from bot.sandbox.world import World
from tests.drills.bot_process import TOKEN

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BotProcess:
    config_path: Path
    log_path: Path
    proc: asyncio.subprocess.Process | None = None
    starts: int = 0

    async def start(self) -> None:
        self.starts += 1
        log = self.log_path.with_name(f"{self.log_path.stem}-{self.starts}.log").open("wb")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.drills.bot_process",
            str(self.config_path),
            cwd=ROOT,
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no clean-up, no commit, no close; exactly a crash."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)

    async def wait_dead(self) -> None:
        if self.proc is not None:
            await asyncio.wait_for(self.proc.wait(), 10)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.kill()
                await self.proc.wait()

    def logs(self) -> str:
        parts = []
        for n in range(1, self.starts + 1):
            path = self.log_path.with_name(f"{self.log_path.stem}-{n}.log")
            if path.exists():
                parts.append(f"--- start {n} ---\n" + path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)


@dataclass
class Drill:
    emulator: Emulator
    world: World
    db_path: Path
    bot: BotProcess
    extra: dict[str, Any] = field(default_factory=dict)

    async def wait_connected(self, limit: float = 30.0) -> None:
        await wait_for(lambda: self.emulator.bot_connected, limit, "the bot to connect", self)

    def messages_by_nonce(self) -> Counter[str]:
        """How many stored (not deleted) bot messages carry each nonce."""
        counts: Counter[str] = Counter()
        for stored in self.emulator.state.messages.values():
            nonce = stored.data.get("nonce")
            if nonce is not None and not stored.deleted:
                counts[str(nonce)] += 1
        return counts


async def wait_for(condition: Any, limit: float, what: str, drill: Drill | None = None) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        if drill is not None and drill.bot.proc is not None and drill.bot.proc.returncode:
            raise AssertionError(
                f"the bot process exited while waiting for {what}\n" + drill.bot.logs()
            )
        if loop.time() > deadline:
            logs = drill.bot.logs() if drill is not None else ""
            raise AssertionError(f"timed out waiting for {what}\n{logs}")
        await asyncio.sleep(0.01)


@asynccontextmanager
async def drill_world(
    tmp_path: Path, *, cogs: tuple[str, ...], extra_channels: int = 0
) -> AsyncIterator[Drill]:
    emulator = Emulator(token=TOKEN)
    await emulator.start()
    bot: BotProcess | None = None
    try:
        world = seed_demo_world(emulator)
        for n in range(extra_channels):
            channel = emulator.create_channel(world.guild_id, f"drill-{n:02d}")
            world.channels[channel["name"]] = int(channel["id"])
        db_path = tmp_path / "drill.sqlite3"
        config = {
            "api_base": emulator.base_url,
            "db": str(db_path),
            "guild_id": world.guild_id,
            "roles": {
                "facilitator": world.roles["facilitator"],
                "client": world.roles["client"],
                "family": world.roles["family"],
                "on_call": world.roles["on_call"],
                "auditor": world.roles["auditor"],
            },
            "channels": {
                "staff_alerts": world.channels["staff-alerts"],
                "mod_log": world.channels["mod-log"],
            },
            "cogs": list(cogs),
        }
        config_path = tmp_path / "drill-config.json"
        config_path.write_text(json.dumps(config))
        bot = BotProcess(config_path=config_path, log_path=tmp_path / "bot.log")
        yield Drill(emulator=emulator, world=world, db_path=db_path, bot=bot)
    finally:
        if bot is not None:
            await bot.stop()
        await emulator.stop()
