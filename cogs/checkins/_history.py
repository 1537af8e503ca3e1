"""Loading a client's history and the weekly report (sending the chart is ``_interactions``)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, timedelta
from typing import Protocol

from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.checkins_report import CheckinReportRepository, WeekTotals, WeekWindow
from bot.db.repositories.clients import Client
from bot.db.repositories.cohorts import CohortRepository
from bot.domain.checkins import checkin_streak, missed_days, window_days
from bot.domain.localtime import iso_week, local_date
from bot.services.container import Services
from bot.services.errors import UserError
from cogs.checkins._render import History, ReportRow

log = logging.getLogger("iopbot.checkins")

HISTORY_DAYS = 30


class NamedChannel(Protocol):
    """What the report needs of the channel picked in ``/checkin report``."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


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


async def report_clients(
    services: Services, cohort_channel: NamedChannel | None
) -> tuple[str, list[Client]]:
    """The report's title and clients: one cohort (by its channel) or all active clients."""
    if cohort_channel is None:
        return "All active clients", await services.clients.list_active()
    cohort = await CohortRepository(services.db).by_channel(cohort_channel.id)
    if cohort is None:
        raise UserError(
            f"#{cohort_channel.name} is not a cohort channel. Pick a cohort's channel, or "
            "leave the option empty for all active clients."
        )
    members = await CheckinReportRepository(services.db).active_in_cohort(cohort.id)
    return f"Cohort {cohort.name}", members


async def report_rows(services: Services, clients: list[Client]) -> tuple[str, list[ReportRow]]:
    """This week's numbers per client (each client's own local week, Monday to today).

    Two queries whatever the number of clients: open alerts, and every client's week
    grouped in one pass (``CheckinReportRepository.week_totals``).
    """
    now = services.clock.now()
    today_in: dict[str, date] = {}  # local date per zone (clients share a few zones)
    windows: list[WeekWindow] = []
    for client in clients:
        key = str(client.timezone)
        today = today_in.get(key)
        if today is None:
            today = today_in[key] = local_date(now, client.timezone)
        monday = today - timedelta(days=today.weekday())
        windows.append(WeekWindow(client.user_id, max(monday, client.program_start), today))
    totals = await CheckinReportRepository(services.db).week_totals(windows)
    open_alerts = Counter(
        a.subject_user_id for a in await services.alert_repo.open_for([c.user_id for c in clients])
    )
    none = WeekTotals(0, 0, 0, 0, 0)
    rows = []
    for client, window in zip(clients, windows, strict=True):
        week_totals = totals.get(client.user_id, none)
        rows.append(
            ReportRow(
                name=client.display_name,
                checkins=week_totals.checkins,
                expected_days=max(0, (window.last - window.first).days + 1),
                mood_total=week_totals.mood_total,
                craving_total=week_totals.craving_total,
                use_reported=week_totals.use_reported,
                safety_yes=week_totals.safety_yes,
                open_alerts=open_alerts[client.user_id],
            )
        )
    week = iso_week(local_date(now, services.settings.program.timezone))
    return week, rows
