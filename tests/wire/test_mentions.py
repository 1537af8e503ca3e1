"""Who a bot message really pings: the emulator applies Discord's `allowed_mentions` rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from discord.ext import commands

from bot.sandbox.emulator.permissions import MENTION_EVERYONE
from tests.wire.conftest import Wired

Start = Callable[..., Awaitable[commands.Bot]]


async def _channel(wired: Wired, run_bot: Start) -> discord.TextChannel:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


def _stored(wired: Wired, message: discord.Message) -> dict[str, Any]:
    stored = wired.emulator.state.messages[message.id].data
    return {
        "users": [int(u["id"]) for u in stored["mentions"]],
        "roles": [int(r) for r in stored["mention_roles"]],
        "everyone": stored["mention_everyone"],
    }


def _let_everyone_mention_everyone(wired: Wired) -> None:
    everyone = wired.emulator.state.guilds[wired.guild_id].roles[wired.guild_id]
    everyone["permissions"] = str(int(everyone["permissions"]) | MENTION_EVERYONE)


async def test_without_allowed_mentions_users_ping_but_roles_need_permission(
    wired: Wired, run_bot: Start
) -> None:
    channel = await _channel(wired, run_bot)
    sent = await channel.send(f"<@{wired.bob_id}> <@&{wired.staff_role_id}> @everyone")
    # The staff role is not mentionable and the bot may not mention everyone.
    assert _stored(wired, sent) == {"users": [wired.bob_id], "roles": [], "everyone": False}
    _let_everyone_mention_everyone(wired)
    again = await channel.send(f"<@{wired.bob_id}> <@&{wired.staff_role_id}> @everyone")
    assert _stored(wired, again) == {
        "users": [wired.bob_id],
        "roles": [wired.staff_role_id],
        "everyone": True,
    }


async def test_allowed_mentions_none_pings_nobody(wired: Wired, run_bot: Start) -> None:
    _let_everyone_mention_everyone(wired)
    channel = await _channel(wired, run_bot)
    sent = await channel.send(
        f"<@{wired.bob_id}> <@&{wired.staff_role_id}> @here",
        allowed_mentions=discord.AllowedMentions.none(),
    )
    assert _stored(wired, sent) == {"users": [], "roles": [], "everyone": False}
    entry = wired.emulator.transcript.entries[-1]
    assert (entry["mentions"], entry["mention_roles"], entry["mention_everyone"]) == (
        [],
        [],
        False,
    )
    assert f"<@{wired.bob_id}>" in entry["content"]


async def test_explicit_lists_ping_only_the_listed(wired: Wired, run_bot: Start) -> None:
    _let_everyone_mention_everyone(wired)
    channel = await _channel(wired, run_bot)
    sent = await channel.send(
        f"<@{wired.alice_id}> <@{wired.bob_id}> <@&{wired.staff_role_id}> @everyone",
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=[discord.Object(wired.bob_id)], roles=False
        ),
    )
    assert _stored(wired, sent) == {"users": [wired.bob_id], "roles": [], "everyone": False}
    entry = wired.emulator.transcript.entries[-1]
    assert entry["mentions"] == [str(wired.bob_id)]


async def test_replied_user_follows_the_flag(wired: Wired, run_bot: Start) -> None:
    channel = await _channel(wired, run_bot)
    posted = await wired.emulator.post_message(wired.bob_id, wired.general_id, "hi bot")
    original = await channel.fetch_message(int(posted["id"]))
    quiet = await original.reply("noted", mention_author=False)
    assert _stored(wired, quiet)["users"] == []
    loud = await original.reply("noted", mention_author=True)
    assert _stored(wired, loud)["users"] == [wired.bob_id]


async def test_parse_users_with_a_users_list_is_50035(wired: Wired, run_bot: Start) -> None:
    channel = await _channel(wired, run_bot)
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    payload = {
        "content": f"<@{wired.bob_id}>",
        "allowed_mentions": {"parse": ["users"], "users": [str(wired.bob_id)]},
    }
    with pytest.raises(discord.HTTPException) as refused:
        await channel._state.http.request(route, json=payload)
    assert refused.value.code == 50035
    assert "mutually exclusive" in str(refused.value)


async def test_control_api_shows_effective_mentions(wired: Wired, run_bot: Start) -> None:
    channel = await _channel(wired, run_bot)
    await channel.send(f"<@{wired.bob_id}>", allowed_mentions=discord.AllowedMentions.none())
    [shown] = wired.emulator.channel_messages(wired.general_id)[-1:]
    assert shown["mentions"] == [] and shown["mention_roles"] == []
    assert shown["mention_everyone"] is False
