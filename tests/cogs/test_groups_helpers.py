"""Shared helpers for the groups cog tests (no tests here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from tests.harness import World

GROUP = "Tuesday Evening"
SLUG = "tuesday-evening"


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


async def jump_to(w: World, instant: datetime) -> None:
    assert instant >= w.clock.now()
    w.clock.set(instant)
    await w.run_due_work()


def bot_messages(w: World, channel: ChannelHandle, needle: str) -> list[discord.Message]:
    return [m for m in w.messages(channel) if needle in m.content]
