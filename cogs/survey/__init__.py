"""The `survey` extension. Only ``setup()`` here, importing the cog lazily: importing
``cogs.survey._spec`` (its declaration, read by bot/config.py) loads nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from cogs.survey._cog import SurveyCog

    await bot.add_cog(SurveyCog(bot, bot.services))  # type: ignore[attr-defined]
