from discord.ext import commands

from cogs.clients._cog import ClientsCog


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ClientsCog(bot, bot.services))  # type: ignore[attr-defined]
