from discord.ext import commands

from cogs.milestones._cog import MilestonesCog
from cogs.milestones._program import ProgramCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(MilestonesCog(bot, bot.services))  # type: ignore[attr-defined]
    await bot.add_cog(ProgramCog(bot, bot.services))  # type: ignore[attr-defined]
