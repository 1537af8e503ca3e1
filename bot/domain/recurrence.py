"""When a recurring per-client prompt falls: daily, weekly or monthly, at a local wall time.

Pure date math (no I/O), used by :mod:`bot.services.prompts`. A :class:`Cadence` says on
which local days a prompt occurs; :func:`next_occurrence` turns that plus a wall time and
a zone into the next UTC instant, with the DST rules of :mod:`bot.domain.localtime`
(gap: moved forward, never onto another day; fold: the first of the two instants).

Each occurrence belongs to one **period**, labelled by :meth:`Cadence.period`: the local
date (daily), the ISO week (weekly) or ``YYYY-MM`` (monthly). A prompt is handled at most
once per period, so moving a weekly prompt from Monday to Wednesday after Monday's went
out does not send a second one that week.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, iso_week, local_date, local_day_bounds, require_utc

Every = Literal["day", "week", "month"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often a prompt recurs. ``day``: weekday 0-6 (Monday = 0) for ``week``, day of
    the month 1-31 for ``month`` (clamped to the month's length: 31 means the last day),
    unused (0) for ``day``. Build one with :meth:`daily`, :meth:`weekly`, :meth:`monthly`."""

    every: Every
    day: int = 0

    def __post_init__(self) -> None:
        if self.every == "day" and self.day != 0:
            raise ValueError("a daily cadence takes no day")
        if self.every == "week" and not 0 <= self.day <= 6:
            raise ValueError("a weekly cadence needs a weekday 0-6 (Monday = 0)")
        if self.every == "month" and not 1 <= self.day <= 31:
            raise ValueError("a monthly cadence needs a day of the month 1-31")
        if self.every not in ("day", "week", "month"):
            raise ValueError(f"unknown cadence {self.every!r}")

    @classmethod
    def daily(cls) -> Cadence:
        return cls("day")

    @classmethod
    def weekly(cls, weekday: int) -> Cadence:
        return cls("week", weekday)

    @classmethod
    def monthly(cls, day_of_month: int) -> Cadence:
        return cls("month", day_of_month)

    def with_day(self, day: int | None) -> Cadence:
        """The same cadence on another weekday / day of month (None or daily: unchanged)."""
        if day is None or self.every == "day":
            return self
        return Cadence(self.every, day)

    def period(self, day: date) -> str:
        """The label of the period ``day`` falls in (the per-period dedupe unit)."""
        if self.every == "day":
            return day.isoformat()
        if self.every == "week":
            return iso_week(day)
        return f"{day.year:04d}-{day.month:02d}"

    def occurrence_in_period(self, day: date) -> date:
        """The local date this cadence occurs on in the period of ``day``."""
        if self.every == "day":
            return day
        if self.every == "week":
            return day + timedelta(days=self.day - day.weekday())
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=min(self.day, last))

    def occurs_on(self, day: date) -> bool:
        return self.occurrence_in_period(day) == day

    def first_on_or_after(self, day: date) -> date:
        found = self.occurrence_in_period(day)
        if found >= day:
            return found
        return self.occurrence_in_period(_next_period_start(self, day))

    def last_before(self, day: date) -> date:
        """The last occurrence date strictly before ``day``."""
        found = self.occurrence_in_period(day)
        if found < day:
            return found
        return self.occurrence_in_period(_period_start(self, day) - timedelta(days=1))


def _period_start(cadence: Cadence, day: date) -> date:
    if cadence.every == "day":
        return day
    if cadence.every == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period_start(cadence: Cadence, day: date) -> date:
    if cadence.every == "day":
        return day + timedelta(days=1)
    if cadence.every == "week":
        return _period_start(cadence, day) + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def next_occurrence(cadence: Cadence, wall: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first occurrence strictly after ``after``, as a UTC instant.

    For a daily cadence this is exactly :func:`bot.domain.localtime.next_local_time`."""
    after_utc = require_utc(after)
    day = cadence.first_on_or_after(local_date(after_utc, zone) - timedelta(days=1))
    for _ in range(4):
        candidate = at_local(day, wall, zone)
        if candidate > after_utc:
            return candidate
        day = cadence.first_on_or_after(day + timedelta(days=1))
    raise AssertionError("unreachable: an occurrence two local days later is always after")


def cutoff_for(day: date, wall: time, cutoff: time, zone: ZoneInfo) -> datetime:
    """The UTC instant after which ``day``'s prompt is no longer sent (skipped instead).

    The local ``cutoff`` time that day, or the end of the day when the prompt time is at
    or after the cut-off.
    """
    if cutoff <= wall:
        return local_day_bounds(day, zone)[1]
    return at_local(day, cutoff, zone)
