"""The contract every iopbot cog keeps (DESIGN.md): pluggable, injected, data-owning cogs
can export and delete one member's data."""

from __future__ import annotations

from typing import Any, ClassVar

import discord
from discord.ext import commands

from bot.db.repositories.clients import Client
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.datarights import DeletionReport
from bot.services.errors import UserError

__all__ = ["DeletionReport", "IopCog", "require_active_client", "require_enrolled"]


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


async def require_active_client(services: Services, user_id: int, refusal: str) -> Client:
    """The active client ``user_id``; anyone else gets ``refusal``, the cog's own kind words."""
    client = await services.clients.get(user_id)
    if client is None or not client.is_active:
        raise UserError(refusal)
    return client


async def require_enrolled(services: Services, member: discord.abc.User) -> Client:
    """The client record of ``member`` for staff (past clients included), or a clear error."""
    client = await services.clients.get(member.id)
    if client is None:
        raise UserError(f"{shown_name(member.display_name)} is not an enrolled client.")
    return client
