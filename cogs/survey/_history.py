"""Loading a client's trend and the cohort report (the chart is rendered off the loop)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta

from bot.db.repositories.clients import Client
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.survey import Response, SurveyRepository
from bot.domain.localtime import local_date
from bot.domain.survey import max_scores
from bot.services.container import Services
from bot.services.errors import UserError
from cogs.survey._chart import PROTECTIVE_COLOR, RISK_COLOR, USE_COLOR, Series, render_trend
from cogs.survey._render import Trend, report_text
from cogs.survey._spec import SurveySettings

CHART_FILE = "recovery-check.png"
REPORT_FILE = "recovery-check-report.png"


async def load_trend(services: Services, settings: SurveySettings, client: Client) -> Trend:
    responses = await SurveyRepository(services.db).complete_for(
        client.user_id, settings.history_periods
    )
    return Trend(
        name=client.display_name,
        responses=responses,
        top=max_scores(settings.domain_items()),
        frequency=settings.frequency,
    )


def trend_series(responses: list[Response]) -> list[Series]:
    scored = [r.scores for r in responses]
    return [
        Series("Use", [s.use if s else None for s in scored], USE_COLOR, "x"),
        Series("Risk", [s.risk if s else None for s in scored], RISK_COLOR, "s"),
        Series("Protective", [s.protective if s else None for s in scored], PROTECTIVE_COLOR),
    ]


async def report_clients(
    services: Services, channel: tuple[int, str] | None
) -> tuple[str, list[Client]]:
    """The report's title and clients: one cohort (by its channel's id and name) or all
    active clients."""
    active = await services.clients.list_active()
    if channel is None:
        return "All active clients", active
    channel_id, channel_name = channel
    cohort = await CohortRepository(services.db).by_channel(channel_id)
    if cohort is None:
        raise UserError(
            f"#{channel_name} is not a cohort channel. Pick a cohort's channel, or leave the "
            "option empty for all active clients."
        )
    members = set(await CohortRepository(services.db).members(cohort.id))
    return f"Cohort {cohort.name}", [c for c in active if c.user_id in members]


def cohort_means(responses: list[Response]) -> dict[str, tuple[int, float, float]]:
    """Per period (in order): responses, mean risk and mean protective score."""
    grouped: dict[str, list[Response]] = defaultdict(list)
    for r in sorted(responses, key=lambda r: (r.first_day, r.period)):
        grouped[r.period].append(r)
    means: dict[str, tuple[int, float, float]] = {}
    for label, group in grouped.items():
        scored = [r.scores for r in group if r.scores is not None]
        if scored:
            means[label] = (
                len(scored),
                sum(s.risk for s in scored) / len(scored),
                sum(s.protective for s in scored) / len(scored),
            )
    return means


async def cohort_report(
    services: Services, settings: SurveySettings, title: str, clients: list[Client]
) -> tuple[str, bytes | None]:
    """The report's text and chart (None when nobody has answered yet)."""
    today = local_date(services.clock.now(), services.settings.program.timezone)
    days = 7 if settings.frequency == "weekly" else 31
    since = today - timedelta(days=days * settings.history_periods)
    responses = await SurveyRepository(services.db).complete_since(
        [c.user_id for c in clients], since
    )
    means = cohort_means(responses)
    text = report_text(title, len(clients), means)
    if not means:
        return text, None
    periods = list(means)
    series = [
        Series("Mean risk", [means[p][1] for p in periods], RISK_COLOR, "s"),
        Series("Mean protective", [means[p][2] for p in periods], PROTECTIVE_COLOR),
    ]
    png = await asyncio.to_thread(render_trend, periods, series, title=f"Recovery checks: {title}")
    return text, png
