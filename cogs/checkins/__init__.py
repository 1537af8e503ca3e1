from discord.ext import commands

from cogs.checkins._cog import CheckinsCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(CheckinsCog(bot, bot.services))  # type: ignore[attr-defined]
