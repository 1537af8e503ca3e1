"""The real iopbot against the emulator: resume without duplicate jobs, and the smoke scenario."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import discord
import discord.gateway
import discord.http

from bot.sandbox.cli import add_arguments, message_content_for
from bot.sandbox.runner import Sandbox, running_sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios import SCENARIOS
from tests.wire.conftest import SANDBOX_START


async def test_resume_after_dropped_socket_keeps_one_set_of_jobs(sandbox: Sandbox) -> None:
    emu, bot = sandbox.emulator, sandbox.bot
    jobs_before = sorted(bot.services.jobs.job_ids())
    assert emu.gateway.identifies == 1

    resumed = asyncio.create_task(bot.wait_for("resumed", timeout=5))
    await emu.drop_gateway()
    # Something happens while the bot is away; RESUME replays it.
    alex = sandbox.world.user("client1")
    await emu.post_message(alex.id, sandbox.world.channels["welcome"], "hello while you were away")
    await resumed
    await emu.settle()
    assert emu.gateway.resumes == 1 and emu.bot_connected

    assert emu.gateway.identifies == 1
    assert sorted(bot.services.jobs.job_ids()) == jobs_before
    reply = await emu.slash(
        sandbox.world.user("facilitator").id,
        sandbox.world.channels["staff-alerts"],
        "client enroll",
        {"member": alex.id},
    )
    assert reply.answered and "Enrolled Alex" in reply.text
    assert sandbox.errors.messages == []


async def test_smoke_scenario_passes(sandbox: Sandbox) -> None:
    ctx = ScenarioContext(sandbox.emulator, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
    await SCENARIOS["smoke"](ctx)
    assert ctx.failures == []
    entries = sandbox.emulator.transcript.entries
    kinds = {entry["kind"] for entry in entries}
    assert {"step", "ephemeral", "dm"} <= kinds
    # The DM is a real feature notice (the check-in prompt), sent through the outbox.
    dms = [e.get("content") for e in entries if e["kind"] == "dm" and e.get("event") == "send"]
    assert dms[-1] == "You have a new message.\nYour daily check-in is open."
    kinds_sent = await sandbox.bot.services.db.fetchall(
        "SELECT kind, status FROM outbox WHERE target_type = 'dm' ORDER BY id"
    )
    assert [tuple(r) for r in kinds_sent] == [
        ("client_welcome", "sent"),
        ("checkin_prompt", "sent"),
    ]
    assert await sandbox.bot.services.db.fetchval("SELECT COUNT(*) FROM checkins") == 1
    assert sandbox.errors.messages == []


async def test_message_content_is_a_sandbox_option(tmp_path: Path) -> None:
    from bot.sandbox.emulator.gateway import MESSAGE_CONTENT

    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running_sandbox(
            start=SANDBOX_START, db_path=tmp_path / "bot.sqlite3", message_content=True
        ) as running:
            assert running.bot.intents.message_content
            [session] = running.emulator.gateway.sessions.values()
            assert session.intents & MESSAGE_CONTENT
            client = running.world.user("client1")
            posted = await running.emulator.post_message(
                client.id, running.world.channels["welcome"], "visible text"
            )
            seen = running.bot.get_channel(running.world.channels["welcome"])
            message = await seen.fetch_message(int(posted["id"]))
            assert message.content == "visible text"
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def test_the_demo_turns_message_content_on() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert message_content_for(parser.parse_args(["--scenario", "demo"])) is True
    assert message_content_for(parser.parse_args(["--scenario", "smoke"])) is None
    off = parser.parse_args(["--scenario", "demo", "--no-message-content"])
    assert message_content_for(off) is False


async def test_checkin_safety_item_yes_over_the_wire(sandbox: Sandbox) -> None:
    """The real bot and discord.py against the emulator: a radio answer of "yes" to the
    safety item reaches the bot, which answers privately with the crisis resources and the
    safety-plan button, alerts staff (urgent, no answers) and sends the resources by DM."""
    emu, world = sandbox.emulator, sandbox.world
    alex, dana = world.user("client1"), world.user("facilitator")
    staff = world.channels["staff-alerts"]
    enrolled = await emu.slash(dana.id, staff, "client enroll", {"member": alex.id})
    assert enrolled.answered
    form = await emu.slash(alex.id, world.channels["welcome"], "checkin today")
    assert form.modal is not None
    done = await emu.submit_modal(
        alex.id,
        str(form.modal["custom_id"]),
        {"mood": "4", "craving": "3", "used": "no", "safety": "yes", "note": "wire-note-9113"},
    )
    await emu.settle()
    assert done.ephemeral and done.text.startswith("Thank you for telling me.")
    buttons = [c["custom_id"] for row in done.components for c in row["components"]]
    assert buttons == ["iop:safetyplan:show", "iop:checkin:talk"]
    await sandbox.bot.run_due_work()
    await emu.settle()
    alerts = [m for m in emu.channel_messages(staff) if m.get("embeds")]
    assert any("Crisis language" in str(m["embeds"]) for m in alerts)
    assert all("wire-note-9113" not in str(m) for m in emu.channel_messages(staff))
    kinds = await sandbox.bot.services.db.fetchall(
        "SELECT kind, status FROM outbox WHERE target_type = 'dm'"
    )
    assert ("crisis_resources", "sent") in [tuple(r) for r in kinds]
    stored = await sandbox.bot.services.db.fetchval("SELECT safety FROM checkins")
    assert stored == "yes"
    assert sandbox.errors.messages == []
