"""The hours ledger: a confirmed session's hours, ISO weeks, and the program's band.

Hours count toward the ISO week of the session's *local* date in the program timezone
(a Sunday-evening session belongs to that week even when it is already Monday in UTC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, iso_week, local_date, require_utc

BandStatus = Literal["under", "within", "over"]


@dataclass(frozen=True, slots=True)
class Band:
    """Weekly treatment hours the program aims for (default 9-15; ASAM allows 9-19)."""

    min_hours: float
    max_hours: float

    def status(self, hours: float) -> BandStatus:
        # compare rounded values so 8.999999 from float sums is not "under 9"
        value = round(hours, 2)
        if value < self.min_hours:
            return "under"
        if value > self.max_hours:
            return "over"
        return "within"


def session_hours(starts_at: datetime, ends_at: datetime) -> float:
    """Elapsed hours of a session, rounded to 2 decimals (hundredths of an hour)."""
    seconds = (require_utc(ends_at) - require_utc(starts_at)).total_seconds()
    if seconds <= 0:
        raise ValueError("a session must end after it starts")
    return round(seconds / 3600, 2)


def week_of(instant: datetime, zone: ZoneInfo) -> str:
    """The ISO week label (``2026-W09``) of ``instant``'s local date in ``zone``."""
    return iso_week(local_date(instant, zone))


def total_hours(by_week: dict[str, float] | Iterable[float]) -> float:
    values = by_week.values() if isinstance(by_week, dict) else by_week
    return round(sum(values), 2)


def format_hours(hours: float) -> str:
    """``3.0`` → ``"3"``, ``2.5`` → ``"2.5"``, ``1.25`` → ``"1.25"``."""
    return f"{round(hours, 2):g}"


def week_bounds(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and end of the ISO week (Monday 00:00 to the next Monday 00:00, local)
    that holds ``instant``'s local date in ``zone``."""
    today = local_date(instant, zone)
    monday = today - timedelta(days=today.weekday())
    return at_local(monday, time(0, 0), zone), at_local(
        monday + timedelta(days=7), time(0, 0), zone
    )


def week_settled(now: datetime, session_ends: Iterable[datetime], week_end: datetime) -> bool:
    """Whether a week's hours can be compared with the program's range yet: the week is
    over, or it had sessions and the last of them has ended. Before that, a low number is
    only "so far" (one session on a Monday is not "under")."""
    ends = list(session_ends)
    return now >= week_end or (bool(ends) and max(ends) <= now)
