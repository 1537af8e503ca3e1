from discord.ext import commands

from cogs.careline._cog import CarelineCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(CarelineCog(bot, bot.services))  # type: ignore[attr-defined]
