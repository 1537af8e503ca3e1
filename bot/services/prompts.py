"""Recurring per-client prompts at a local wall time: one service for every feature.

A cog declares a :class:`PromptSchedule` and registers it; the service does the rest: it
adopts newly enrolled clients, queues each client's prompt when due (by DM, through the
outbox, in the transaction that moves the schedule on with a compare-and-set, so two runs
never both queue), catches up at most ``catch_up`` periods after a downtime (older ones are
gone), skips a period once its late cut-off has passed, honours a pause, re-plans when the
client's time zone changes (:func:`bot.services.timezones.set_client_timezone` calls
:meth:`Prompts.replan_all` in the same transaction), and on a closed DM (50007) marks the
period and calls the cog's hook. Each period (local day, ISO week or month; see
:mod:`bot.domain.recurrence`) is handled at most once per client, even across a restart.

Declaring and using a schedule (a weekly survey, Mondays at the client's local time)::

    from bot.domain.recurrence import Cadence
    from bot.services.prompts import KEEP, Occurrence, PromptSchedule, cutoff_at

    async def what_to_queue(tx: Transaction, occ: Occurrence) -> Notice | None:
        # occ.client, occ.local_date, occ.period ("2026-W10"), occ.planned_at,
        # occ.cutoff, occ.status ("queued" or "late"). None: nothing to send this period
        # (it stays recorded as handled).
        return Notice(content="Your weekly survey is open.", buttons=(Button(...),))

    async def dm_closed(tx: Transaction, period: PeriodRecord, row: OutboxRow) -> None:
        # the period is already marked undeliverable; a content-free nudge in the
        # client's cohort channel (the text follows a mention), then perhaps an alert:
        await services.prompts.nudge_in_cohort(
            tx, period, row, kind="survey_nudge", text="something is waiting: use /survey open"
        )
        await services.alerts.raise_rule(tx, DM_CLOSED, period.user_id, source=..., window=...)

    schedule = PromptSchedule(
        name="survey",                             # stable: rows in prompt_schedules
        kind="survey_prompt",                      # the outbox kind of the DM
        cadence=Cadence.weekly(0),                 # .daily() / .weekly(0-6) / .monthly(1-31)
        default_time=lambda: settings.survey.time, # local HH:MM when the client set none
        late_cutoff=cutoff_at(lambda: "20:00", days_after=2),  # skipped from then on
        dedupe_key=lambda user_id, period: f"survey:{user_id}:{period}",
        on_due=what_to_queue,
        on_undeliverable=dm_closed,                # optional
        before_period=None,                        # optional: runs for every unpaused
                                                   # period (also skipped ones), first
        # optional, with defaults: audience=None (a Client -> bool filter; None: every
        # active client), catch_up=4 (periods per client per run), late_after=15 min
        # (status "late" after that), job_id="prompts:{name}", logger="iopbot.prompts"
        # (events "{log_name or name}.prompt_queued" / ".prompt_skipped", ids pseudonymised)
    )

    # cog_load / cog_unload (register also registers the outbox kind's 50007 hook and a
    # job ``schedule.job`` that runs the schedule every minute):
    services.prompts.register(schedule)
    services.prompts.unregister("survey")

    # a client's own time / day (KEEP leaves one as is; None means the default):
    async with services.db.transaction() as tx:
        next_at = await services.prompts.replan(
            tx, "survey", user_id, now, local_time="18:30", day=KEEP
        )  # None when the member is not an enrolled client
        await services.prompts.pause(tx, "survey", client, until=date(2026, 4, 1), now=now)
        await services.prompts.resume(tx, "survey", client, now)
    state = await services.prompts.state("survey", user_id)  # ScheduleState | None
    # retention of the handled periods, in the cog's purge_expired:
    await services.prompts.purge_before(tx, "survey", cutoff_date)
    # a cog that drops a client from its schedule (rows and queued DMs):
    await services.prompts.delete_for(tx, "survey", user_id)

A pause ``until`` a local date leaves every period whose occurrence date is before it
unprompted and unrecorded. ``prompt_schedules`` and ``prompt_periods`` are core tables:
``bot/services/userdata.py`` exports (section ``prompts``) and deletes every schedule's
rows (and the outbox rows about the person), so a cog does not list them in
``owned_tables``. Each cog's ``purge_expired`` purges its own schedule's periods.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.db.database import Database, Transaction
from bot.db.repositories.clients import Client, ClientRepository
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.prompts import PeriodRecord, PromptRepository, ScheduleState
from bot.domain.localtime import at_local, local_date, parse_hhmm
from bot.domain.recurrence import Cadence, next_occurrence
from bot.keys import ProgramKey
from bot.services.clock import Clock
from bot.services.dispatcher import Dispatcher, KindHooks
from bot.services.jobs import Jobs
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget, Outbox
from bot.services.prompt_run import run_schedule
from bot.services.prompt_schedule import (
    KEEP,
    ClosedHook,
    CutoffRule,
    DueHook,
    Keep,
    Occurrence,
    PeriodHook,
    PromptSchedule,
    cutoff_at,
)

__all__ = [
    "KEEP",
    "ClosedHook",
    "CutoffRule",
    "DueHook",
    "Keep",
    "Occurrence",
    "PeriodHook",
    "PeriodRecord",
    "PromptSchedule",
    "Prompts",
    "ScheduleState",
    "cutoff_at",
]


class Prompts:
    """The registry of schedules and the planner that runs them."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        clients: ClientRepository,
        outbox: Outbox,
        dispatcher: Dispatcher,
        jobs: Jobs,
        key: ProgramKey,
    ) -> None:
        self.db = db
        self.clock = clock
        self.clients = clients
        self.outbox = outbox
        self.dispatcher = dispatcher
        self.jobs = jobs
        self.key = key
        self.repo = PromptRepository(db)
        self._schedules: dict[str, PromptSchedule] = {}

    # ----- registry ------------------------------------------------------------------

    def register(self, schedule: PromptSchedule) -> None:
        """Register (or replace) ``schedule``, its outbox kind's hooks and its job."""
        self._schedules[schedule.name] = schedule
        self.dispatcher.register(
            schedule.kind, KindHooks(on_undeliverable=self._undeliverable_hook(schedule.name))
        )
        name = schedule.name

        async def run() -> int:
            return await self.run(name)

        self.jobs.every(schedule.job, run, schedule.interval)

    def unregister(self, name: str) -> None:
        schedule = self._schedules.pop(name, None)
        if schedule is not None:
            self.dispatcher.unregister(schedule.kind)
            self.jobs.remove(schedule.job)

    def names(self) -> list[str]:
        return sorted(self._schedules)

    def get(self, name: str) -> PromptSchedule:
        try:
            return self._schedules[name]
        except KeyError:
            raise LookupError(f"no prompt schedule {name!r} is registered") from None

    # ----- reading -------------------------------------------------------------------

    async def state(self, name: str, user_id: int) -> ScheduleState | None:
        return await self.repo.get(name, user_id)

    async def state_in(self, tx: Transaction, name: str, user_id: int) -> ScheduleState | None:
        return await self.repo.get_in(tx, name, user_id)

    def wall_time(self, name: str, state: ScheduleState | None) -> time:
        """The client's local prompt time: their own, else the schedule's default."""
        text = state.local_time if state and state.local_time else None
        return parse_hhmm(text or self.get(name).default_time())

    def cadence(self, name: str, state: ScheduleState | None) -> Cadence:
        return self.get(name).cadence.with_day(state.day if state else None)

    # ----- planning ------------------------------------------------------------------

    async def run(self, name: str) -> int:
        """Queue every prompt of schedule ``name`` due now; return how many were queued."""
        return await run_schedule(self, self.get(name))

    async def ensure(self, tx: Transaction, name: str, client: Client, now: datetime) -> None:
        """Give ``client`` the schedule at its defaults if they have none yet.

        Planned from the enrollment: a client enrolled at 08:00 whose first run comes after
        09:00 (downtime) still gets day one's prompt, late, before the cut-off."""
        schedule = self.get(name)
        wall = parse_hhmm(schedule.default_time())
        start = min(now, client.enrolled_at)
        await self.repo.create(
            tx,
            name,
            user_id=client.user_id,
            planned_zone=client.timezone.key,
            next_at=next_occurrence(schedule.cadence, wall, client.timezone, start),
            now=now,
        )

    async def replan(
        self,
        tx: Transaction,
        name: str,
        user_id: int,
        now: datetime,
        *,
        local_time: str | Keep | None = KEEP,
        day: int | Keep | None = KEEP,
    ) -> datetime | None:
        """Recompute the client's next prompt in their current zone (read inside ``tx``).

        ``local_time`` (HH:MM) and ``day`` are the client's new choices (None: the
        schedule's default; KEEP: unchanged). Returns the next prompt instant, or None
        when the client is not enrolled. A client without the schedule gets it here. The
        latest occurrence is kept when it has come, was never handled and its cut-off
        has not passed (it is then sent at once, late); else the next one is planned.
        """
        client = await self.clients.get_in(tx, user_id)
        if client is None:
            return None
        schedule = self.get(name)
        state = await self.repo.get_in(tx, name, user_id)
        own_time = state.local_time if state else None
        own_day = state.day if state else None
        wall_text = own_time if isinstance(local_time, Keep) else local_time
        day_choice = own_day if isinstance(day, Keep) else day
        if day_choice is not None:
            Cadence(schedule.cadence.every, day_choice)  # ValueError on a bad day
        cadence = schedule.cadence.with_day(day_choice)
        wall = parse_hhmm(wall_text or schedule.default_time())
        zone = client.timezone
        latest = cadence.last_before(local_date(now, zone) + timedelta(days=1))
        planned = at_local(latest, wall, zone)
        next_at = planned
        if not (
            planned <= now < schedule.late_cutoff(latest, wall, zone)
            and not await self.repo.period_recorded_in(tx, name, user_id, cadence.period(latest))
        ):
            next_at = next_occurrence(cadence, wall, zone, now)
        if state is None:
            await self.repo.create(
                tx, name, user_id=user_id, planned_zone=zone.key, next_at=next_at, now=now
            )
        await self.repo.set_plan(
            tx,
            name,
            user_id,
            local_time=wall_text,
            day=day_choice,
            planned_zone=zone.key,
            next_at=next_at,
            now=now,
        )
        return next_at

    async def replan_all(
        self, tx: Transaction, user_id: int, now: datetime
    ) -> dict[str, datetime | None]:
        """Re-plan every registered schedule for the client (after a zone change); a
        schedule whose ``audience`` leaves the client out is re-planned only if the client
        already has it."""
        client = await self.clients.get_in(tx, user_id)
        plans: dict[str, datetime | None] = {}
        for name in self.names():
            audience = self.get(name).audience
            left_out = client is not None and audience is not None and not audience(client)
            if left_out and await self.repo.get_in(tx, name, user_id) is None:
                continue
            plans[name] = await self.replan(tx, name, user_id, now)
        return plans

    async def pause(
        self, tx: Transaction, name: str, client: Client, until: date, now: datetime
    ) -> None:
        """No prompts for periods dated before local ``until``; queued ones are cancelled."""
        await self.ensure(tx, name, client, now)
        await self.repo.set_paused_until(tx, name, client.user_id, until, now)
        await self.outbox.cancel(tx, kind=self.get(name).kind, subject_user_id=client.user_id)

    async def resume(self, tx: Transaction, name: str, client: Client, now: datetime) -> None:
        await self.ensure(tx, name, client, now)
        await self.repo.set_paused_until(tx, name, client.user_id, None, now)

    # ----- the 50007 hook ------------------------------------------------------------

    def _undeliverable_hook(self, name: str) -> Callable[[Transaction, OutboxRow], Awaitable[None]]:
        async def on_undeliverable(tx: Transaction, row: OutboxRow) -> None:
            found = await self.repo.period_for_outbox(tx, name, row.id)
            if found is None:
                return
            await self.repo.mark_undeliverable(tx, name, found.user_id, found.period)
            hook = self.get(name).on_undeliverable
            if hook is not None:
                await hook(tx, dataclasses.replace(found, undeliverable=True), row)

        return on_undeliverable

    async def nudge_in_cohort(
        self, tx: Transaction, period: PeriodRecord, row: OutboxRow, *, kind: str, text: str
    ) -> None:
        """The usual first step of a cog's 50007 hook: a content-free nudge, mentioning the
        client, in their cohort channel (none without one), gone when the prompt expires.

        ``text`` follows the mention (``"<@id>, {text}"``) and must say nothing about
        health; one nudge per period (dedupe key ``{schedule}:nudge:{client}:{period}``).
        """
        name, user_id = period.schedule, period.user_id
        channel_id = await CohortRepository(self.db).channel_for_client(user_id)
        if channel_id is not None:
            await self.outbox.enqueue(
                tx,
                dedupe_key=f"{name}:nudge:{user_id}:{period.period}",
                kind=kind,
                target=ChannelTarget(channel_id),
                notice=Notice(content=f"<@{user_id}>, {text}", mention_user_ids=(user_id,)),
                expires_at=row.expires_at,
                subject_user_id=user_id,
            )
        self.log(name).info(
            f"{name}.prompt_undeliverable",
            extra={"person": self.person(user_id), "outbox_id": row.id},
        )

    # ----- export, delete, retention -------------------------------------------------

    async def export_all(self, user_id: int) -> dict[str, Any]:
        """Every schedule's row and handled periods for the client, by schedule name (the
        core export section ``prompts``, whichever cogs are loaded); {} when none."""
        states = {s.schedule: s for s in await self.repo.states_for(user_id)}
        periods = await self.repo.periods_for(user_id)
        names = sorted(set(states) | {p.schedule for p in periods})
        return {
            name: {
                "schedule": _state_json(states.get(name)),
                "periods": [
                    {
                        "period": p.period,
                        "local_date": p.local_date.isoformat(),
                        "status": p.status,
                        "undeliverable": p.undeliverable,
                    }
                    for p in periods
                    if p.schedule == name
                ],
            }
            for name in names
        }

    async def delete_all_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        """Delete every schedule row and period of the client (the core deletion)."""
        return await self.repo.delete_all_for(tx, user_id)

    async def delete_for(self, tx: Transaction, name: str, user_id: int) -> dict[str, int]:
        removed = await self.repo.delete_for(tx, name, user_id)
        await self.outbox.cancel(tx, kind=self.get(name).kind, subject_user_id=user_id)
        return removed

    async def purge_before(self, tx: Transaction, name: str, cutoff: date) -> int:
        """Delete handled-period rows dated before ``cutoff`` (the cog's retention)."""
        return await self.repo.purge_periods_before(tx, name, cutoff)

    def log(self, name: str) -> logging.Logger:
        return logging.getLogger(self.get(name).logger)

    def person(self, user_id: int) -> str:
        return self.key.pseudonym(user_id)


def _state_json(state: ScheduleState | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "local_time": state.local_time,
        "day": state.day,
        "time_zone": state.planned_zone,
        "paused_until": state.paused_until.isoformat() if state.paused_until else None,
        "next_prompt_at": state.next_at.isoformat(),
    }
