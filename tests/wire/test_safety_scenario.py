"""The `safety` sandbox scenario over the real wire: a DM to the bot, the urgent alert paged
at once and re-paged, a refused staff-channel post that still reaches a person, and an
acknowledgement with an outcome; `iopbot sandbox --scenario safety` exits 0."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest

from bot.sandbox.cli import run_scenario
from bot.sandbox.runner import Sandbox, running_sandbox

START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)  # Monday 08:00 in New York: not staffed


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running_sandbox(start=START, db_path=tmp_path / "bot.sqlite3") as running:
            yield running
            assert running.emulator.unimplemented == []
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_safety_scenario_exits_0_and_tells_the_story(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="iopbot.alerts")
    assert await run_scenario(sandbox, "safety") == 0
    entries = sandbox.emulator.transcript.entries
    world = sandbox.world
    client = world.user("client3")
    facilitator = world.user("facilitator")
    on_call = world.roles["on_call"]

    sends = [e for e in entries if e.get("event") == "send"]
    # The urgent alert went out at once with the on-call mention, then one re-page was
    # refused by Discord (no second staff post) and went to the facilitator by DM.
    staff_posts = [
        e
        for e in sends
        if e["kind"] == "guild" and e["channel_id"] == str(world.channels["staff-alerts"])
    ]
    assert [f"<@&{on_call}>" in (e["content"] or "") for e in staff_posts] == [True]
    fallback = [
        e for e in sends if e["kind"] == "dm" and e.get("recipient_id") == str(facilitator.id)
    ]
    assert len(fallback) == 1 and "50013" in fallback[0]["content"]
    # The person's private reply came by DM with the safety-plan button.
    replies = [e for e in sends if e["kind"] == "dm" and e.get("recipient_id") == str(client.id)]
    assert any(
        "iop:safetyplan:show" in [c.get("custom_id") for c in e["components"]] for e in replies
    )
    # Rows: the failure is recorded; the alert has its outcome and stopped paging.
    db = sandbox.bot.services.db
    failure = await db.fetchone("SELECT * FROM alert_failures")
    assert (failure["kind"], failure["error_code"], failure["fallback_dms"]) == (
        "alert_repage",
        50013,
        1,
    )
    alert = await db.fetchone("SELECT * FROM alerts")
    assert (alert["outcome"], alert["acknowledged_by"], alert["page_count"]) == (
        "reached",
        facilitator.id,
        2,
    )
    expected = ("alert.post_failed", "alerts.channel_access")
    assert [m for m in sandbox.errors.messages if not m.endswith(expected)] == []
    # The permission change itself was noticed at once, naming the permission.
    # (Discord drops Embed Links too when Send Messages is denied.)
    problems = [
        getattr(r, "problem", "") for r in caplog.records if r.msg == "alerts.channel_access"
    ]
    assert problems == [
        "channels.staff_alerts: the bot lacks Send Messages, Embed Links in #staff-alerts"
    ]
    # The safety plan part: the button on the crisis reply answers the person privately.
    plan = [
        e
        for e in sends
        if e["kind"] == "ephemeral"
        and e.get("recipient_id") == str(client.id)
        and "safety plan" in (e["content"] or "").lower()
    ]
    assert len(plan) == 1
