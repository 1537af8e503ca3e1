"""The care line over the wire: the real discord.py client, the emulator's threads, and a
staff reply to a client whose DMs are closed (the thread must say so)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest

from bot.sandbox.runner import Sandbox, running_sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios import load_demo_part
from bot.sandbox.world import WorldChannel

START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running_sandbox(start=START, db_path=tmp_path / "bot.sqlite3") as running:
            yield running
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def _thread(ctx: ScenarioContext, name: str) -> WorldChannel:
    channels = ctx.emulator.state.guild_channels(ctx.world.guild_id)
    parent = next(c for c in channels if c.get("name") == "care-line" and c["type"] == 0)
    found = [c for c in channels if c.get("parent_id") == parent["id"] and c.get("name") == name]
    assert len(found) == 1
    assert found[0]["type"] == 11  # a thread in the staff-only channel
    return WorldChannel(id=int(found[0]["id"]), name=name)


async def test_a_reply_to_a_client_whose_dms_are_closed_is_flagged_in_the_thread(
    sandbox: Sandbox,
) -> None:
    ctx = ScenarioContext(sandbox.emulator, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
    enroll = load_demo_part("clients")
    assert enroll is not None
    await enroll(ctx)
    alex = ctx.user("client1")
    dana = ctx.user("facilitator")
    dm_channel = int(sandbox.emulator.dm_channel_for(alex.id)["id"])
    await ctx.post(alex, dm_channel, "Can someone call me back?")
    await ctx.settle(0.5)
    thread = _thread(ctx, "Alex")
    assert any("Can someone call me back?" in m["content"] for m in ctx.channel_messages(thread))

    sandbox.emulator.set_dms_open(alex.id, False)
    dms_before = len(ctx.dms(alex))
    reply = await ctx.slash(dana, thread, "careline reply", text="Sure, at 3pm?")
    assert reply.ephemeral
    await ctx.settle(0.5)
    await ctx.advance(timedelta(0))  # run the bot's due work once
    await ctx.settle(0.5)

    assert len(ctx.dms(alex)) == dms_before  # nothing reached Alex
    warnings = [
        m["content"] for m in ctx.channel_messages(thread) if "Not delivered" in m["content"]
    ]
    assert len(warnings) == 1
    assert "DMs are closed" in warnings[0]
    row = await sandbox.bot.services.db.fetchone(
        "SELECT status, error_code FROM outbox WHERE kind = 'careline_dm' ORDER BY id DESC"
    )
    assert (row["status"], row["error_code"]) == ("undeliverable", 50007)
    assert ctx.failures == []
