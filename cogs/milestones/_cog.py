"""Milestone celebrations: /sobriety, /milestones, the planner job and congrats button.

Private by default: a client's sobriety date and counts are shown only to them
(ephemeral replies and DMs) unless they choose ``/milestones public on``; even then the
cohort sees a display name and the milestone, never a substance or check-in data.
A reported use never resets anything by itself: ``/sobriety show`` gently mentions
``/sobriety reset``, and the client decides whether the counter restarts.

``/milestones upcoming`` (facilitators): program milestones for everyone; sobriety
milestones with their day count only for clients who opted in, otherwise "a private
sobriety milestone". Facilitators are staff, but the sobriety date is the client's own,
given on the promise that it is not shown to others unless they opt in; knowing a
milestone is coming is enough to offer encouragement.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.clients import Client
from bot.db.repositories.milestones import MilestoneRepository, SobrietyRecord
from bot.db.repositories.outbox import OutboxRow
from bot.domain import milestones as ms
from bot.domain.dates import parse_date
from bot.domain.localtime import local_date, parse_hhmm
from bot.services.container import Services
from bot.services.dispatcher import KindHooks
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.milestones import _render as render
from cogs.milestones._export import export_milestone_data
from cogs.milestones._planner import KIND_CONGRATS, KIND_DM, KIND_POST, Planner, schemes
from cogs.milestones._sources import ProgramSources, RepositorySources
from cogs.milestones._spec import SPEC
from cogs.milestones._views import CongratsButton, ResetView

log = logging.getLogger("iopbot.milestones")

PLAN_JOB = "milestones:plan"
UPCOMING_DAYS = 7
_UPCOMING_LIMIT = 1800


class MilestonesCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = (
        "sobriety_records",
        "sobriety_resets",
        "milestones",
        "milestone_congrats",
    )
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        view_channel=True, send_messages=True
    )

    sobriety = app_commands.Group(
        name="sobriety", description="Your own sobriety date and counts (private)."
    )
    milestones = app_commands.Group(
        name="milestones", description="Milestone celebrations.", guild_only=True
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = MilestoneRepository(services.db)
        self.sources: ProgramSources = RepositorySources(services.db)
        self.planner = Planner(services, self.repo, self.sources, self.member_name)

    @property
    def term(self) -> str:
        """The program's word for the client's own streak ("recovery" by default)."""
        return SPEC.section_of(self.services.settings).streak_term

    def member_name(self, user_id: int) -> str | None:
        """The member's display name from the gateway cache (no request), or None."""
        guild_id = self.services.settings.discord.guild_id
        guild = self.bot.get_guild(guild_id) if guild_id else None
        member = guild.get_member(user_id) if guild else None
        return member.display_name if member else None

    def use_sources(self, sources: ProgramSources) -> None:
        """Replace where sessions, reported use and cohort channels come from (tests)."""
        self.sources = sources
        self.planner.sources = sources

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(CongratsButton)
        self.services.dispatcher.register(KIND_POST, KindHooks(check=self._still_public))
        self.services.jobs.every(
            PLAN_JOB,
            self.planner.run,
            timedelta(minutes=SPEC.section_of(self.services.settings).plan_every_minutes),
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CongratsButton)
        self.services.dispatcher.unregister(KIND_POST)
        self.services.jobs.remove(PLAN_JOB)

    async def _still_public(self, row: OutboxRow) -> str | None:
        """At send time: a client who switched to private gets no cohort post."""
        record = await self.repo.record(row.subject_user_id or 0)
        return None if record is not None and record.public else "client is private"

    async def _client(self, interaction: discord.Interaction[Any]) -> Client:
        client = await self.services.clients.get(interaction.user.id)
        if client is None:
            raise UserError("Milestones are for enrolled clients of the program.")
        return client

    # ----- /sobriety ---------------------------------------------------------------------

    @sobriety.command(name="set", description="Set your sobriety date (private to you).")
    @app_commands.describe(date="The date, YYYY-MM-DD, e.g. 2026-01-31")
    async def sobriety_set(self, interaction: discord.Interaction[Any], date: str) -> None:
        services = self.services
        client = await self._client(interaction)
        now = services.clock.now()
        today = local_date(now, client.timezone)
        start = ms.check_sobriety_date(parse_date(date), today=today)
        async with services.db.transaction() as tx:
            await self.repo.set_start(tx, client.user_id, start, now)
            await self.repo.drop_pending_sobriety(tx, client.user_id)
            record = await self.repo.record_in(tx, client.user_id)
        log.info("sobriety.set", extra={"person": services.key.pseudonym(client.user_id)})
        await reply_ephemeral(
            interaction,
            render.set_reply(
                start=start,
                days=ms.days_since(start, today),
                next_line=self._next_line(start, today),
                public=bool(record and record.public),
                term=self.term,
            ),
        )

    def _next_line(self, start: date, today: date) -> str | None:
        sobriety, _ = schemes(SPEC.section_of(self.services.settings))
        horizon = today + timedelta(days=3 * 366)
        for c in ms.sobriety_candidates(start, sobriety, until=horizon):
            if c.due_date > today:
                return render.next_text(c.kind, c.n, c.due_date, term=self.term)
        return None

    @sobriety.command(name="show", description="Your days, longest streak and cumulative days.")
    async def sobriety_show(self, interaction: discord.Interaction[Any]) -> None:
        client = await self._client(interaction)
        today = local_date(self.services.clock.now(), client.timezone)
        record = await self.repo.record(client.user_id)
        tally = record.tally() if record else None
        if tally is None:
            await reply_ephemeral(interaction, render.no_date(self.term))
            return
        lines = [
            f"**Your {self.term} numbers**",
            render.counts_text(
                current=tally.current_days(today),
                since=tally.streak_start,
                longest=tally.longest(today),
                cumulative=tally.cumulative(today),
            ),
        ]
        if (line := self._next_line(tally.streak_start, today)) is not None:
            lines.append(line)
        lines.append(
            "Celebrations: shared with your group."
            if record and record.public
            else render.PRIVATE_NOTE
        )
        uses = await self.sources.reported_use_dates(client.user_id)
        if any(d > tally.streak_start for d in uses):
            lines.append(render.USE_REPORTED_NOTE)
        await reply_ephemeral(interaction, "\n".join(lines))

    @sobriety.command(name="reset", description="Choose privately whether your counter restarts.")
    async def sobriety_reset(self, interaction: discord.Interaction[Any]) -> None:
        client = await self._client(interaction)
        today = local_date(self.services.clock.now(), client.timezone)
        record = await self.repo.record(client.user_id)
        tally = record.tally() if record else None
        if tally is None:
            await reply_ephemeral(interaction, render.no_date(self.term))
            return
        await reply_ephemeral(
            interaction,
            render.RESET_PROMPT.format(
                cumulative=tally.cumulative(today),
                longest=render.days_label(ms.DAYS, tally.longest(today)),
            ),
            view=ResetView(self.services, self.repo, client.user_id),
        )

    # ----- /milestones -------------------------------------------------------------------

    @milestones.command(name="public", description="Share your celebrations with your group?")
    @app_commands.describe(choice="on: your group sees your milestones; off: DM only")
    async def milestones_public(
        self, interaction: discord.Interaction[Any], choice: Literal["on", "off"]
    ) -> None:
        client = await self._client(interaction)
        public = choice == "on"
        async with self.services.db.transaction() as tx:
            await self.repo.set_public(tx, client.user_id, public, self.services.clock.now())
            if not public:
                await self.services.outbox.cancel(
                    tx, kind=KIND_POST, subject_user_id=client.user_id
                )
        log.info(
            "milestones.public",
            extra={"person": self.services.key.pseudonym(client.user_id), "public": public},
        )
        await reply_ephemeral(interaction, render.PUBLIC_ON if public else render.PUBLIC_OFF)

    @milestones.command(name="upcoming", description="This week's milestones (facilitators).")
    @facilitator_only()
    async def milestones_upcoming(self, interaction: discord.Interaction[Any]) -> None:
        services = self.services
        clients = await services.clients.list_active()
        records = await self.repo.records([c.user_id for c in clients])
        lines: list[tuple[date, str]] = []
        for client in clients:
            lines.extend(await self._upcoming_for(client, records.get(client.user_id)))
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx, actor_id=interaction.user.id, action="milestones.upcoming", clients=len(clients)
            )
        if not lines:
            await reply_ephemeral(interaction, "No milestones in the next 7 days.")
            return
        text = "**Milestones in the next 7 days**"
        shown = 0
        for _, line in sorted(lines):
            if len(text) + len(line) + 1 > _UPCOMING_LIMIT:
                break
            text += "\n" + line
            shown += 1
        if shown < len(lines):
            text += f"\n…and {len(lines) - shown} more."
        await reply_ephemeral(interaction, text)

    async def _upcoming_for(
        self, client: Client, record: SobrietyRecord | None
    ) -> list[tuple[date, str]]:
        """What the planner will still announce in the next days: not what is already
        celebrated (or recorded and never to be sent), nor what falls before the client's
        enrollment or sobriety date (the planner records those without a word)."""
        now = self.services.clock.now()
        today = local_date(now, client.timezone)
        last = today + timedelta(days=UPCOMING_DAYS - 1)
        settings = SPEC.section_of(self.services.settings)
        sobriety, program = schemes(settings)
        wall = parse_hhmm(settings.celebration_time)
        known = await self.repo.keys(client.user_id)
        dated: list[tuple[ms.Candidate, int]] = []
        if record is not None and record.streak_start is not None:
            dated += [
                (c, record.streak_number)
                for c in ms.sobriety_candidates(record.streak_start, sobriety, until=last)
            ]
        dated += [
            (c, 0) for c in ms.program_week_candidates(client.program_start, program, until=last)
        ]
        found: dict[tuple[str, str, int], date] = {}
        for c, streak in dated:
            if (c.scheme, c.kind, c.n, streak) in known or not today <= c.due_date <= last:
                continue
            due_at = ms.celebration_at(c.due_date, wall, client.timezone)
            if self.planner.timing_for(c.scheme, streak, due_at, client, record, now) == "prior":
                continue
            found[(c.scheme, c.kind, c.n)] = c.due_date
        for m in await self.repo.pending_between([client.user_id], today, last):
            if self.planner.timing_for(m.scheme, m.streak, m.due_at, client, record, now) in (
                "prior",
                "stale",
            ):
                continue
            found[(m.scheme, m.kind, m.n)] = m.due_date
        public = bool(record and record.public)
        lines = []
        for (scheme, kind, n), due in found.items():
            if not today <= due <= last:
                continue
            if scheme == ms.SOBRIETY and not public:
                what = render.private_milestone(self.term)
            else:
                what = render.milestone_label(kind, n, term=self.term)
            lines.append((due, render.upcoming_line(day=due, name=client.display_name, what=what)))
        return lines

    # ----- a member's data ---------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        return await export_milestone_data(self.repo, user_id)

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.repo.delete_for_user(tx, user_id)
            for kind in (KIND_DM, KIND_POST, KIND_CONGRATS):
                await self.services.outbox.cancel(tx, kind=kind, subject_user_id=user_id)
        return DeletionReport(removed=removed)

    async def purge_expired(self) -> dict[str, int]:
        """Nothing here is time-limited: milestones and streak history are the client's
        own record, kept until they (or the program) delete them."""
        return {}
