"""Reading what facilitators type: times, dates, and which session they mean."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.db.repositories.cohorts import Cohort
from bot.db.repositories.groups_sessions import Occurrence
from bot.domain.dates import check_range, parse_date
from bot.domain.localtime import parse_hhmm
from bot.domain.sessions import occurrence_at
from bot.services.errors import UserError
from cogs.groups._core import GroupsCore


def parse_wall(text: str) -> time:
    return parse_hhmm(text)


def parse_day_in_range(
    text: str, *, today: date, past_days: int, future_days: int, what: str
) -> date:
    return check_range(
        parse_date(text), today=today, past_days=past_days, future_days=future_days, what=what
    )


async def find_occurrence(
    core: GroupsCore, cohort: Cohort, day: date, at: str | None
) -> Occurrence:
    """The cohort's session on local ``day`` (planning it first if it is further out
    than the planner's window); ``at`` picks one when there are several."""
    found = await core.sessions.on_date(cohort.id, day)
    if not found:
        now = core.services.clock.now()
        async with core.services.db.transaction() as tx:
            for template in await core.sessions.templates(cohort.id):
                if template.weekday != day.weekday():
                    continue
                planned = occurrence_at(
                    day,
                    template.start_local,
                    timedelta(minutes=template.duration_minutes),
                    core.zone,
                )
                if planned.starts_at > now:
                    await core.sessions.ensure_occurrence(tx, template, planned, now)
        found = await core.sessions.on_date(cohort.id, day)
    if at is not None:
        wall = parse_wall(at)
        found = [o for o in found if o.starts_at.astimezone(core.zone).time() == wall]
    if not found:
        raise UserError(f"{cohort.name} has no session on {day.isoformat()}.")
    if len(found) > 1:
        raise UserError(
            f"{cohort.name} has {len(found)} sessions on {day.isoformat()}; "
            "add the start time with the at option (HH:MM)."
        )
    return found[0]
