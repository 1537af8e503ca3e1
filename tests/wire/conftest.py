"""Wire tests: the real discord.py HTTP + gateway code against the loopback emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from discord.ext import commands

from bot.sandbox.emulator import Emulator
from bot.sandbox.emulator.permissions import MANAGE_GUILD
from bot.sandbox.runner import Sandbox, running_sandbox

SANDBOX_START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


@dataclass
class Wired:
    emulator: Emulator
    guild_id: int
    general_id: int
    staff_id: int
    alice_id: int
    bob_id: int
    outsider_id: int
    staff_role_id: int


@pytest.fixture
async def wired() -> AsyncIterator[Wired]:
    emulator = Emulator(token="wire-token")
    await emulator.start()
    guild = emulator.create_guild("Wire Test")
    staff_role = emulator.create_role(guild.id, "Staff", permissions=MANAGE_GUILD)
    general = emulator.create_channel(guild.id, "general")
    staff = emulator.create_channel(
        guild.id,
        "staff",
        overwrites=[
            {"id": str(guild.id), "type": 0, "allow": "0", "deny": str(1 << 10)},
            {"id": staff_role["id"], "type": 0, "allow": str(1 << 10), "deny": "0"},
        ],
    )
    alice = emulator.add_member(guild.id, "Alice", roles=[int(staff_role["id"])])
    bob = emulator.add_member(guild.id, "Bob")
    outsider = emulator.create_user("Outsider")
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = f"{emulator.api_base}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)
    try:
        yield Wired(
            emulator=emulator,
            guild_id=guild.id,
            general_id=int(general["id"]),
            staff_id=int(staff["id"]),
            alice_id=int(alice["user"]["id"]),
            bob_id=int(bob["user"]["id"]),
            outsider_id=int(outsider["id"]),
            staff_role_id=int(staff_role["id"]),
        )
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        await emulator.stop()


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running_sandbox(
            start=SANDBOX_START, db_path=tmp_path / "bot.sqlite3"
        ) as running:
            yield running
            assert running.emulator.unimplemented == []
            assert_contract_kept(running.emulator)
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


BotSetup = Callable[[commands.Bot], Awaitable[None]]


@pytest.fixture
async def run_bot(wired: Wired) -> AsyncIterator[Callable[..., Awaitable[commands.Bot]]]:
    """Start a plain commands.Bot against the emulator; sync its tree to the guild."""
    started: list[tuple[commands.Bot, asyncio.Task[None]]] = []

    async def start(setup: BotSetup | None = None) -> commands.Bot:
        intents = discord.Intents.default()
        intents.members = True
        bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        if setup is not None:
            await setup(bot)
        task = asyncio.create_task(bot.start("wire-token"))
        started.append((bot, task))
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        await bot.tree.sync(guild=discord.Object(wired.guild_id))
        return bot

    yield start
    for bot, task in started:
        await bot.close()
        await asyncio.wait_for(task, 5)
    assert wired.emulator.unimplemented == [], wired.emulator.unimplemented
    assert_contract_kept(wired.emulator)


def assert_contract_kept(emulator: Emulator) -> None:
    """Every request and response held to Discord's spec (bot/sandbox/emulator/contract.py)."""
    found = [v.describe() for v in emulator.contract.violations]
    assert found == [], "contract violations:\n" + "\n".join(found)
