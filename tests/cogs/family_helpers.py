"""Shared steps for the family tests: enroll, invite, link, consent, schedule (no tests here)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from tests.harness import World, program_world

FAMILY_COGS = ("clients", "family")


@dataclass
class Linked:
    contact_id: int
    code: str


@asynccontextmanager
async def family_world(tmp_path: Path, **overrides: Any) -> AsyncIterator[World]:
    """``program_world`` with the clients and family cogs, sending only in ``run_due_work``.

    The bot normally "kicks" the dispatcher right after queuing a notice that is due now.
    That kick runs inside the bot on simcord's virtual loop time, while the harness moves
    only the program clock; the send limiter then sees two time bases and can stall after
    its burst. Turning the kick off here keeps every send in ``run_due_work`` (the same
    dispatcher, the same hooks), which the tests call explicitly.
    """
    async with program_world(tmp_path, cogs=FAMILY_COGS, **overrides) as w:
        w.bot.services.outbox.on_due_now(None)
        yield w


async def breathe(w: World) -> None:
    """Send what the last action queued (see :func:`family_world`)."""
    await w.run_due_work()


async def enroll(w: World, member: MemberActor) -> None:
    result = await w.facilitator.slash(w.cohort, "client enroll", member=member)
    assert "Enrolled" in result.response.content


def welcome(w: World) -> ChannelHandle:
    """A channel everyone in the server can see (where family members run /family link)."""
    channel = w.extra.get("welcome")
    if channel is None:
        channel = w.guild.create_text_channel("welcome")
        w.extra["welcome"] = channel
    return channel


async def invite(
    w: World, client: MemberActor, name: str = "Jordan", relationship: str = "parent"
) -> Linked:
    result = await w.facilitator.slash(
        w.staff, "family invite", client=client, name=name, relationship=relationship
    )
    assert result.ephemeral, "the code is shown only to the facilitator"
    content = result.response.content
    code = re.search(r"\*\*([A-Z0-9-]+)\*\*", content)
    contact = re.search(r"Family contact (\d+)", content)
    assert code and contact, content
    return Linked(contact_id=int(contact[1]), code=code[1])


async def link(w: World, member: MemberActor, code: str) -> str:
    await w.env.settle()
    result = await member.slash(welcome(w), "family link", code=code)
    assert result.ephemeral
    return str(result.response.content)


async def grant(w: World, client: MemberActor, contact_id: int, **options: object) -> str:
    shown = await client.slash(w.cohort, "family consent grant", contact=contact_id, **options)
    assert shown.ephemeral
    confirm = f"iop:family:consent:ok:{contact_id}:"
    buttons = [
        c["custom_id"]
        for row in shown.response.components
        for c in row["components"]
        if c["custom_id"].startswith(confirm)
    ]
    assert buttons, shown.response.content
    clicked = await client.click(shown.response, custom_id=buttons[0])
    await breathe(w)
    return str(clicked.response.content)


async def linked_family(w: World, client: MemberActor, *, consent: bool = True) -> Linked:
    """Enroll ``client``, invite + link ``w.family`` for them, and (by default) consent."""
    if await w.bot.services.clients.get(client.id) is None:
        await enroll(w, client)
    linked = await invite(w, client)
    assert "You're linked" in await link(w, w.family, linked.code)
    if consent:
        assert "Saved" in await grant(w, client, linked.contact_id)
    return linked


async def schedule(
    w: World,
    client: MemberActor,
    start: str = "2026-03-05 18:00",
    duration: int = 60,
    place: str = "Room 2, 100 Main St",
) -> int:
    result = await w.facilitator.slash(
        w.staff,
        "family session schedule",
        client=client,
        start=start,
        duration=duration,
        place=place,
    )
    found = re.search(r"session #(\d+)", result.response.content)
    assert found, result.response.content
    await breathe(w)
    return int(found[1])


async def outbox_rows(w: World, kind: str = "family_notice") -> list[dict[str, object]]:
    rows = await w.db.fetchall("SELECT * FROM outbox WHERE kind = ? ORDER BY id", (kind,))
    return [dict(r) for r in rows]


async def move_to(w: World, instant: datetime) -> None:
    """Set the program clock to ``instant`` and run everything due."""
    w.clock.set(instant)
    await w.run_due_work()


def staff_texts(w: World) -> list[str]:
    return [m.content for m in w.messages(w.staff)]
