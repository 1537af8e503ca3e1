from discord.ext import commands

from cogs.groups._cog import GroupsCog
from cogs.groups._core import GroupsCore
from cogs.groups._hours import HoursCog
from cogs.groups._sessions import SessionsCog


async def setup(bot: commands.Bot) -> None:
    services = bot.services  # type: ignore[attr-defined]
    core = GroupsCore.from_services(services)
    await bot.add_cog(GroupsCog(bot, services, core))
    await bot.add_cog(SessionsCog(bot, services, core))
    await bot.add_cog(HoursCog(bot, services, core))
