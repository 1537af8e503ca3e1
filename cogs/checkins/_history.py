"""Loading a client's history and the weekly report; sending the private chart."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import timedelta
from typing import Any

import discord

from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.clients import Client
from bot.db.repositories.cohorts import CohortRepository
from bot.domain.checkins import checkin_streak, missed_days, window_days
from bot.domain.localtime import iso_week, local_date
from bot.services.container import Services
from bot.services.errors import UserError
from cogs.checkins._chart import render_chart
from cogs.checkins._render import History, ReportRow, history_text

log = logging.getLogger("iopbot.checkins")

HISTORY_DAYS = 30


async def load_history(services: Services, client: Client) -> History:
    repo = CheckinRepository(services.db)
    today = local_date(services.clock.now(), client.timezone)
    days = window_days(today, HISTORY_DAYS)
    checkins = await repo.between(client.user_id, days[0], today)
    checked = [c.local_date for c in checkins]
    streak_days = await repo.checked_dates(client.user_id, today - timedelta(days=400), today)
    return History(
        name=client.display_name,
        today=today,
        since=client.program_start,
        days=days,
        checkins=checkins,
        missed=missed_days(days, checked, since=client.program_start, today=today),
        streak=checkin_streak(streak_days, today),
    )


async def send_history(
    interaction: discord.Interaction[Any], history: History, *, own: bool
) -> None:
    """Reply privately with the chart (rendered off the event loop) and the table."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    title = "Your check-ins" if own else f"Check-ins: {history.name}"
    png = await asyncio.to_thread(
        render_chart, history.days, history.points, history.missed, title=title
    )
    await interaction.followup.send(
        history_text(history, own=own),
        file=discord.File(fp=io.BytesIO(png), filename="checkins.png"),
        ephemeral=True,
        allowed_mentions=discord.AllowedMentions.none(),
    )


async def report_clients(
    services: Services, cohort_channel: discord.abc.GuildChannel | None
) -> tuple[str, list[Client]]:
    """The report's title and clients: one cohort (by its channel) or all active clients."""
    active = await services.clients.list_active()
    if cohort_channel is None:
        return "All active clients", active
    cohort = await CohortRepository(services.db).by_channel(cohort_channel.id)
    if cohort is None:
        raise UserError(
            f"#{cohort_channel.name} is not a cohort channel. Pick a cohort's channel, or "
            "leave the option empty for all active clients."
        )
    members = set(await CohortRepository(services.db).members(cohort.id))
    return f"Cohort {cohort.name}", [c for c in active if c.user_id in members]


async def report_rows(services: Services, clients: list[Client]) -> tuple[str, list[ReportRow]]:
    """This week's numbers per client (each client's own local week, Monday to today)."""
    repo = CheckinRepository(services.db)
    now = services.clock.now()
    open_alerts = await services.alert_repo.open_for([c.user_id for c in clients])
    rows = []
    for client in clients:
        today = local_date(now, client.timezone)
        monday = today - timedelta(days=today.weekday())
        first = max(monday, client.program_start)
        checkins = await repo.between(client.user_id, first, today)
        rows.append(
            ReportRow(
                name=client.display_name,
                checkins=len(checkins),
                expected_days=max(0, (today - first).days + 1),
                moods=[c.mood for c in checkins],
                cravings=[c.craving for c in checkins],
                use_reported=sum(1 for c in checkins if c.used == "yes"),
                open_alerts=sum(1 for a in open_alerts if a.subject_user_id == client.user_id),
            )
        )
    week = iso_week(local_date(now, services.settings.program.timezone))
    return week, rows
