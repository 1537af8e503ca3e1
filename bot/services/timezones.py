"""The one writer of a client's time zone, and the re-plan of their daily check-in prompt.

    from bot.services.timezones import set_client_timezone

    async with services.db.transaction() as tx:
        await set_client_timezone(services, tx, user_id, zone, now)

``/me timezone`` and ``/checkin settings`` both go through here, so a zone change moves
the next check-in prompt in the same transaction. (Before, ``/me timezone`` left the old
prompt instant in place and the planner re-planned only when it came due, from then: a
move from New York to Tokyo after the day's prompt skipped Tokyo's next day.)

The re-plan never loses a local day: when today's prompt time in the (new) zone has
passed but today was never prompted and the late cut-off has not come, the next prompt is
today's, and the planner sends it at once (late). Otherwise it is the next local prompt
time after now. A day already prompted is never prompted twice (``checkin_prompts``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db.database import Transaction
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.clients import Client
from bot.domain.checkins import cutoff_for
from bot.domain.localtime import at_local, local_date, next_local_time, parse_hhmm
from bot.services.container import Services

KEEP = "keep"  # replan_checkin_prompt(local_time=KEEP): keep the client's prompt time


async def set_client_timezone(
    services: Services, tx: Transaction, user_id: int, zone: ZoneInfo, now: datetime
) -> datetime | None:
    """Store ``zone`` for the client and re-plan their check-in prompt; the next prompt."""
    await services.clients.set_timezone(tx, user_id, zone, now)
    return await replan_checkin_prompt(services, tx, user_id, now)


async def replan_checkin_prompt(
    services: Services,
    tx: Transaction,
    user_id: int,
    now: datetime,
    *,
    local_time: str | None = KEEP,
) -> datetime | None:
    """Recompute the next prompt in the client's current zone (read inside ``tx``).

    ``local_time`` is a new wall-clock prompt time (None: the program default), or KEEP.
    Returns the next prompt instant, or None when the client is not enrolled. A client the
    planner has not adopted yet gets their setting here.
    """
    client = await services.clients.get_in(tx, user_id)
    if client is None:
        return None
    repo = CheckinRepository(services.db)
    setting = await repo.setting_in(tx, user_id)
    wall_text = (setting.local_time if setting else None) if local_time == KEEP else local_time
    next_at = await next_prompt_at(services, tx, client, wall_text, now)
    if setting is None:
        await repo.create_setting(
            tx, user_id=user_id, planned_zone=client.timezone.key, next_prompt_at=next_at, now=now
        )
    await repo.set_schedule(
        tx,
        user_id,
        local_time=wall_text,
        planned_zone=client.timezone.key,
        next_prompt_at=next_at,
        now=now,
    )
    return next_at


async def next_prompt_at(
    services: Services, tx: Transaction, client: Client, wall_text: str | None, now: datetime
) -> datetime:
    """Today's prompt if it is due, unsent and before the cut-off; else the next one."""
    settings = services.settings.checkins
    wall = parse_hhmm(wall_text or settings.default_time)
    zone = client.timezone
    today = local_date(now, zone)
    todays = at_local(today, wall, zone)
    cutoff = cutoff_for(today, wall, parse_hhmm(settings.late_cutoff), zone)
    if todays <= now < cutoff and not await CheckinRepository(services.db).prompt_recorded_in(
        tx, client.user_id, today
    ):
        return todays
    return next_local_time(wall, zone, now)
