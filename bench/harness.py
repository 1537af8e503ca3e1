"""The real bot logged in to the loopback emulator, with a cohort of many clients.

Like ``bot.sandbox.runner.running_sandbox`` (same demo world, same settings builder), but
it adds ``clients`` members with the Client role *before* the bot connects (so they arrive
in GUILD_CREATE, not as 1,000 gateway events), does not start the scheduler (the benchmarks
call the planners and the dispatcher themselves, and time them), and counts what
discord.py logs about rate limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.demo_world import seed_demo_world
from bot.sandbox.emulator import Emulator
from bot.sandbox.runner import TOKEN, build_settings
from bot.sandbox.world import World

READY_TIMEOUT = 60.0
CLIENT_ZONE = "America/New_York"


class RateLimitLog(logging.Handler):
    """Counts discord.py's "We are being rate limited" warnings (its side of each 429)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.rate_limited = 0
        self.global_hits = 0
        self.other: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith("We are being rate limited"):
            self.rate_limited += 1
        elif text.startswith("Global rate limit has been hit"):
            self.global_hits += 1
        else:
            self.other.append(f"{record.name}: {text}")


@dataclass
class BenchBot:
    emulator: Emulator
    world: World
    bot: Any  # bot.app.IopBot (imported lazily, like the sandbox runner)
    clock: Any  # FakeClock
    client_ids: list[int]
    discord_log: RateLimitLog
    task: asyncio.Task[None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def installed_cogs(settings: Any, skipped: list[str] | None = None) -> list[str]:
    """Enabled cogs that import and have a ``setup`` (features land over time; a cog
    still being written is skipped and named in ``skipped``)."""
    found = []
    for name in settings.cogs.enabled:
        try:
            module = importlib.import_module(f"cogs.{name}")
        except Exception:  # a half-written cog must not stop the benchmark
            module = None
        if module is not None and callable(getattr(module, "setup", None)):
            found.append(name)
        elif skipped is not None:
            skipped.append(name)
    return found


def seed_clients(emulator: Emulator, world: World, count: int) -> list[int]:
    """``count`` server members with the Client role (names ``Client 0000``…)."""
    role = world.roles["client"]
    return [
        int(emulator.add_member(world.guild_id, f"Client {n:04d}", roles=[role])["user"]["id"])
        for n in range(count)
    ]


async def enroll_all(bench: BenchBot, *, program_start: date) -> None:
    """Enroll every seeded client in one transaction (what /client enroll writes)."""
    services = bench.bot.services
    now = bench.clock.now()
    facilitator = bench.world.user("facilitator").id
    async with services.db.transaction() as tx:
        for n, user_id in enumerate(bench.client_ids):
            await services.clients.enroll(
                tx,
                user_id=user_id,
                guild_id=bench.world.guild_id,
                display_name=f"Client {n:04d}",
                timezone=ZoneInfo(CLIENT_ZONE),
                program_start=program_start,
                enrolled_by=facilitator,
                now=now,
            )


@contextlib.asynccontextmanager
async def running_bot(
    *,
    clients: int,
    db_path: Path,
    start: datetime,
    latency: float = 0.0,
    settings_overrides: dict[str, Any] | None = None,
    before_start: Callable[[Emulator, list[int]], Awaitable[None]] | None = None,
) -> AsyncIterator[BenchBot]:
    """Emulator + demo world + ``clients`` extra members + the real bot, logged in.

    ``before_start(emulator, client_ids)`` runs once the members exist and before the bot
    starts (e.g. to write rows its start-up should load, as a restart would find them).
    """
    from bot.app import create_bot
    from bot.services.clock import FakeClock

    clock = FakeClock(start)
    emulator = Emulator(token=TOKEN, latency=latency, now=clock.now)
    discord_log = RateLimitLog()
    http_logger = logging.getLogger("discord.http")
    http_logger.addHandler(discord_log)
    http_logger.propagate = False
    await emulator.start()
    try:
        world = seed_demo_world(emulator)
        client_ids = seed_clients(emulator, world, clients)
        if before_start is not None:
            await before_start(emulator, client_ids)
        settings = build_settings(emulator, world, db_path)
        skipped: list[str] = []
        cogs = settings.cogs.model_copy(update={"enabled": installed_cogs(settings, skipped)})
        settings = settings.model_copy(update={"cogs": cogs, **(settings_overrides or {})})
        bot = create_bot(settings, clock=clock, autostart_jobs=False)
        bench = BenchBot(emulator, world, bot, clock, client_ids, discord_log)
        bench.extra["cogs"] = list(cogs.enabled)
        bench.extra["cogs_skipped"] = skipped
        bot._connection.guild_ready_timeout = 0.2
        bench.task = asyncio.create_task(bot.start(TOKEN), name="bench-bot")
        try:
            await _wait_ready(bench)
            if not emulator.commands_for_guild(world.guild_id):
                await bot.sync_commands(force=True)
            yield bench
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(bench.task, 10)
    finally:
        http_logger.removeHandler(discord_log)
        http_logger.propagate = True
        await emulator.stop()


async def _wait_ready(bench: BenchBot) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + READY_TIMEOUT
    while not bench.bot.is_ready():
        if bench.task is not None and bench.task.done():
            bench.task.result()
            raise RuntimeError("the bot stopped before it was ready")
        if loop.time() > deadline:
            raise TimeoutError("the bot did not become ready against the emulator")
        await asyncio.sleep(0.02)
