from discord.ext import commands

from cogs.data._cog import DataCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(DataCog(bot, bot.services))  # type: ignore[attr-defined]
