"""The contract every iopbot cog keeps (DESIGN.md): pluggable, injected, data-owning cogs
can export and delete one member's data."""

from __future__ import annotations

from typing import Any, ClassVar

import discord
from discord.ext import commands

from bot.services.container import Services
from bot.services.datarights import DeletionReport

__all__ = ["DeletionReport", "IopCog"]


class IopCog(commands.Cog):
    """Base for every feature cog.

    ``owned_tables`` names the tables this cog's migrations create. A cog that owns any
    table must override both :meth:`export_user_data` and :meth:`delete_user_data`
    (a meta-test checks this).
    """

    owned_tables: ClassVar[tuple[str, ...]] = ()
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions.none()

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot
        self.services = services

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        return {}

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        return DeletionReport()

    async def purge_expired(self) -> dict[str, int]:
        """Delete rows past their retention (settings.retention); return counts per table.

        Called by the daily purge job; must be idempotent.
        """
        return {}
