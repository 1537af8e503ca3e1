"""Discord scheduled events for group sessions (the ``groups:plan`` job's Discord half).

For occurrences whose ``event_synced`` is 0: create (adopting an event this bot already
made, found by its ``[iop-session:ID]`` tag, so a crash between create and save never
duplicates), edit after a move, delete after a cancel. Discord is never called inside a
transaction; the occurrences themselves come from ``_planner.py``.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

import discord

from bot.db.repositories.cohorts import Cohort
from bot.db.repositories.groups_sessions import Occurrence
from cogs.groups._core import GroupsCore
from cogs.groups._spec import SPEC

log = logging.getLogger("iopbot.groups.planner")


def event_tag(occurrence_id: int) -> str:
    return f"[iop-session:{occurrence_id}]"


class EventSync:
    def __init__(self, bot: discord.Client, core: GroupsCore) -> None:
        self.bot = bot
        self.core = core

    async def sync(self, now: datetime) -> None:
        core = self.core
        if not SPEC.section_of(core.services.settings).discord_events:
            return
        window = timedelta(days=SPEC.section_of(core.services.settings).events_window_days)
        pending = await core.sessions.needing_event_sync(now, now + window)
        if not pending:
            return
        cohorts = {c.id: c for c in await core.cohorts.list()}
        for occ in pending:
            cohort = cohorts.get(occ.cohort_id)
            guild = self.bot.get_guild(cohort.guild_id) if cohort else None
            if cohort is None or guild is None:
                continue
            try:
                event_id = await self._sync_one(guild, cohort, occ, now)
            except discord.HTTPException as exc:
                log.warning(
                    "groups.event_sync_failed",
                    extra={"occurrence_id": occ.id, "status": exc.status, "code": exc.code},
                )
                continue
            async with core.services.db.transaction() as tx:
                await core.sessions.set_event(tx, occ.id, event_id)

    async def _sync_one(
        self, guild: discord.Guild, cohort: Cohort, occ: Occurrence, now: datetime
    ) -> int | None:
        """Make Discord match ``occ``; return the event id to store (None: no event)."""
        if occ.is_cancelled:
            if occ.event_id is not None:
                await self._delete_event(guild, occ.event_id)
            return None
        event = await self._find_event(guild, occ)
        if occ.starts_at <= now:
            return event.id if event else None  # Discord refuses events in the past
        if event is None:
            event = await guild.create_scheduled_event(
                name=f"{cohort.name} group session"[:100],
                start_time=occ.starts_at,
                end_time=occ.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=self._location(guild, cohort),
                description=f"Group session for members of {cohort.name}. {event_tag(occ.id)}",
                reason="iopbot: session planner",
            )
            log.info("groups.event_created", extra={"occurrence_id": occ.id, "event_id": event.id})
        elif event.start_time != occ.starts_at or event.end_time != occ.ends_at:
            await event.edit(
                start_time=occ.starts_at, end_time=occ.ends_at, reason="iopbot: session moved"
            )
        return event.id

    async def _find_event(
        self, guild: discord.Guild, occ: Occurrence
    ) -> discord.ScheduledEvent | None:
        if occ.event_id is not None:
            cached = guild.get_scheduled_event(occ.event_id)
            if cached is not None:
                return cached
            try:
                return await guild.fetch_scheduled_event(occ.event_id)
            except discord.NotFound:
                return None
        tag = event_tag(occ.id)
        for event in guild.scheduled_events:
            if event.description and tag in event.description:
                return event
        return None

    async def _delete_event(self, guild: discord.Guild, event_id: int) -> None:
        with contextlib.suppress(discord.NotFound):
            await self.bot.http.delete_scheduled_event(guild.id, event_id)

    @staticmethod
    def _location(guild: discord.Guild, cohort: Cohort) -> str:
        channel = guild.get_channel(cohort.channel_id)
        name = f"#{channel.name}" if channel is not None else "the group channel"
        return f"Discord: {name}"[:100]
