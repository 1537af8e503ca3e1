"""Survey periods, pure: which period a local date falls in, and when a period's prompt is
due in a client's own zone.

A weekly period is the client's local ISO week (Monday to Sunday, labelled ``2026-W10``);
the prompt is due on the program's survey day (``[survey] day``) of that week. A monthly
period is the local calendar month (``2026-03``); the prompt is due on ``[survey]
month_day`` (1-28). The instant is the local wall time ``[survey] time`` on that day,
computed with :func:`bot.domain.localtime.at_local` (a time in a DST gap moves forward, a
repeated one takes the first), never with UTC arithmetic. One response per period: a
client can answer any time in the period, from its first day to its last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, local_date, require_utc
from bot.domain.recurrence import Cadence

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class SurveyCadence:
    """When the survey is asked: a weekly or monthly :class:`bot.domain.recurrence.Cadence`
    (the same one the prompt service runs, so the labels and prompt days agree) and the
    local wall time."""

    recurrence: Cadence
    wall: time

    def first_day(self, day: date) -> date:
        """The first local day of the period holding ``day``."""
        if self.recurrence.every == "week":
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    def next_first_day(self, first: date) -> date:
        if self.recurrence.every == "week":
            return first + timedelta(days=7)
        return (first.replace(day=28) + timedelta(days=4)).replace(day=1)

    def label(self, day: date) -> str:
        """The period's label: ``2026-W10`` (weekly) or ``2026-03`` (monthly)."""
        return self.recurrence.period(day)

    def prompt_day(self, first: date) -> date:
        """The local day the prompt is due in the period starting ``first``."""
        return self.recurrence.occurrence_in_period(first)


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    first_day: date
    prompt_at: datetime  # UTC
    ends_at: datetime  # UTC, local midnight starting the next period


def period_of(cadence: SurveyCadence, day: date, zone: ZoneInfo) -> Period:
    """The period holding local ``day``."""
    first = cadence.first_day(day)
    return Period(
        label=cadence.label(first),
        first_day=first,
        prompt_at=at_local(cadence.prompt_day(first), cadence.wall, zone),
        ends_at=at_local(cadence.next_first_day(first), time(0, 0), zone),
    )


def current_period(cadence: SurveyCadence, zone: ZoneInfo, now: datetime) -> Period:
    return period_of(cadence, local_date(require_utc(now), zone), zone)


def next_prompt(cadence: SurveyCadence, zone: ZoneInfo, after: datetime) -> Period:
    """The first period whose prompt falls strictly after ``after``."""
    period = current_period(cadence, zone, after)
    while period.prompt_at <= after:
        period = period_of(cadence, cadence.next_first_day(period.first_day), zone)
    return period


def missed_run(prompted: list[str], completed: set[str]) -> int:
    """How many of the most recent prompted periods (oldest first) went unanswered in a row."""
    run = 0
    for label in reversed(prompted):
        if label in completed:
            break
        run += 1
    return run
