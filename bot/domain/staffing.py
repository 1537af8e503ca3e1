"""Is the program staffed at an instant? (pure: the schedule comes from [program])."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def is_staffed(
    instant: datetime, zone: ZoneInfo, days: Sequence[str], start: time, end: time
) -> bool:
    """True when ``instant`` (aware) falls in a staffed shift in ``zone``.

    A shift starts at ``start`` on each of ``days`` ("mon".."sun") and ends at ``end``;
    an end at or before the start runs past midnight into the next day (an overnight
    on-call shift), and ``start == end`` means the whole day from ``start``.
    """
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    local = instant.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local - timedelta(days=1)).weekday()]
    wanted = {d.lower()[:3] for d in days}
    if start < end:
        return today in wanted and start <= wall < end
    # Overnight (or all-day) shift: from start today, or until end after yesterday's start.
    return (today in wanted and wall >= start) or (yesterday in wanted and wall < end)
