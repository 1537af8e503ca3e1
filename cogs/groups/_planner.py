"""The session planner (the ``groups:plan`` job's database half): occurrences, notices.

Each run asks the database what is due now and does it, so running it twice does
nothing the second time and a restart catches up:

1. **materialize** the next ``events_window_days`` of occurrences from the weekly
   templates (``INSERT OR IGNORE`` on ``(template_id, planned_date)``);
2. **queue notices** (reminder, start with "I'm here", end) through the outbox with
   dedupe keys ``session:{id}:{stage}``, marking the occurrence in the same transaction.

Nothing here calls Discord; the job's third step, Discord's scheduled events, is
``_events.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.sessions import occurrences_between
from bot.services.outbox import ChannelTarget
from cogs.groups._render import end_notice, reminder_notice, start_notice
from cogs.groups._spec import SPEC

if TYPE_CHECKING:  # the shared state; its Discord side is not used here
    from cogs.groups._core import GroupsCore


PLAN_JOB = "groups:plan"
END_NOTICE_GRACE = timedelta(hours=1)


class SessionPlanner:
    def __init__(self, core: GroupsCore) -> None:
        self.core = core

    @property
    def window(self) -> timedelta:
        return timedelta(days=SPEC.section_of(self.core.services.settings).events_window_days)

    async def run(self, now: datetime) -> None:
        await self.materialize(now)
        await self.queue_notices(now)

    async def materialize(self, now: datetime) -> int:
        core = self.core
        templates = await core.sessions.templates()
        if not templates:
            return 0
        created = 0
        async with core.services.db.transaction() as tx:
            for template in templates:
                for planned in occurrences_between(
                    template.weekday,
                    template.start_local,
                    timedelta(minutes=template.duration_minutes),
                    core.zone,
                    now,
                    now + self.window,
                ):
                    if planned.starts_at < template.created_at:
                        continue  # scheduled mid-session: start with the next one
                    created += await core.sessions.ensure_occurrence(tx, template, planned, now)
        return created

    async def queue_notices(self, now: datetime) -> None:
        core = self.core
        groups = SPEC.section_of(core.services.settings)
        cohorts = {c.id: c for c in await core.cohorts.list()}
        lead = timedelta(minutes=groups.reminder_minutes_before)
        async with core.services.db.transaction() as tx:
            for occ in await core.sessions.due(tx, "reminder", now, lead=lead):
                cohort = cohorts.get(occ.cohort_id)
                if cohort is not None:
                    await core.services.outbox.enqueue(
                        tx,
                        dedupe_key=f"session:{occ.id}:reminder",
                        kind="session_reminder",
                        target=ChannelTarget(cohort.channel_id),
                        notice=reminder_notice(
                            cohort, occ, core.zone, groups.attendance_open_minutes_before
                        ),
                        expires_at=occ.starts_at,
                    )
                await core.sessions.mark(tx, occ.id, "reminder", now)
            for occ in await core.sessions.due(tx, "start", now):
                cohort = cohorts.get(occ.cohort_id)
                if cohort is not None:
                    await core.services.outbox.enqueue(
                        tx,
                        dedupe_key=f"session:{occ.id}:start",
                        kind="session_start",
                        target=ChannelTarget(cohort.channel_id),
                        notice=start_notice(cohort, occ, core.zone),
                        expires_at=occ.ends_at,
                    )
                await core.sessions.mark(tx, occ.id, "start", now)
            for occ in await core.sessions.due(tx, "end", now):
                cohort = cohorts.get(occ.cohort_id)
                if cohort is not None:
                    await core.services.outbox.enqueue(
                        tx,
                        dedupe_key=f"session:{occ.id}:end",
                        kind="session_end",
                        target=ChannelTarget(cohort.channel_id),
                        notice=end_notice(cohort, occ, core.zone),
                        expires_at=occ.ends_at + END_NOTICE_GRACE,
                    )
                await core.sessions.mark(tx, occ.id, "end", now)
