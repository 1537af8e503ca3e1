"""The prompt planner (job ``checkins:plan``) and the 50007 ladder.

Every minute: each active client whose ``next_prompt_at`` has come gets one prompt for
that local day, queued through the outbox in the same transaction that moves
``next_prompt_at`` on (compare-and-set, so two runs never both act). After a downtime a
day's prompt still goes out late until the local cut-off, and is skipped after it. The
dedupe key ``checkin:{client}:{local_date}`` makes "one prompt per local day" hold even
across a restart in the middle of sending. The quiet-client rule is evaluated here, at
each prompt time, over the days already prompted.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from bot.db.database import Transaction
from bot.db.repositories.checkins import CheckinRepository, CheckinSetting
from bot.db.repositories.clients import Client
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.outbox import OutboxRow
from bot.domain.checkins import (
    DM_CLOSED,
    cutoff_for,
    missed_run,
    quiet_client,
    undeliverable_run,
)
from bot.domain.localtime import at_local, local_date, next_local_time, parse_hhmm
from bot.services.container import Services
from bot.services.notices import Button, Notice
from bot.services.outbox import DM, ChannelTarget
from bot.services.timezones import replan_checkin_prompt

log = logging.getLogger("iopbot.checkins")

PROMPT_KIND = "checkin_prompt"
NUDGE_KIND = "checkin_nudge"
PROMPT_TEXT = "Your daily check-in is open."
OPEN_CUSTOM_ID = "iop:checkin:open"
LATE_AFTER = timedelta(minutes=15)
_MAX_DAYS_PER_RUN = 4


def prompt_key(user_id: int, day: date) -> str:
    return f"checkin:{user_id}:{day.isoformat()}"


def nudge_key(user_id: int, day: date) -> str:
    return f"checkin:nudge:{user_id}:{day.isoformat()}"


def day_from_prompt_key(key: str) -> date | None:
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != "checkin":
        return None
    try:
        return date.fromisoformat(parts[2])
    except ValueError:
        return None


class Planner:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = CheckinRepository(services.db)

    def wall_time(self, setting: CheckinSetting | None) -> time:
        text = setting.local_time if setting and setting.local_time else None
        return parse_hhmm(text or self.services.settings.checkins.default_time)

    def cutoff_time(self) -> time:
        return parse_hhmm(self.services.settings.checkins.late_cutoff)

    async def plan_due(self) -> int:
        """Queue every prompt due now; return how many were queued."""
        now = self.services.clock.now()
        active = {c.user_id: c for c in await self.services.clients.list_active()}
        await self.adopt(active, now)
        queued = 0
        for setting in await self.repo.due(now):
            client = active.get(setting.user_id)
            if client is not None:
                queued += await self._plan_client(client, setting, now)
        return queued

    async def adopt(self, active: dict[int, Client], now: datetime) -> None:
        """Give newly enrolled clients the program's default prompt time."""
        missing = set(active) - await self.repo.user_ids_with_settings()
        if not missing:
            return
        async with self.services.db.transaction() as tx:
            for user_id in sorted(missing):
                await self.ensure_setting(tx, active[user_id], now)

    async def ensure_setting(self, tx: Transaction, client: Client, now: datetime) -> None:
        """Plan from the enrollment: a client enrolled at 08:00 whose first planner run
        comes after 09:00 (downtime) still gets day one's prompt, late, before the cut-off."""
        zone = client.timezone
        await self.repo.create_setting(
            tx,
            user_id=client.user_id,
            planned_zone=zone.key,
            next_prompt_at=next_local_time(
                self.wall_time(None), zone, min(now, client.enrolled_at)
            ),
            now=now,
        )

    async def _plan_client(self, client: Client, setting: CheckinSetting, now: datetime) -> int:
        zone = client.timezone
        wall = self.wall_time(setting)
        if setting.planned_zone != zone.key:
            # A zone written without a re-plan (every writer re-plans through
            # bot.services.timezones; this is a backstop). Decided inside the transaction
            # on fresh reads, so a concurrent /checkin settings is not overwritten.
            async with self.services.db.transaction() as tx:
                fresh = await self.repo.setting_in(tx, client.user_id)
                current = await self.services.clients.get_in(tx, client.user_id)
                if (
                    fresh is not None
                    and current is not None
                    and fresh.planned_zone != current.timezone.key
                ):
                    await replan_checkin_prompt(self.services, tx, client.user_id, now)
            return 0
        expected = planned = setting.next_prompt_at
        yesterday = local_date(now, zone) - timedelta(days=1)
        if local_date(planned, zone) < yesterday:
            planned = at_local(yesterday, wall, zone)  # a long downtime: older days are gone
        queued = 0
        for _ in range(_MAX_DAYS_PER_RUN):
            following = next_local_time(wall, zone, planned)
            async with self.services.db.transaction() as tx:
                if not await self.repo.advance(
                    tx, client.user_id, expected=expected, next_prompt_at=following, now=now
                ):
                    return queued
                queued += await self._handle_day(tx, client, setting, wall, planned, now)
            expected = planned = following
            if following > now:
                break
        return queued

    async def _handle_day(
        self,
        tx: Transaction,
        client: Client,
        setting: CheckinSetting,
        wall: time,
        planned: datetime,
        now: datetime,
    ) -> int:
        zone = client.timezone
        day = local_date(planned, zone)
        if setting.paused_until is not None and day < setting.paused_until:
            return 0
        await self._check_quiet(tx, client, day)
        cutoff = cutoff_for(day, wall, self.cutoff_time(), zone)
        if now >= cutoff:
            await self.repo.record_prompt_day(
                tx,
                user_id=client.user_id,
                local_date=day,
                status="skipped",
                planned_at=planned,
                now=now,
            )
            log.info(
                "checkin.prompt_skipped",
                extra={"person": self.services.key.pseudonym(client.user_id)},
            )
            return 0
        status = "late" if now - planned > LATE_AFTER else "queued"
        if not await self.repo.record_prompt_day(
            tx, user_id=client.user_id, local_date=day, status=status, planned_at=planned, now=now
        ):
            return 0
        if await self.repo.checked_dates_in(tx, client.user_id, day, day):
            return 0  # already checked in today (with /checkin today): no prompt needed
        row_id = await self.services.outbox.enqueue(
            tx,
            dedupe_key=prompt_key(client.user_id, day),
            kind=PROMPT_KIND,
            target=DM(client.user_id),
            notice=Notice(content=PROMPT_TEXT, buttons=(Button("Check in", OPEN_CUSTOM_ID),)),
            expires_at=cutoff,
            subject_user_id=client.user_id,
        )
        if row_id is None:
            return 0
        log.info(
            "checkin.prompt_queued",
            extra={"person": self.services.key.pseudonym(client.user_id), "outbox_id": row_id},
        )
        return 1

    async def _check_quiet(self, tx: Transaction, client: Client, day: date) -> None:
        """The quiet-client rule: the last N prompted days before ``day`` went unanswered."""
        settings = self.services.settings.checkins
        needed = settings.missed_in_a_row
        prompted = await self.repo.prompt_days_in(tx, client.user_id, day, needed)
        if len(prompted) < needed:
            return
        days = [p.local_date for p in prompted]
        checked = await self.repo.checked_dates_in(tx, client.user_id, min(days), max(days))
        rule = quiet_client(missed_run(days, checked), needed)
        if rule is None:
            return
        await self.services.alerts.raise_alert(
            tx,
            subject_user_id=client.user_id,
            subject_name=client.display_name,
            rule=rule.rule,
            label=rule.label,
            severity=rule.severity,
            source="check-ins",
            window=timedelta(hours=settings.alert_window_hours),
        )

    # ----- the 50007 ladder ------------------------------------------------------------

    async def on_undeliverable(self, tx: Transaction, row: OutboxRow) -> None:
        """DMs closed: a content-free nudge in the cohort channel, then a facilitator flag."""
        user_id = row.subject_user_id
        day = day_from_prompt_key(row.dedupe_key)
        if user_id is None or day is None:
            return
        await self.repo.mark_undeliverable(tx, user_id, day)
        channel_id = await CohortRepository(self.services.db).channel_for_client(user_id)
        if channel_id is not None:
            await self.services.outbox.enqueue(
                tx,
                dedupe_key=nudge_key(user_id, day),
                kind=NUDGE_KIND,
                target=ChannelTarget(channel_id),
                notice=Notice(
                    content=f"<@{user_id}>, your check-in is open: use /checkin today",
                    mention_user_ids=(user_id,),
                ),
                expires_at=row.expires_at,
                subject_user_id=user_id,
            )
        log.info(
            "checkin.prompt_undeliverable",
            extra={"person": self.services.key.pseudonym(user_id), "outbox_id": row.id},
        )
        needed = self.services.settings.checkins.dm_closed_after_days
        recent = await self.repo.prompt_days_in(tx, user_id, day + timedelta(days=1), needed)
        run = undeliverable_run([(p.local_date, p.undeliverable) for p in recent])
        if run < needed:
            return
        client = await self.services.clients.get_in(tx, user_id)
        await self.services.alerts.raise_alert(
            tx,
            subject_user_id=user_id,
            subject_name=client.display_name if client else f"member {user_id}",
            rule=DM_CLOSED.rule,
            label=DM_CLOSED.label,
            severity=DM_CLOSED.severity,
            source="check-ins",
            window=timedelta(hours=self.services.settings.checkins.alert_window_hours),
        )

    # ----- schedule changes ------------------------------------------------------------
