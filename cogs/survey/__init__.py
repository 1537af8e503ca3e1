from discord.ext import commands

from cogs.survey._cog import SurveyCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(SurveyCog(bot, bot.services))  # type: ignore[attr-defined]
