from discord.ext import commands

from cogs.status._cog import StatusCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(StatusCog(bot, bot.services))  # type: ignore[attr-defined]
