from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord.ext import commands

from tests.wire.conftest import Wired


async def test_login_ready_and_guild_state(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    assert bot.user is not None and bot.user.id == wired.emulator.bot_id
    guild = bot.get_guild(wired.guild_id)
    assert guild is not None
    assert {c.name for c in guild.text_channels} == {"general", "staff"}
    assert {r.name for r in guild.roles} >= {"@everyone", "Staff", "iopbot"}
    alice = guild.get_member(wired.alice_id)
    assert alice is not None and alice.display_name == "Alice"
    staff = guild.get_channel(wired.staff_id)
    assert isinstance(staff, discord.TextChannel)
    assert not staff.permissions_for(guild.get_member(wired.bob_id)).view_channel  # type: ignore[arg-type]
    assert wired.emulator.gateway.identifies == 1
