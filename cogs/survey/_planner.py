"""The recovery-check prompt as a schedule of :mod:`bot.services.prompts`, and its hooks.

The service plans, queues, catches up, skips after the cut-off and re-plans on a zone
change; what is particular to the survey is here: the prompt (not sent when the period's
response is already complete), its cut-off (the end of the period: the check can be
answered any day of it), the missed-periods rule (evaluated at each period's prompt time
over the periods already prompted) and the 50007 ladder (a content-free nudge in the
cohort channel and, as a period is long, a facilitator flag at once). The dedupe key
``survey:{client}:{period}`` keeps "one prompt per period" across a restart.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.prompts import PeriodRecord, PromptRepository
from bot.db.repositories.survey import SurveyRepository
from bot.domain.survey_alerts import DM_CLOSED, MISSED
from bot.domain.survey_periods import missed_run, period_of
from bot.services.container import Services
from bot.services.notices import Button, Notice
from bot.services.prompts import Occurrence, PromptSchedule
from cogs.survey._spec import SurveySettings

SCHEDULE = "survey"
PLAN_JOB = "survey:plan"
PROMPT_KIND = "survey_prompt"
NUDGE_KIND = "survey_nudge"
OPEN_CUSTOM_ID = "iop:survey:open"


def prompt_text(settings: SurveySettings) -> str:
    when = "week" if settings.frequency == "weekly" else "month"
    return f"This {when}'s recovery check is open: a few short questions, about two minutes."


def prompt_key(user_id: int, period: str) -> str:
    return f"survey:{user_id}:{period}"


class SurveyPrompts:
    """Builds the survey schedule; its hooks read and write through repositories."""

    def __init__(self, services: Services, settings: SurveySettings) -> None:
        self.services = services
        self.settings = settings
        self.repo = SurveyRepository(services.db)
        self.prompts = PromptRepository(services.db)

    def cutoff(self, day: date, wall: time, zone: ZoneInfo) -> datetime:
        """A period's prompt may go out (late) until the period ends."""
        return period_of(self.settings.cadence(), day, zone).ends_at

    def schedule(self) -> PromptSchedule:
        settings = self.settings
        return PromptSchedule(
            name=SCHEDULE,
            kind=PROMPT_KIND,
            cadence=settings.recurrence(),
            default_time=lambda: settings.time,
            late_cutoff=self.cutoff,
            dedupe_key=prompt_key,
            on_due=self.prompt_for,
            before_period=self.check_missed,
            on_undeliverable=self.on_undeliverable,
            job_id=PLAN_JOB,
            catch_up=2,
            logger="iopbot.survey",
        )

    async def prompt_for(self, tx: Transaction, occ: Occurrence) -> Notice | None:
        response = await self.repo.response_in(tx, occ.client.user_id, occ.period)
        if response is not None and response.complete:
            return None  # already answered (with /survey open): no prompt needed
        return Notice(
            content=prompt_text(self.settings), buttons=(Button("Start", OPEN_CUSTOM_ID),)
        )

    async def check_missed(self, tx: Transaction, occ: Occurrence) -> None:
        """The last ``missed_periods`` prompted periods before this one went unanswered."""
        needed = self.settings.missed_periods
        client = occ.client
        prompted = await self.prompts.prompted_before(
            tx, SCHEDULE, client.user_id, occ.local_date, needed
        )
        if len(prompted) < needed:
            return
        labels = [p.period for p in reversed(prompted)]  # oldest first
        done = await self.repo.completed_periods_in(tx, client.user_id, labels)
        if missed_run(labels, done) < needed:
            return
        await self.services.alerts.raise_rule(
            tx,
            MISSED,
            client,
            source="recovery check",
            window=timedelta(hours=self.settings.alert_window_hours),
        )

    async def on_undeliverable(self, tx: Transaction, period: PeriodRecord, row: OutboxRow) -> None:
        """DMs closed: a content-free nudge in the cohort channel and a facilitator flag."""
        await self.services.prompts.nudge_in_cohort(
            tx, period, row, kind=NUDGE_KIND, text="something is waiting for you: use /survey open"
        )
        await self.services.alerts.raise_rule(
            tx,
            DM_CLOSED,
            period.user_id,
            source="recovery check",
            window=timedelta(hours=self.settings.alert_window_hours),
        )
