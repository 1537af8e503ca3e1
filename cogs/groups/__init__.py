"""The `groups` extension. Only ``setup()`` here, importing the cog lazily: importing
``cogs.groups._spec`` (its declaration, read by bot/config.py) loads nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from cogs.groups._cog import GroupsCog
    from cogs.groups._core import GroupsCore
    from cogs.groups._hours import HoursCog
    from cogs.groups._sessions import SessionsCog

    services = bot.services  # type: ignore[attr-defined]
    core = GroupsCore.from_services(services)
    await bot.add_cog(GroupsCog(bot, services, core))
    await bot.add_cog(SessionsCog(bot, services, core))
    await bot.add_cog(HoursCog(bot, services, core))
