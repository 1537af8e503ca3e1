"""Shared helpers for the groups cog tests (no tests here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from tests.harness import World, program_world

COGS = ("clients", "groups")
GROUP = "Tuesday Evening"
SLUG = "tuesday-evening"


def quiet_kicks(w: World) -> None:
    """Send queued notices only from ``run_due_work`` (in the test's own task).

    The outbox's "send now" kick runs the dispatcher inside the bot, on simcord's virtual
    loop time, while ``run_due_work`` runs on the real loop time; the send limiter shared
    by both then sees two time bases and can wait on a virtual timer nobody advances.
    The checkins and family tests do the same.
    """
    w.bot.services.outbox.on_due_now(None)


@asynccontextmanager
async def groups_world(tmp_path: Path, **overrides: Any) -> AsyncIterator[World]:
    async with program_world(tmp_path, cogs=COGS, **overrides) as w:
        quiet_kicks(w)
        yield w


async def restart(w: World) -> None:
    await w.restart()
    quiet_kicks(w)


def text(result: Any) -> str:
    """The (last) visible reply text of an interaction."""
    followups = result.followups
    if followups and followups[-1].content:
        return str(followups[-1].content)
    response = result.response
    return str(response.content) if response is not None and response.content else ""


def is_private(result: Any) -> bool:
    followups = result.followups
    if followups:
        return all(f.ephemeral for f in followups)
    return bool(result.ephemeral)


async def enroll_all(w: World, members: list[MemberActor] | None = None) -> None:
    for member in members if members is not None else w.clients:
        result = await w.facilitator.slash(w.staff, "client enroll", member=member)
        assert "Enrolled" in text(result), text(result)


async def create_group(w: World, name: str = GROUP) -> ChannelHandle:
    result = await w.facilitator.slash(w.staff, "group create", name=name)
    assert "Created" in text(result), text(result)
    await w.env.settle()
    slug = name.lower().replace(" ", "-")
    return w.guild.channels[slug]


async def add(w: World, member: MemberActor, cohort: str = GROUP) -> Any:
    result = await w.facilitator.slash(w.staff, "group add", member=member, cohort=cohort)
    await w.run_due_work()
    return result


async def setup_group(
    w: World, members: list[MemberActor] | None = None, name: str = GROUP
) -> ChannelHandle:
    """Enroll the clients, create the group, add ``members`` (default: all clients)."""
    await enroll_all(w)
    channel = await create_group(w, name)
    for member in members if members is not None else w.clients:
        result = await add(w, member, name)
        assert "Added" in text(result), text(result)
    return channel


def perms(w: World, member: MemberActor, channel: ChannelHandle) -> discord.Permissions:
    value = w.env.backend.compute_permissions(w.guild.id, member.id, channel.id)
    return discord.Permissions(value)


def agreement_message(w: World, channel: ChannelHandle, member: MemberActor) -> discord.Message:
    for message in w.messages(channel):
        if f"<@{member.id}>" in message.content and "group agreement" in message.content:
            return message
    raise AssertionError(f"no agreement message for {member.name}")


async def accept(w: World, channel: ChannelHandle, member: MemberActor) -> Any:
    message = agreement_message(w, channel, member)
    custom_id = message.components[0].children[0].custom_id  # type: ignore[union-attr]
    return await member.click(message, custom_id=custom_id)


async def breathe(w: World) -> None:
    """Let Discord's per-channel send buckets refill (simcord's own clock, not the program's):
    a test posts many notices to one group channel far faster than real life does."""
    await w.env.advance_time(6)


async def jump_to(w: World, instant: datetime) -> None:
    """Set the program clock to ``instant`` (forward only) and run due work there."""
    assert instant >= w.clock.now()
    await breathe(w)
    w.clock.set(instant)
    await w.run_due_work()


def bot_messages(w: World, channel: ChannelHandle, needle: str) -> list[discord.Message]:
    return [m for m in w.messages(channel) if needle in m.content]
