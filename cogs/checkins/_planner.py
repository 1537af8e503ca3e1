"""The check-in prompt as a schedule of :mod:`bot.services.prompts`, and its hooks.

The service plans, queues, catches up, skips after the cut-off, pauses and re-plans; what
is particular to check-ins is here: the prompt text and button (not sent when the client
already checked in that day), the quiet-client rule (evaluated at each prompt time over
the days already prompted) and the 50007 ladder (a content-free nudge in the cohort
channel, then a facilitator flag). The dedupe key ``checkin:{client}:{local_date}`` makes
"one prompt per local day" hold even across a restart in the middle of sending.
"""

from __future__ import annotations

from datetime import timedelta

from bot.db.database import Transaction
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.prompts import PeriodRecord, PromptRepository
from bot.domain.checkins import DM_CLOSED, missed_run, quiet_client, undeliverable_run
from bot.domain.recurrence import Cadence
from bot.services.container import Services
from bot.services.notices import Button, Notice
from bot.services.prompts import Occurrence, PromptSchedule, cutoff_at

SCHEDULE = "checkin"
PLAN_JOB = "checkins:plan"
PROMPT_KIND = "checkin_prompt"
NUDGE_KIND = "checkin_nudge"
PROMPT_TEXT = "Your daily check-in is open."
OPEN_CUSTOM_ID = "iop:checkin:open"
LATE_AFTER = timedelta(minutes=15)
_MAX_DAYS_PER_RUN = 4


def prompt_key(user_id: int, period: str) -> str:
    """``checkin:{client}:{local_date}`` (a daily schedule's period is the local date)."""
    return f"checkin:{user_id}:{period}"


class CheckinPrompts:
    """Builds the check-in schedule; its hooks read and write through repositories."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = CheckinRepository(services.db)
        self.prompts = PromptRepository(services.db)

    def schedule(self) -> PromptSchedule:
        settings = self.services.settings
        return PromptSchedule(
            name=SCHEDULE,
            kind=PROMPT_KIND,
            cadence=Cadence.daily(),
            default_time=lambda: settings.checkins.default_time,
            late_cutoff=cutoff_at(lambda: settings.checkins.late_cutoff),
            dedupe_key=prompt_key,
            on_due=self.prompt_for,
            before_period=self.check_quiet,
            on_undeliverable=self.on_undeliverable,
            job_id=PLAN_JOB,
            catch_up=_MAX_DAYS_PER_RUN,
            late_after=LATE_AFTER,
            logger="iopbot.checkins",
        )

    async def prompt_for(self, tx: Transaction, occ: Occurrence) -> Notice | None:
        day = occ.local_date
        if await self.repo.checked_dates_in(tx, occ.client.user_id, day, day):
            return None  # already checked in today (with /checkin today): no prompt needed
        return Notice(content=PROMPT_TEXT, buttons=(Button("Check in", OPEN_CUSTOM_ID),))

    async def check_quiet(self, tx: Transaction, occ: Occurrence) -> None:
        """The quiet-client rule: the last N prompted days before this one went unanswered."""
        settings = self.services.settings.checkins
        needed = settings.missed_in_a_row
        client = occ.client
        prompted = await self.prompts.prompted_before(
            tx, SCHEDULE, client.user_id, occ.local_date, needed
        )
        if len(prompted) < needed:
            return
        days = [p.local_date for p in prompted]
        checked = await self.repo.checked_dates_in(tx, client.user_id, min(days), max(days))
        rule = quiet_client(missed_run(days, checked), needed)
        if rule is None:
            return
        await self.services.alerts.raise_rule(
            tx,
            rule,
            client,
            source="check-ins",
            window=timedelta(hours=settings.alert_window_hours),
        )

    async def on_undeliverable(self, tx: Transaction, period: PeriodRecord, row: OutboxRow) -> None:
        """DMs closed: a content-free nudge in the cohort channel, then a facilitator flag."""
        await self.services.prompts.nudge_in_cohort(
            tx, period, row, kind=NUDGE_KIND, text="your check-in is open: use /checkin today"
        )
        user_id, day = period.user_id, period.local_date
        needed = self.services.settings.checkins.dm_closed_after_days
        recent = await self.prompts.prompted_before(
            tx, SCHEDULE, user_id, day + timedelta(days=1), needed
        )
        run = undeliverable_run([(p.local_date, p.undeliverable) for p in recent])
        if run < needed:
            return
        await self.services.alerts.raise_rule(
            tx,
            DM_CLOSED,
            user_id,
            source="check-ins",
            window=timedelta(hours=self.services.settings.checkins.alert_window_hours),
        )
