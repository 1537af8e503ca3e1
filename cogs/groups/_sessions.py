"""Weekly sessions: /session schedule, list, cancel, move, attendance; the planner job."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import IopCog, require_enrolled
from bot.db.repositories.groups_sessions import Occurrence
from bot.domain.localtime import local_date
from bot.domain.sessions import (
    WEEKDAYS,
    check_duration,
    occurrence_at,
    occurrences_between,
    overlaps,
    parse_weekday,
)
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.outbox import ChannelTarget
from bot.services.permissions import facilitator_only
from cogs.groups._attendance import (
    confirm_present,
    confirm_users,
    remove_user,
    show_attendance,
)
from cogs.groups._core import GroupsCore, cohort_autocomplete
from cogs.groups._events import EventSync
from cogs.groups._lookup import find_occurrence, parse_day_in_range, parse_wall
from cogs.groups._planner import PLAN_JOB, SessionPlanner
from cogs.groups._render import (
    cancelled_notice,
    moved_notice,
    session_list,
    template_line,
    when,
)
from cogs.groups._spec import SPEC

FUTURE_DAYS = 90  # how far ahead a single occurrence can be cancelled or moved
PAST_DAYS = 60  # how far back attendance can be reviewed

Action = Literal["show", "confirm", "add", "remove"]


class SessionsCog(IopCog):
    session = app_commands.Group(
        name="session",
        description="Weekly group sessions and attendance (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_events=True),
    )

    def __init__(self, bot: commands.Bot, services: Services, core: GroupsCore) -> None:
        super().__init__(bot, services)
        self.core = core
        self.planner = SessionPlanner(core)
        self.events = EventSync(bot, core)

    async def cog_load(self) -> None:
        interval = timedelta(seconds=SPEC.section_of(self.services.settings).plan_interval_seconds)
        self.services.jobs.every(PLAN_JOB, self.plan, interval)

    async def cog_unload(self) -> None:
        self.services.jobs.remove(PLAN_JOB)

    async def plan(self) -> None:
        """The planner job: occurrences and notices, then Discord's scheduled events."""
        now = self.services.clock.now()
        await self.planner.run(now)
        await self.events.sync(now)

    def _today(self) -> date:
        return local_date(self.services.clock.now(), self.core.zone)

    def _upcoming_day(self, text: str, what: str) -> date:
        """A date from today up to FUTURE_DAYS ahead, or a UserError saying why not."""
        return parse_day_in_range(
            text, today=self._today(), past_days=0, future_days=FUTURE_DAYS, what=what
        )

    # ----- schedule / list ----------------------------------------------------------

    @session.command(name="schedule", description="Add a weekly session to a group.")
    @app_commands.describe(
        cohort="The group",
        weekday="Day of the week, e.g. Tuesday",
        start="Local start time HH:MM (program time zone), e.g. 18:00",
        duration="Length in minutes, e.g. 180 (at most 360)",
    )
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def schedule(
        self,
        interaction: discord.Interaction[Any],
        cohort: str,
        weekday: str,
        start: str,
        duration: int,
    ) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        day_index = parse_weekday(weekday)
        length = check_duration(duration)
        wall = parse_wall(start)
        for existing in await core.sessions.templates(target.id):
            if existing.weekday == day_index and overlaps(
                existing.start_local, existing.duration_minutes, wall, duration
            ):
                raise UserError(
                    f"That overlaps {target.name}'s session on {template_line(existing)}."
                )
        now = services.clock.now()
        async with services.db.transaction() as tx:
            template_id = await core.sessions.add_template(
                tx,
                cohort_id=target.id,
                weekday=day_index,
                start_local=wall,
                duration_minutes=duration,
                created_by=interaction.user.id,
                now=now,
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="session.schedule",
                cohort_id=target.id,
                template_id=template_id,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.plan()
        upcoming = occurrences_between(
            day_index, wall, length, core.zone, now, now + timedelta(days=8)
        )
        following = [p for p in upcoming if p.starts_at > now]
        nxt = f" Next: {when(following[0].starts_at, core.zone)}." if following else ""
        events = await self._events_claim(template_id, now)
        await reply_ephemeral(
            interaction,
            f"Scheduled {target.name}: {WEEKDAYS[day_index]}s at {start.strip()} for "
            f"{duration} minutes ({core.zone.key}).{nxt}{events}",
        )

    async def _events_claim(self, template_id: int, now: datetime) -> str:
        """What is true about this session's Discord events right now (never more)."""
        settings = SPEC.section_of(self.services.settings)
        if not settings.discord_events:
            return ""
        coming = [
            o
            for o in await self.core.sessions.between(now, now + self.planner.window)
            if o.template_id == template_id and o.starts_at > now and not o.is_cancelled
        ]
        if not coming:
            return ""
        made = sum(1 for o in coming if o.event_id is not None)
        days = settings.events_window_days
        if made == len(coming):
            return f" Discord events are kept for the next {days} days."
        if made == 0:
            return (
                " I couldn't create the Discord events for these sessions yet; I'll keep "
                "trying. If this lasts, check that I have the Manage Events permission."
            )
        return (
            f" Discord events were created for {made} of the {len(coming)} sessions in the "
            f"next {days} days; I'll keep trying for the others."
        )

    @session.command(name="list", description="A group's weekly sessions and what's coming up.")
    @app_commands.describe(cohort="The group")
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def list_sessions(self, interaction: discord.Interaction[Any], cohort: str) -> None:
        core = self.core
        target = await core.resolve_cohort(cohort)
        now = self.services.clock.now()
        upcoming = await core.sessions.between(now, now + self.planner.window, target.id)
        templates = await core.sessions.templates(target.id)
        await reply_ephemeral(interaction, session_list(target, templates, upcoming, core.zone))

    # ----- cancel / move ------------------------------------------------------------

    @session.command(name="cancel", description="Cancel one session of a group.")
    @app_commands.describe(
        cohort="The group",
        date="The session's date, YYYY-MM-DD",
        at="Its start time HH:MM, if the group meets more than once that day",
    )
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def cancel(
        self, interaction: discord.Interaction[Any], cohort: str, date: str, at: str | None = None
    ) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        day = self._upcoming_day(date, "session date")
        occ = await find_occurrence(core, target, day, at)
        now = services.clock.now()
        if occ.is_cancelled:
            raise UserError("That session is already cancelled.")
        if occ.starts_at <= now:
            raise UserError("That session has already started, so it can't be cancelled.")
        async with services.db.transaction() as tx:
            await core.sessions.cancel(tx, occ.id, interaction.user.id, now)
            cleared = await core.attendance.clear_occurrence(tx, occ.id)
            await services.outbox.cancel(tx, key_prefix=f"session:{occ.id}:")
            await services.outbox.enqueue(
                tx,
                dedupe_key=f"session:{occ.id}:cancelled",
                kind="session_change",
                target=ChannelTarget(target.channel_id),
                notice=cancelled_notice(target, occ, core.zone),
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="session.cancel",
                cohort_id=target.id,
                occurrence_id=occ.id,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.events.sync(now)
        await reply_ephemeral(
            interaction,
            f"Cancelled {target.name}'s session on {when(occ.starts_at, core.zone)}. "
            "The group channel has been told." + _cleared_note(cleared),
        )

    @session.command(name="move", description="Move one session of a group to another time.")
    @app_commands.describe(
        cohort="The group",
        date="The session's current date, YYYY-MM-DD",
        new_start="The new local start time HH:MM",
        new_date="The new date, YYYY-MM-DD (default: the same day)",
        at="Its current start time HH:MM, if the group meets more than once that day",
    )
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def move(
        self,
        interaction: discord.Interaction[Any],
        cohort: str,
        date: str,
        new_start: str,
        new_date: str | None = None,
        at: str | None = None,
    ) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        day = self._upcoming_day(date, "session date")
        wall = parse_wall(new_start)
        to_day = self._upcoming_day(new_date, "new date") if new_date else day
        occ = await find_occurrence(core, target, day, at)
        now = services.clock.now()
        if occ.is_cancelled:
            raise UserError("That session is cancelled; schedule a new one instead.")
        if occ.starts_at <= now:
            raise UserError("That session has already started, so it can't be moved.")
        planned = occurrence_at(to_day, wall, occ.ends_at - occ.starts_at, core.zone)
        if planned.starts_at <= now:
            raise UserError("The new time is in the past. Please choose a later time.")
        if planned.starts_at == occ.starts_at:
            raise UserError("The session is already at that time.")
        async with services.db.transaction() as tx:
            await core.sessions.move(tx, occ.id, planned=planned, by=interaction.user.id, now=now)
            cleared = await core.attendance.clear_occurrence(tx, occ.id)
            await services.outbox.enqueue(
                tx,
                dedupe_key=f"session:{occ.id}:moved:{int(planned.starts_at.timestamp())}",
                kind="session_change",
                target=ChannelTarget(target.channel_id),
                notice=moved_notice(
                    target,
                    occ.starts_at,
                    _moved(occ, planned.starts_at, planned.ends_at),
                    core.zone,
                ),
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="session.move",
                cohort_id=target.id,
                occurrence_id=occ.id,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.events.sync(now)
        await reply_ephemeral(
            interaction,
            f"Moved {target.name}'s session from {when(occ.starts_at, core.zone)} to "
            f"{when(planned.starts_at, core.zone)}. The group channel has been told."
            + _cleared_note(cleared),
        )

    # ----- attendance ---------------------------------------------------------------

    @session.command(name="attendance", description="See, confirm, add or remove attendees.")
    @app_commands.describe(
        cohort="The group",
        date="The session's date, YYYY-MM-DD",
        action='show (default), confirm (everyone who said "I\'m here", or one member), '
        "add, remove",
        member="The client to confirm, add or remove",
        at="The session's start time HH:MM, if the group met more than once that day",
    )
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def attendance(
        self,
        interaction: discord.Interaction[Any],
        cohort: str,
        date: str,
        action: Action = "show",
        member: discord.Member | None = None,
        at: str | None = None,
    ) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        day = parse_day_in_range(
            date,
            today=self._today(),
            past_days=PAST_DAYS,
            future_days=FUTURE_DAYS,
            what="session date",
        )
        if action in ("add", "remove") and member is None:
            raise UserError(f"Please choose the member to {action}.")
        if member is not None:
            await require_enrolled(services, member)
        occ = await find_occurrence(core, target, day, at)
        by = interaction.user.id
        if action == "show":
            await show_attendance(core, interaction, target, occ)
            return
        if action == "remove" and member is not None:
            if not await remove_user(core, occ, member.id, by=by):
                raise UserError(f"{shown_name(member.display_name)} wasn't marked as attending.")
            await reply_ephemeral(
                interaction,
                f"{shown_name(member.display_name)} is marked as not attending this session.",
            )
            return
        if member is None:
            done = await confirm_present(core, occ, by=by)
            text = (
                f"Confirmed {len(done)} attendee(s)."
                if done
                else 'Nobody who said "I\'m here" is waiting for confirmation.'
            )
        else:
            row = await core.attendance.get(occ.id, member.id)
            if action == "confirm" and (row is None or row.here_at is None):
                raise UserError(
                    f"{shown_name(member.display_name)} didn't press \"I'm here\"; use action add "
                    "to "
                    "record their attendance anyway."
                )
            done = await confirm_users(core, occ, [member.id], by=by)
            text = (
                f"{shown_name(member.display_name)}'s attendance is confirmed."
                if done
                else f"{shown_name(member.display_name)}'s attendance was already confirmed."
            )
        await reply_ephemeral(interaction, text)


def _cleared_note(cleared: int) -> str:
    if not cleared:
        return ""
    return (
        f" Attendance already recorded for the old time ({cleared} person(s)) was cleared, "
        "and its hours no longer count."
    )


def _moved(occ: Occurrence, starts_at: datetime, ends_at: datetime) -> Occurrence:
    return replace(occ, starts_at=starts_at, ends_at=ends_at, status="moved")
