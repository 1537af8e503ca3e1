"""The survey's prompt planner (job ``survey:plan``) and its 50007 ladder.

Every minute: each active client whose ``next_prompt_at`` has come gets one prompt for
that period, queued through the outbox in the same transaction that moves
``next_prompt_at`` on (compare-and-set, so two runs never both act). After a downtime the
period's prompt still goes out late while the period lasts, and is skipped after it. The
dedupe key ``survey:{client}:{period}`` keeps "one prompt per period" across a restart in
the middle of sending. The missed-periods rule is evaluated at each prompt time.

A client's zone change is noticed here (``planned_zone`` differs) and re-planned from now:
the current period's prompt is sent at once if it is due and was never handled.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.survey import Schedule, SurveyRepository
from bot.domain.survey_alerts import DM_CLOSED, MISSED
from bot.domain.survey_periods import Period, current_period, missed_run, next_prompt
from bot.services.container import Services
from bot.services.notices import Button, Notice
from bot.services.outbox import DM, ChannelTarget
from cogs.survey._settings import SurveySettings

log = logging.getLogger("iopbot.survey")

PROMPT_KIND = "survey_prompt"
NUDGE_KIND = "survey_nudge"
OPEN_CUSTOM_ID = "iop:survey:open"
LATE_AFTER = timedelta(minutes=15)
_MAX_PERIODS_PER_RUN = 3


def prompt_text(settings: SurveySettings) -> str:
    when = "week" if settings.frequency == "weekly" else "month"
    return f"This {when}'s recovery check is open: a few short questions, about two minutes."


def prompt_key(user_id: int, period: str) -> str:
    return f"survey:{user_id}:{period}"


def period_from_key(key: str) -> str | None:
    parts = key.split(":")
    return parts[2] if len(parts) == 3 and parts[0] == "survey" else None


class Planner:
    def __init__(self, services: Services, settings: SurveySettings) -> None:
        self.services = services
        self.settings = settings
        self.cadence = settings.cadence()
        self.repo = SurveyRepository(services.db)

    async def plan_due(self) -> int:
        """Queue every prompt due now; return how many were queued."""
        now = self.services.clock.now()
        active = {c.user_id: c for c in await self.services.clients.list_active()}
        await self._adopt_and_replan(active, now)
        queued = 0
        for schedule in await self.repo.due(now):
            client = active.get(schedule.user_id)
            if client is not None:
                queued += await self._plan_client(client, schedule, now)
        return queued

    async def _adopt_and_replan(self, active: dict[int, Client], now: datetime) -> None:
        """A schedule for newly enrolled clients; a re-plan for a changed time zone."""
        schedules = {s.user_id: s for s in await self.repo.schedules()}
        stale = [
            uid
            for uid, client in active.items()
            if uid not in schedules or schedules[uid].planned_zone != client.timezone.key
        ]
        if not stale:
            return
        async with self.services.db.transaction() as tx:
            for user_id in sorted(stale):
                current = await self.services.clients.get_in(tx, user_id)
                if current is not None:
                    await self.replan(tx, current, now)

    async def replan(self, tx: Transaction, client: Client, now: datetime) -> datetime:
        """The client's next prompt in their current zone: this period's, if it is due and
        was never handled (a new client, a zone change), else the next period's."""
        zone = client.timezone
        period = current_period(self.cadence, zone, now)
        if period.prompt_at > now or await self.repo.period_recorded_in(
            tx, client.user_id, period.label
        ):
            period = next_prompt(self.cadence, zone, now)
        await self.repo.set_schedule(
            tx, client.user_id, planned_zone=zone.key, next_prompt_at=period.prompt_at, now=now
        )
        return period.prompt_at

    async def _plan_client(self, client: Client, schedule: Schedule, now: datetime) -> int:
        zone = client.timezone
        expected = schedule.next_prompt_at
        period = next_prompt(self.cadence, zone, expected - timedelta(microseconds=1))
        latest = current_period(self.cadence, zone, now)
        if period.ends_at <= now and latest.prompt_at <= now:
            period = latest  # a long downtime: only the current period still counts
        queued = 0
        for _ in range(_MAX_PERIODS_PER_RUN):
            following = next_prompt(self.cadence, zone, period.prompt_at)
            async with self.services.db.transaction() as tx:
                if not await self.repo.advance(
                    tx,
                    client.user_id,
                    expected=expected,
                    next_prompt_at=following.prompt_at,
                    now=now,
                ):
                    return queued
                queued += await self._handle_period(tx, client, period, now)
            expected, period = following.prompt_at, following
            if following.prompt_at > now:
                break
        return queued

    async def _handle_period(
        self, tx: Transaction, client: Client, period: Period, now: datetime
    ) -> int:
        await self._check_missed(tx, client, period)
        if now >= period.ends_at:
            await self.repo.record_period(
                tx,
                user_id=client.user_id,
                period=period.label,
                first_day=period.first_day,
                status="skipped",
                planned_at=period.prompt_at,
                now=now,
            )
            return 0
        status = "late" if now - period.prompt_at > LATE_AFTER else "queued"
        if not await self.repo.record_period(
            tx,
            user_id=client.user_id,
            period=period.label,
            first_day=period.first_day,
            status=status,
            planned_at=period.prompt_at,
            now=now,
        ):
            return 0
        response = await self.repo.response_in(tx, client.user_id, period.label)
        if response is not None and response.complete:
            return 0  # already answered (with /survey open): no prompt needed
        row_id = await self.services.outbox.enqueue(
            tx,
            dedupe_key=prompt_key(client.user_id, period.label),
            kind=PROMPT_KIND,
            target=DM(client.user_id),
            notice=Notice(
                content=prompt_text(self.settings),
                buttons=(Button("Start", OPEN_CUSTOM_ID),),
            ),
            expires_at=period.ends_at,
            subject_user_id=client.user_id,
        )
        if row_id is None:
            return 0
        log.info(
            "survey.prompt_queued",
            extra={"person": self.services.key.pseudonym(client.user_id), "outbox_id": row_id},
        )
        return 1

    async def _check_missed(self, tx: Transaction, client: Client, period: Period) -> None:
        """The last ``missed_periods`` prompted periods before this one went unanswered."""
        needed = self.settings.missed_periods
        prompted = await self.repo.prompted_before_in(tx, client.user_id, period.first_day, needed)
        if len(prompted) < needed:
            return
        labels = [p.period for p in prompted]
        done = await self.repo.completed_periods_in(tx, client.user_id, labels)
        if missed_run(labels, done) < needed:
            return
        await self.services.alerts.raise_alert(
            tx,
            subject_user_id=client.user_id,
            subject_name=client.display_name,
            rule=MISSED.rule,
            label=MISSED.label,
            severity=MISSED.severity,
            source="recovery check",
            window=timedelta(hours=self.settings.alert_window_hours),
        )

    # ----- the 50007 ladder ------------------------------------------------------------

    async def on_undeliverable(self, tx: Transaction, row: OutboxRow) -> None:
        """DMs closed: a content-free nudge in the cohort channel and a facilitator flag
        (a period is long, so the flag does not wait for a second one)."""
        user_id = row.subject_user_id
        period = period_from_key(row.dedupe_key)
        if user_id is None or period is None:
            return
        await self.repo.mark_undeliverable(tx, user_id, period)
        channel_id = await CohortRepository(self.services.db).channel_for_client(user_id)
        if channel_id is not None:
            await self.services.outbox.enqueue(
                tx,
                dedupe_key=f"survey:nudge:{user_id}:{period}",
                kind=NUDGE_KIND,
                target=ChannelTarget(channel_id),
                notice=Notice(
                    content=f"<@{user_id}>, something is waiting for you: use /survey open",
                    mention_user_ids=(user_id,),
                ),
                expires_at=row.expires_at,
                subject_user_id=user_id,
            )
        log.info(
            "survey.prompt_undeliverable",
            extra={"person": self.services.key.pseudonym(user_id), "outbox_id": row.id},
        )
        client = await self.services.clients.get_in(tx, user_id)
        await self.services.alerts.raise_alert(
            tx,
            subject_user_id=user_id,
            subject_name=client.display_name if client else f"member {user_id}",
            rule=DM_CLOSED.rule,
            label=DM_CLOSED.label,
            severity=DM_CLOSED.severity,
            source="recovery check",
            window=timedelta(hours=self.settings.alert_window_hours),
        )
