"""Threads in the emulator, through discord.py: creation, THREAD_CREATE, who may post,
messages in a thread reaching the bot, deletion."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import discord
import pytest
from discord.ext import commands

from tests.wire.conftest import Wired


async def test_a_thread_in_a_staff_channel_is_staff_only(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    seen: list[discord.Message] = []

    @bot.listen("on_message")
    async def record(message: discord.Message) -> None:
        seen.append(message)

    view = str(1 << 10)
    made = wired.emulator.create_channel(
        wired.guild_id,
        "care",
        overwrites=[
            {"id": str(wired.guild_id), "type": 0, "allow": "0", "deny": view},
            {"id": str(wired.staff_role_id), "type": 0, "allow": view, "deny": "0"},
            {"id": str(wired.emulator.bot_id), "type": 1, "allow": view, "deny": "0"},
        ],
    )
    await asyncio.sleep(0.1)
    staff = bot.get_channel(int(made["id"]))
    assert isinstance(staff, discord.TextChannel)
    thread = await staff.create_thread(
        name="Bob", type=discord.ChannelType.public_thread, auto_archive_duration=10080
    )
    assert thread.parent_id == staff.id and thread.name == "Bob"
    await asyncio.sleep(0.1)
    guild = bot.get_guild(wired.guild_id)
    assert guild is not None and guild.get_thread(thread.id) is not None  # THREAD_CREATE

    sent = await thread.send("hello from the bot")
    assert [m["content"] for m in wired.emulator.channel_messages(thread.id)] == [sent.content]

    await wired.emulator.post_message(wired.alice_id, thread.id, "staff answer")
    await asyncio.sleep(0.1)
    assert [m.channel.id for m in seen if m.author.id == wired.alice_id] == [thread.id]
    with pytest.raises(PermissionError):  # Bob can't see the staff channel, so not its threads
        await wired.emulator.post_message(wired.bob_id, thread.id, "can I see this?")

    await thread.delete()
    await asyncio.sleep(0.1)
    assert guild.get_thread(thread.id) is None


async def test_thread_creation_checks_its_input(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    general = bot.get_channel(wired.general_id)
    assert isinstance(general, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await general.create_thread(name="x" * 101, type=discord.ChannelType.public_thread)
    assert too_long.value.code == 50035
    # the contract check sees the same bad request (a name of 101 characters)
    assert any(
        v.spec_path == "/channels/{channel_id}/threads" for v in wired.emulator.contract.take()
    )
