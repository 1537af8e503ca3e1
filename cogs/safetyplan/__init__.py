from discord.ext import commands

from cogs.safetyplan._cog import SafetyPlanCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(SafetyPlanCog(bot, bot.services))  # type: ignore[attr-defined]
