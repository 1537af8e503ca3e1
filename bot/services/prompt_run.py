"""One run of a prompt schedule: adopt new clients, then queue every prompt due now.

Per client, each due period is handled in its own transaction that first moves the
schedule on with a compare-and-set (``PromptRepository.advance``): of two runs reading the
same row, only one wins, so a period is never queued twice. The period row
(``prompt_periods``) and the outbox dedupe key make "once per period" hold even across a
restart in the middle of sending.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Literal

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.prompts import ScheduleState
from bot.domain.localtime import at_local, local_date
from bot.domain.recurrence import Cadence, next_occurrence
from bot.services.outbox import DM
from bot.services.prompt_schedule import Occurrence, PromptSchedule

if TYPE_CHECKING:
    from bot.services.prompts import Prompts


async def run_schedule(prompts: Prompts, schedule: PromptSchedule) -> int:
    now = prompts.clock.now()
    active = {
        c.user_id: c
        for c in await prompts.clients.list_active()
        if schedule.audience is None or schedule.audience(c)
    }
    await _adopt(prompts, schedule, active, now)
    queued = 0
    for state in await prompts.repo.due(schedule.name, now):
        client = active.get(state.user_id)
        if client is not None:
            queued += await _plan_client(prompts, schedule, client, state, now)
    return queued


async def _adopt(
    prompts: Prompts, schedule: PromptSchedule, active: dict[int, Client], now: datetime
) -> None:
    missing = set(active) - await prompts.repo.user_ids(schedule.name)
    if not missing:
        return
    async with prompts.db.transaction() as tx:
        for user_id in sorted(missing):
            await prompts.ensure(tx, schedule.name, active[user_id], now)


async def _plan_client(
    prompts: Prompts,
    schedule: PromptSchedule,
    client: Client,
    state: ScheduleState,
    now: datetime,
) -> int:
    zone = client.timezone
    if state.planned_zone != zone.key:
        # A zone written without a re-plan (every writer re-plans through
        # bot.services.timezones; this is a backstop). Decided inside the transaction on
        # fresh reads, so a concurrent change of the client's time is not overwritten.
        async with prompts.db.transaction() as tx:
            fresh = await prompts.repo.get_in(tx, schedule.name, client.user_id)
            current = await prompts.clients.get_in(tx, client.user_id)
            if (
                fresh is not None
                and current is not None
                and fresh.planned_zone != current.timezone.key
            ):
                await prompts.replan(tx, schedule.name, client.user_id, now)
        return 0
    wall = prompts.wall_time(schedule.name, state)
    cadence = prompts.cadence(schedule.name, state)
    expected = planned = state.next_at
    floor = cadence.last_before(local_date(now, zone))
    if local_date(planned, zone) < floor:
        planned = at_local(floor, wall, zone)  # a long downtime: older periods are gone
    queued = 0
    for _ in range(max(1, schedule.catch_up)):
        following = next_occurrence(cadence, wall, zone, planned)
        async with prompts.db.transaction() as tx:
            if not await prompts.repo.advance(
                tx, schedule.name, client.user_id, expected=expected, next_at=following, now=now
            ):
                return queued
            queued += await _handle_period(
                prompts, schedule, tx, client, state, cadence, wall, planned, now
            )
        expected = planned = following
        if following > now:
            break
    return queued


async def _handle_period(
    prompts: Prompts,
    schedule: PromptSchedule,
    tx: Transaction,
    client: Client,
    state: ScheduleState,
    cadence: Cadence,
    wall: time,
    planned: datetime,
    now: datetime,
) -> int:
    zone = client.timezone
    day = local_date(planned, zone)
    if state.paused_until is not None and day < state.paused_until:
        return 0
    cutoff = schedule.late_cutoff(day, wall, zone)
    status: Literal["queued", "late", "skipped"]
    if now >= cutoff:
        status = "skipped"
    else:
        status = "late" if now - planned > schedule.late_after else "queued"
    occurrence = Occurrence(
        schedule=schedule.name,
        client=client,
        local_date=day,
        period=cadence.period(day),
        wall=wall,
        planned_at=planned,
        cutoff=cutoff,
        status=status,
        now=now,
    )
    if schedule.before_period is not None:
        await schedule.before_period(tx, occurrence)
    log = prompts.log(schedule.name)
    person = prompts.person(client.user_id)
    recorded = await prompts.repo.record_period(
        tx,
        schedule.name,
        user_id=client.user_id,
        period=occurrence.period,
        local_date=day,
        status=status,
        planned_at=planned,
        now=now,
    )
    if status == "skipped":
        log.info(f"{schedule.log_prefix}.prompt_skipped", extra={"person": person})
        return 0
    if not recorded:
        return 0
    notice = await schedule.on_due(tx, occurrence)
    if notice is None:
        return 0
    row_id = await prompts.outbox.enqueue(
        tx,
        dedupe_key=schedule.dedupe_key(client.user_id, occurrence.period),
        kind=schedule.kind,
        target=DM(client.user_id),
        notice=notice,
        expires_at=cutoff,
        subject_user_id=client.user_id,
    )
    if row_id is None:
        return 0
    await prompts.repo.link_outbox(tx, schedule.name, client.user_id, occurrence.period, row_id)
    log.info(f"{schedule.log_prefix}.prompt_queued", extra={"person": person, "outbox_id": row_id})
    return 1
