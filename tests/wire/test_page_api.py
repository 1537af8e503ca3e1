"""The control API endpoints the web page uses: views per person, clock jump, demo, events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord.gateway
import discord.http
import pytest

from bot.sandbox.runner import Sandbox, running_sandbox

START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


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


async def control(sandbox: Sandbox, path: str, body: Any = None) -> tuple[int, Any]:
    emu = sandbox.emulator
    headers = {"X-Sandbox-Key": emu.control_key}
    async with aiohttp.ClientSession() as session:
        if body is None:
            request = session.get(f"{emu.control_url}/{path}", headers=headers)
        else:
            request = session.post(f"{emu.control_url}/{path}", headers=headers, json=body)
        async with request as response:
            return response.status, await response.json()


async def test_world_lists_people_with_zones_and_names_by_id(sandbox: Sandbox) -> None:
    status, world = await control(sandbox, "page/world")
    assert status == 200
    by_key = {p["key"]: p for p in world["people"]}
    assert by_key["client2"]["name"] == "Sam"
    assert by_key["client2"]["timezone"] == "Europe/Berlin"
    assert by_key["facilitator"]["roles"] == ["Facilitator", "On-call"]
    assert world["users"][str(sandbox.world.user("client1").id)] == "Alex"
    assert world["demo"] == {"available": True, "state": "idle", "failures": []}
    assert world["checkin_time"] == "09:00"


async def test_each_person_sees_only_their_channels_and_commands(sandbox: Sandbox) -> None:
    _, dana = await control(sandbox, "page/users/Dana")
    _, alex = await control(sandbox, "page/users/Alex")
    assert {"welcome", "staff-alerts", "mod-log"} <= {c["name"] for c in dana["channels"]}
    assert [c["name"] for c in alex["channels"]] == ["welcome"]
    assert alex["dm_channel_id"] is None
    status, refused = await control(sandbox, "page/users/Alex/channels/staff-alerts")
    assert status == 400 and "cannot see" in refused["error"]

    welcome = sandbox.world.channels["welcome"]
    _, dana_cmds = await control(sandbox, f"page/users/Dana/commands?channel={welcome}")
    _, alex_cmds = await control(sandbox, f"page/users/Alex/commands?channel={welcome}")
    dana_names = {c["name"] for c in dana_cmds}
    alex_names = {c["name"] for c in alex_cmds}
    assert "Delete message (mod)" in dana_names and "Delete message (mod)" not in alex_names
    assert alex_names < dana_names
    enroll = next(c for c in dana_cmds if c["name"] == "client")
    assert any(o["name"] == "enroll" and o["options"] for o in enroll["options"])
    status, error = await control(sandbox, "page/users/Dana/commands")
    assert status == 400 and "channel" in error["error"]


async def test_a_channel_shows_the_viewers_private_replies_and_no_one_elses(
    sandbox: Sandbox,
) -> None:
    emu, world = sandbox.emulator, sandbox.world
    dana, alex = world.user("facilitator"), world.user("client1")
    staff = world.channels["staff-alerts"]
    await emu.slash(dana.id, staff, "client enroll", {"member": str(alex.id)})
    _, view = await control(sandbox, f"page/users/{dana.id}/channels/{staff}")
    [reply] = view["messages"]
    assert reply["ephemeral"] and reply["content"].startswith("Enrolled Alex")
    assert reply["author"]["bot"] is True
    # Another facilitator-level viewer would not see Dana's private reply: the owner can
    # see every channel, so ask as the sandbox owner.
    owner = emu.owner_user["id"]
    _, other = await control(sandbox, f"page/users/{owner}/channels/{staff}")
    assert other["messages"] == []
    status, error = await control(sandbox, f"page/users/{alex.id}/channels/{staff}")
    assert status == 400 and "cannot see" in error["error"]


async def test_the_clock_jumps_to_a_persons_next_local_time_and_only_forward(
    sandbox: Sandbox,
) -> None:
    status, moved = await control(sandbox, "clock/jump", {"user": "Sam", "local_time": "09:00"})
    # 13:00 UTC is 14:00 in Berlin, so Sam's next 09:00 is tomorrow 08:00 UTC (+1 minute).
    assert status == 200 and moved["now"] == "2025-03-04T08:01:00+00:00"
    status, moved = await control(sandbox, "clock/jump", {"to": "2025-03-04T10:00:00+00:00"})
    assert status == 200 and moved["now"] == "2025-03-04T10:00:00+00:00"
    for body, reason in [
        ({"to": "2025-03-01T00:00:00+00:00"}, "only moves forward"),
        ({"to": "2025-03-05T00:00:00"}, "UTC offset"),
        ({"user": "Sam", "local_time": "9am"}, "HH:MM"),
        ({"user": "Nobody"}, "no user"),
        ({}, "give 'to'"),
    ]:
        status, error = await control(sandbox, "clock/jump", body)
        assert status == 400 and reason in error["error"], (body, error)
    assert sandbox.emulator.now() == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


async def test_events_stream_reports_changes_with_new_transcript_lines(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{emu.control_url}/events", headers={"X-Sandbox-Key": emu.control_key}
        ) as stream,
    ):
        assert stream.headers["Content-Type"] == "text/event-stream"

        async def next_event() -> dict[str, Any]:
            buffer = b""
            while b"\n\n" not in buffer:
                buffer += await stream.content.readany()
            frame = buffer.split(b"\n\n", 1)[0].decode()
            assert frame.startswith("event: change\n")
            return dict(json.loads(frame.split("data: ", 1)[1]))

        first = await asyncio.wait_for(next_event(), 5)
        assert first["transcript"] == []
        emu.transcript.step("a step the page should see")
        later = await asyncio.wait_for(next_event(), 5)
        assert [e.get("note") for e in later["transcript"]] == ["a step the page should see"]


async def test_play_the_demo_runs_once_at_a_time(sandbox: Sandbox) -> None:
    played = asyncio.Event()
    release = asyncio.Event()

    async def fake_demo() -> list[str]:
        played.set()
        await release.wait()
        return ["a check that failed"]

    sandbox.emulator.page.demo = fake_demo
    status, started = await control(sandbox, "demo/play", {})
    assert status == 200 and started == {"state": "running"}
    await asyncio.wait_for(played.wait(), 5)
    status, error = await control(sandbox, "demo/play", {})
    assert status == 400 and "already" in error["error"]
    release.set()
    for _ in range(100):
        _, world = await control(sandbox, "page/world")
        if world["demo"]["state"] != "running":
            break
        await asyncio.sleep(0.05)
    failed = {"available": True, "state": "failed", "failures": ["a check that failed"]}
    assert world["demo"] == failed
