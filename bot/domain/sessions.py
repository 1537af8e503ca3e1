"""Weekly group sessions: templates in local wall-clock time, occurrences as UTC instants.

A template is (weekday, local start ``HH:MM``, duration) in the program timezone. Each
occurrence's start is computed from its *local date* with
:func:`bot.domain.localtime.at_local`, never by adding weeks to an instant, so a Tuesday
18:00 session stays at 18:00 local across both DST changes. The end is the start plus
the duration in elapsed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import DomainError
from bot.domain.localtime import at_local, local_date, require_utc

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SESSION_MINUTES = 6 * 60


class BadSession(DomainError):
    """A session input that a person typed and can fix; the message says how."""


@dataclass(frozen=True, slots=True)
class PlannedOccurrence:
    local_date: date
    starts_at: datetime
    ends_at: datetime


def parse_weekday(text: str) -> int:
    """``"Tuesday"``, ``"tue"`` or ``"2"`` (ISO, Monday = 1) → 1 (Monday = 0)."""
    cleaned = text.strip().lower()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 7:
        return int(cleaned) - 1
    if len(cleaned) >= 3:
        for index, name in enumerate(WEEKDAYS):
            if name.lower().startswith(cleaned):
                return index
    raise BadSession("Please give a weekday such as Tuesday (or Mon, Tue, …).")


def check_duration(minutes: int) -> timedelta:
    if minutes <= 0:
        raise BadSession("The duration must be a positive number of minutes, e.g. 180.")
    if minutes > MAX_SESSION_MINUTES:
        raise BadSession(
            f"A session can be at most {MAX_SESSION_MINUTES // 60} hours "
            f"({MAX_SESSION_MINUTES} minutes)."
        )
    return timedelta(minutes=minutes)


def occurrence_at(day: date, wall: time, duration: timedelta, zone: ZoneInfo) -> PlannedOccurrence:
    starts = at_local(day, wall, zone)
    return PlannedOccurrence(local_date=day, starts_at=starts, ends_at=starts + duration)


def occurrences_between(
    weekday: int,
    wall: time,
    duration: timedelta,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> list[PlannedOccurrence]:
    """Occurrences of the weekly template that have not ended by ``start`` and start
    before ``end`` (both UTC), oldest first."""
    start_utc, end_utc = require_utc(start), require_utc(end)
    first = local_date(start_utc, zone) - timedelta(days=1)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    found: list[PlannedOccurrence] = []
    day = first
    while True:
        planned = occurrence_at(day, wall, duration, zone)
        if planned.starts_at >= end_utc:
            return found
        if planned.ends_at > start_utc:
            found.append(planned)
        day += timedelta(days=7)


def overlaps(a_start: time, a_minutes: int, b_start: time, b_minutes: int) -> bool:
    """Whether two same-day local sessions overlap (wall-clock minutes)."""
    a0 = a_start.hour * 60 + a_start.minute
    b0 = b_start.hour * 60 + b_start.minute
    return a0 < b0 + b_minutes and b0 < a0 + a_minutes


def attendance_window(
    starts_at: datetime, ends_at: datetime, open_minutes_before: int
) -> tuple[datetime, datetime]:
    """When "I'm here" is accepted: from ``open_minutes_before`` the start to the end."""
    return starts_at - timedelta(minutes=open_minutes_before), ends_at


def format_wall(wall: time) -> str:
    return f"{wall.hour:02d}:{wall.minute:02d}"
