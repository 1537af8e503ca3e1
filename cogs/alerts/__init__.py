from discord.ext import commands

from cogs.alerts._cog import AlertsCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(AlertsCog(bot, bot.services))  # type: ignore[attr-defined]
