"""The hours ledger for people: /hours mine, /hours report, /hours export (CSV)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import IopCog
from bot.domain.hours import Band, total_hours, week_bounds, week_settled
from bot.domain.localtime import iso_week, local_date
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.groups._core import GroupsCore, channel_slug, cohort_autocomplete
from cogs.groups._render import CsvRow, HoursLine, hours_csv, hours_report, my_hours
from cogs.groups._spec import SPEC


class HoursCog(IopCog):
    hours = app_commands.Group(
        name="hours", description="Treatment hours from confirmed group attendance."
    )

    def __init__(self, bot: commands.Bot, services: Services, core: GroupsCore) -> None:
        super().__init__(bot, services)
        self.core = core

    @property
    def band(self) -> Band:
        groups = SPEC.section_of(self.services.settings)
        return Band(groups.hours_min_per_week, groups.hours_max_per_week)

    def _this_week(self) -> str:
        return iso_week(local_date(self.services.clock.now(), self.core.zone))

    async def _week_settled(self, cohort_id: int | None) -> bool:
        """Whether this week's last scheduled session of the cohort has passed (or the
        week is over): only then are hours compared with the program's range."""
        now = self.services.clock.now()
        start, end = week_bounds(now, self.core.zone)
        if cohort_id is None:
            return week_settled(now, (), end)
        occurrences = await self.core.sessions.between(start, end, cohort_id=cohort_id)
        return week_settled(now, (o.ends_at for o in occurrences if not o.is_cancelled), end)

    @hours.command(name="mine", description="Your hours this week and in the program so far.")
    async def mine(self, interaction: discord.Interaction[Any]) -> None:
        client = await self.services.clients.get(interaction.user.id)
        if client is None:
            raise UserError("Hours are kept for enrolled clients only.")
        by_week = await self.core.attendance.hours_by_week(client.user_id)
        week = self._this_week()
        sessions = await self.core.attendance.count_confirmed(client.user_id)
        cohort = await self.core.cohorts.cohort_for_client(client.user_id)
        settled = await self._week_settled(cohort.id if cohort else None)
        await reply_ephemeral(
            interaction,
            my_hours(
                week,
                by_week.get(week, 0.0),
                total_hours(by_week),
                sessions,
                self.band,
                settled=settled,
            ),
        )

    @hours.command(name="report", description="Each client's hours this week against the band.")
    @app_commands.describe(cohort="The group")
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @app_commands.guild_only()
    @facilitator_only()
    async def report(self, interaction: discord.Interaction[Any], cohort: str) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        members = await core.cohorts.members(target.id)
        week = self._this_week()
        hours = await core.attendance.hours_in_week(members, week)
        lines = []
        for user_id in members:
            client = await services.clients.get(user_id)
            name = shown_name(client.display_name) if client else f"member {user_id}"
            value = hours.get(user_id, 0.0)
            lines.append(HoursLine(user_id, name, value, self.band.status(value)))
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx, actor_id=interaction.user.id, action="hours.report", cohort_id=target.id
            )
        settled = await self._week_settled(target.id)
        embed = discord.Embed.from_dict(
            hours_report(target, week, lines, self.band, settled=settled)
        )
        under = [line.name for line in lines if line.status == "under"]
        if not settled:
            note = "Hours so far this week; the range is checked after the week's last session."
        elif under:
            note = f"Under the program's range this week: {', '.join(under)}."
        else:
            note = "Nobody is under the program's range this week."
        await reply_ephemeral(interaction, note, embed=embed)

    @hours.command(name="export", description="Download a group's hours per week as CSV.")
    @app_commands.describe(cohort="The group")
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @app_commands.guild_only()
    @facilitator_only()
    async def export(self, interaction: discord.Interaction[Any], cohort: str) -> None:
        core, services = self.core, self.services
        target = await core.resolve_cohort(cohort)
        rows: list[CsvRow] = []
        for user_id in await core.cohorts.members_ever(target.id):
            client = await services.clients.get(user_id)
            name = client.display_name if client else f"member {user_id}"
            per_week: dict[str, list[float]] = defaultdict(list)
            for entry in await core.attendance.ledger(user_id):
                per_week[entry.iso_week].append(entry.hours)
            for week in sorted(per_week):
                value = total_hours(per_week[week])
                rows.append(
                    CsvRow(user_id, name, week, len(per_week[week]), value, self.band.status(value))
                )
        rows.sort(key=lambda r: (r.week, r.name.lower(), r.user_id))
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="hours.export",
                cohort_id=target.id,
                rows=len(rows),
            )
        today = local_date(services.clock.now(), core.zone).isoformat()
        file = discord.File(
            io.BytesIO(hours_csv(rows)), filename=f"hours-{channel_slug(target.name)}-{today}.csv"
        )
        await reply_ephemeral(
            interaction,
            f"Hours for {target.name}: {len(rows)} row(s), one per client and ISO week. "
            "Please store this file as securely as the clinical record.",
            file=file,
        )
