"""The `milestones` extension. Only ``setup()`` here, importing the cog lazily: importing
``cogs.milestones._spec`` (its declaration, read by bot/config.py) loads nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from cogs.milestones._cog import MilestonesCog
    from cogs.milestones._program import ProgramCog

    await bot.add_cog(MilestonesCog(bot, bot.services))  # type: ignore[attr-defined]
    await bot.add_cog(ProgramCog(bot, bot.services))  # type: ignore[attr-defined]
