"""Data rights: /mydata export and delete, /audit client, and the daily retention purge."""

from __future__ import annotations

import io
import logging
import math
from datetime import datetime, timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.codec import parse_ts, ts
from bot.db.repositories.data import DataRequestRepository, UserRecordQueries
from bot.domain.localtime import at_local, local_date, parse_hhmm
from bot.domain.text import shown_name, with_preview
from bot.services import userdata
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import auditor_only
from cogs.data._render import AUDIT_LINES, audit_embed, delete_prompt
from cogs.data._views import ConfirmDeleteButton, KeepDataButton, confirm_view

log = logging.getLogger("iopbot.data")

PURGE_JOB = "data:purge"
LAST_PURGE_KEY = "data:last_purge_at"


def last_scheduled_purge(now: datetime, purge_time: str, zone: Any) -> datetime:
    """The most recent program-local ``purge_time`` at or before ``now`` (UTC)."""
    wall = parse_hhmm(purge_time)
    today = local_date(now, zone)
    candidate = at_local(today, wall, zone)
    if candidate > now:
        candidate = at_local(today - timedelta(days=1), wall, zone)
    return candidate


class DataCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("data_requests",)
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(attach_files=True)

    mydata = app_commands.Group(
        name="mydata", description="See or delete what iopbot holds about you.", guild_only=True
    )
    audit = app_commands.Group(
        name="audit", description="The audit trail of staff actions (audit role).", guild_only=True
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.requests = DataRequestRepository(services.db)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConfirmDeleteButton, KeepDataButton)
        self.services.jobs.every(PURGE_JOB, self.purge_if_due, timedelta(minutes=5))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ConfirmDeleteButton, KeepDataButton)
        self.services.jobs.remove(PURGE_JOB)

    # ----- /mydata --------------------------------------------------------------------

    @mydata.command(name="export", description="Get a file of everything iopbot holds about you.")
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        services = self.services
        user = interaction.user
        wait = await self._export_wait(user.id)
        if wait is not None:
            raise UserError(
                "You asked for your data a short while ago, and each export is kept on record "
                f"for 6 years, so please wait {wait} before asking again. The file you got "
                "last time is still complete up to then."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        document = await userdata.gather_export(self.bot, services, user.id)
        if not userdata.has_records(document):
            await reply_ephemeral(interaction, "iopbot holds no records about you.")
            return
        await userdata.record_export(services, user_id=user.id, requested_by=user.id)
        payload = userdata.export_json(document)
        name = userdata.export_filename(user.id, services.clock.now())
        note = (
            "Here is everything iopbot holds about you, as a JSON file. It is private to you; "
            "keep it somewhere safe."
        )
        try:
            await user.send(
                with_preview(services.settings.program.dm_preview, note),
                file=discord.File(io.BytesIO(payload), filename=name),
            )
        except discord.Forbidden:
            await reply_ephemeral(
                interaction,
                "I couldn't DM you (your DMs are closed), so here is your file. " + note,
                file=discord.File(io.BytesIO(payload), filename=name),
            )
            return
        await reply_ephemeral(interaction, "I sent your data to you by DM as a JSON file.")

    async def _export_wait(self, user_id: int) -> str | None:
        """How long ``user_id`` must wait for their next export (None: not at all)."""
        cooldown = timedelta(minutes=self.services.settings.security.export_cooldown_minutes)
        last = await self.requests.last_own_export_at(user_id)
        if last is None:
            return None
        left = last + cooldown - self.services.clock.now()
        if left <= timedelta(0):
            return None
        minutes = math.ceil(left.total_seconds() / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"

    @mydata.command(name="delete", description="Delete what iopbot holds about you.")
    async def delete(self, interaction: discord.Interaction[Any]) -> None:
        services = self.services
        document = await userdata.gather_export(self.bot, services, interaction.user.id)
        if not userdata.removable_sections(document):
            raise UserError(
                "iopbot holds nothing about you that it could delete. It keeps only the audit "
                "trail and the record of your data requests (6 years)."
            )
        minutes = services.settings.retention.delete_confirm_minutes
        until = services.clock.now() + timedelta(minutes=minutes)
        await reply_ephemeral(
            interaction,
            delete_prompt(document, minutes, services.settings.safety),
            view=confirm_view(interaction.user.id, until),
        )

    # ----- /audit client --------------------------------------------------------------

    @audit.command(name="client", description="Staff actions on a client's record.")
    @app_commands.describe(member="The client (or any member) whose audit trail to show")
    @auditor_only()
    async def audit_client(
        self, interaction: discord.Interaction[Any], member: discord.Member
    ) -> None:
        services = self.services
        if member.bot:
            raise UserError("Bots have no audit trail.")
        queries = UserRecordQueries(services.db)
        total = await queries.audit_count(member.id)
        entries = await services.audit_repo.for_subject(member.id, limit=AUDIT_LINES)
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx, actor_id=interaction.user.id, action="audit.view", subject_user_id=member.id
            )
        client = await services.clients.get(member.id)
        name = shown_name(client.display_name if client else member.display_name)
        guild = interaction.guild

        def who(user_id: int) -> str:
            found = guild.get_member(user_id) if guild else None
            return shown_name(found.display_name) if found else f"user {user_id}"

        await reply_ephemeral(interaction, "", embed=audit_embed(name, entries, total, who))

    # ----- the daily purge ------------------------------------------------------------

    async def purge_if_due(self) -> dict[str, int] | None:
        """Run the purge once per program-local day at ``retention.purge_time``."""
        services = self.services
        now = services.clock.now()
        due = last_scheduled_purge(
            now, services.settings.retention.purge_time, services.settings.program.timezone
        )
        last = await services.meta.get(LAST_PURGE_KEY)
        if last is not None and parse_ts(last) >= due:
            return None
        counts = await userdata.purge_everything(self.bot, services)
        async with services.db.transaction() as tx:
            await services.meta.set(tx, LAST_PURGE_KEY, ts(now))
        log.info("data.purged", extra={"rows": sum(counts.values()), "tables": sorted(counts)})
        return counts

    # ----- the cog contract -----------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        found = await self.requests.for_user(user_id)
        if not found:
            return {}
        return {
            "data_requests": [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "requested_at": r.requested_at.isoformat(),
                    "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                    "removed": r.removed,
                    "kept": r.kept,
                }
                for r in found
            ]
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        # The record of data-rights requests is the proof they were honoured: kept.
        return DeletionReport(kept={"data_requests": userdata.KEPT_REQUESTS})

    async def purge_expired(self) -> dict[str, int]:
        # data_requests age out with the audit trail in userdata.purge_everything.
        return {}
