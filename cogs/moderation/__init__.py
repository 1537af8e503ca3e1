from discord.ext import commands

from cogs.moderation._cog import ModerationCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ModerationCog(bot, bot.services))  # type: ignore[attr-defined]
