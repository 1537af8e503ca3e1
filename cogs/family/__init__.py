from discord.ext import commands

from cogs.family._cog import FamilyCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FamilyCog(bot, bot.services))  # type: ignore[attr-defined]
