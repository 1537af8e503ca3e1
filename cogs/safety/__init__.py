from discord.ext import commands

from cogs.safety._cog import SafetyCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(SafetyCog(bot, bot.services))  # type: ignore[attr-defined]
