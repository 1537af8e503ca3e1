"""Runs the real bot against the emulator: seed the world, build settings, start, drive."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.extensions import DEFAULT_ENABLED, installed
from bot.sandbox.botrun import BotRun
from bot.sandbox.demo_world import PROGRAM_TIMEZONE, seed_demo_world, seed_empty_world
from bot.sandbox.emulator import Emulator
from bot.sandbox.world import World

log = logging.getLogger(__name__)
TOKEN = "sandbox-token"  # noqa: S105 - not a secret: the emulator accepts only this
READY_TIMEOUT = 30.0
WORLDS = ("demo", "empty")
# Runs after the world is seeded and before the bot starts: returns the bot's settings
# and extra values for scenarios (the `setup` scenario runs `iopbot setup` here).
Prepare = Callable[[Emulator, World, Path], Awaitable[tuple[Any, dict[str, Any]]]]


class ErrorCounter(logging.Handler):
    """Counts ERROR records (unhandled exceptions in the bot are logged at ERROR)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@dataclass
class Sandbox:
    emulator: Emulator
    world: World
    clock: Any
    errors: ErrorCounter
    make_bot: Callable[[], Any]
    run: BotRun | None = None
    restarts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bot(self) -> Any:
        if self.run is None:
            raise RuntimeError("the bot is not running")
        return self.run.bot

    @property
    def task(self) -> asyncio.Task[None] | None:
        return None if self.run is None else self.run.task

    async def start_bot(self) -> Any:
        """Build a bot on the sandbox's database, log it in, and wait until it is ready."""
        bot = self.make_bot()
        self.run = BotRun(bot)

        async def drive_clock(delta: timedelta) -> None:
            self.clock.advance(delta)
            await bot.run_due_work()

        self.emulator.set_clock_driver(drive_clock)
        # All GUILD_CREATEs arrive at once here; no need for the 2 s wait Discord needs.
        bot._connection.guild_ready_timeout = 0.2
        self.run.start(TOKEN)
        await _wait_ready(self)
        if not self.emulator.commands_for_guild(self.world.guild_id):
            await bot.sync_commands(force=True)
        return bot

    async def stop_bot(self, *, crash: bool = False) -> None:
        if self.run is None:
            return
        run, self.run = self.run, None
        await (run.crash() if crash else run.stop())

    async def restart_bot(self, *, crash: bool = False) -> Any:
        """Stop the bot (cleanly, or as a crash) and start a new one on the same database.

        The emulator is untouched: users, roles, channels, DM channels, messages and the
        nonce window all carry over, as they would on Discord.
        """
        await self.stop_bot(crash=crash)
        self.restarts += 1
        return await self.start_bot()


def available_cogs() -> list[str]:
    """Every cog the default config enables that is installed (bot/extensions.py)."""
    return installed(DEFAULT_ENABLED)


def build_settings(
    emulator: Emulator, world: World, db_path: Path, *, message_content: bool | None = None
) -> Any:
    """Settings for the demo world: every id comes from the emulator, nothing from a file.

    `message_content` switches the privileged intent on or off; None keeps the default.
    """
    from pydantic import SecretStr

    from bot.config import (
        ChannelSettings,
        CogSettings,
        DatabaseSettings,
        DiscordSettings,
        ProgramSettings,
        RoleSettings,
        Settings,
    )

    return Settings(
        discord=DiscordSettings(
            token=SecretStr(TOKEN),
            guild_id=world.guild_id,
            api_base=emulator.api_base,
            **({} if message_content is None else {"message_content": message_content}),
        ),
        roles=RoleSettings(
            facilitator=world.roles.get("facilitator"),
            client=world.roles.get("client"),
            family=world.roles.get("family"),
            on_call=world.roles.get("on_call"),
            auditor=world.roles.get("auditor"),
        ),
        channels=ChannelSettings(
            staff_alerts=world.channels.get("staff-alerts"), mod_log=world.channels.get("mod-log")
        ),
        database=DatabaseSettings(path=db_path),
        program=ProgramSettings(name="Sunrise Recovery IOP", timezone=ZoneInfo(PROGRAM_TIMEZONE)),
        cogs=CogSettings(enabled=available_cogs()),
    )


@contextlib.asynccontextmanager
async def running_sandbox(
    *,
    start: datetime,
    db_path: Path,
    port: int = 0,
    latency: float = 0.0,
    transcript_file: TextIO | None = None,
    echo: TextIO | None = None,
    world_kind: str = "demo",
    prepare: Prepare | None = None,
    message_content: bool | None = None,
) -> AsyncIterator[Sandbox]:
    """The emulator with the demo (or an empty) world and the real bot logged in to it."""
    from bot.app import create_bot
    from bot.services.clock import FakeClock

    clock = FakeClock(start)
    emulator = Emulator(token=TOKEN, port=port, latency=latency, now=clock.now)
    emulator.transcript.file = transcript_file
    emulator.transcript.echo = echo
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    await emulator.start()
    try:
        world = seed_empty_world(emulator) if world_kind == "empty" else seed_demo_world(emulator)
        extra: dict[str, Any] = {}
        if prepare is not None:
            settings, extra = await prepare(emulator, world, db_path)
        else:
            settings = build_settings(emulator, world, db_path, message_content=message_content)
        sandbox = Sandbox(
            emulator=emulator,
            world=world,
            clock=clock,
            errors=errors,
            make_bot=lambda: create_bot(settings, clock=clock),
            extra=extra,
        )
        emulator.set_bot_restarter(sandbox.restart_bot)
        try:
            await sandbox.start_bot()
            yield sandbox
        finally:
            await sandbox.stop_bot()
    finally:
        logging.getLogger().removeHandler(errors)
        await emulator.stop()


async def _wait_ready(sandbox: Sandbox) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READY_TIMEOUT
    while not sandbox.bot.is_ready():
        if sandbox.task is not None and sandbox.task.done():
            sandbox.task.result()
            raise RuntimeError("the bot stopped before it was ready")
        if loop.time() > deadline:
            raise TimeoutError("the bot did not become ready against the emulator")
        await asyncio.sleep(0.05)
