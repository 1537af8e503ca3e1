"""Local wall-clock times turned into UTC instants, with defined DST behaviour.

Recurring times (a check-in at 09:00, a session at 18:00) are stored as wall-clock
``HH:MM`` plus an IANA zone. :func:`next_local_time` is the one place they become
instants. Rules:

* **Gap** (spring forward: the wall time does not exist that day): the occurrence moves
  forward by the length of the gap, e.g. 02:30 becomes 03:30 local. The day is never
  skipped: when the gap ends at the next local midnight (America/Nuuk, 23:30), moving
  forward would land on the next date, so the occurrence is clamped to the last second of
  its own day, just before the transition.
* **Fold** (fall back: the wall time happens twice): the first occurrence (``fold=0``,
  the earlier instant) is used. The day is never doubled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.errors import DomainError


class BadTimezone(DomainError):
    pass


class BadTime(DomainError):
    pass


# Names ZoneInfo can open that are not zones a person lives in: the machine's own
# "localtime" link and tzdata's "Factory" placeholder.
_NOT_PLACES = frozenset({"localtime", "Factory"})


@cache
def _known_zones() -> frozenset[str]:
    """The IANA names this machine knows (``available_timezones`` walks the disk: once)."""
    return frozenset(available_timezones()) - _NOT_PLACES


def parse_zone(name: str) -> ZoneInfo:
    """An IANA zone by name, or :class:`BadTimezone` with a readable message.

    Only names in ``zoneinfo.available_timezones()`` are accepted, so aliases such as
    ``right/UTC``, ``posix/...`` or ``posixrules`` that ZoneInfo would also open never
    reach the database."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64:
        raise BadTimezone("Please give an IANA time zone such as America/Chicago.")
    if cleaned not in _known_zones():
        raise BadTimezone(
            f"'{cleaned[:64]}' is not a time zone I know. Use an IANA name such as "
            "America/Chicago or Europe/Berlin."
        )
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadTimezone(
            f"'{cleaned[:64]}' is not a time zone I know. Use an IANA name such as "
            "America/Chicago or Europe/Berlin."
        ) from None


def zone_names() -> list[str]:
    return sorted(_known_zones())


def parse_hhmm(text: str) -> time:
    """``"09:00"`` → ``time(9, 0)``; anything else raises :class:`BadTime`."""
    cleaned = text.strip()
    parts = cleaned.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise BadTime("Please give a 24-hour time as HH:MM, for example 09:00 or 18:30.")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise BadTime("Please give a 24-hour time as HH:MM, for example 09:00 or 18:30.")
    return time(hour, minute)


def require_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime: all instants must be timezone-aware")
    return instant.astimezone(UTC)


def at_local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``wall`` on local ``day`` in ``zone`` (gap → forward, fold → first).

    The result always falls on local ``day`` (unless the whole day does not exist, as in
    Pacific/Apia on 2011-12-30): a gap that would push it onto the next date is clamped.
    """
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).date() == day:
        return instant
    return _last_second_of(day, zone, before=instant)


def _last_second_of(day: date, zone: ZoneInfo, *, before: datetime) -> datetime:
    """The last whole second before ``before`` that is still on local ``day``."""
    low = before - timedelta(days=2)  # on or before ``day`` whatever the gap
    if low.astimezone(zone).date() > day:
        return before
    lo, hi = int(low.timestamp()), int(before.timestamp())
    while hi - lo > 1:  # invariant: lo is on or before ``day``, hi is after it
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, UTC).astimezone(zone).date() <= day:
            lo = mid
        else:
            hi = mid
    found = datetime.fromtimestamp(lo, UTC)
    return found if found.astimezone(zone).date() == day else before


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return require_utc(instant).astimezone(zone).date()


def next_local_time(wall: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after ``after`` at local ``wall`` time in ``zone``, in UTC."""
    after_utc = require_utc(after)
    start = after_utc.astimezone(zone).date() - timedelta(days=1)
    for offset in range(4):
        candidate = at_local(start + timedelta(days=offset), wall, zone)
        if candidate > after_utc:
            return candidate
    raise AssertionError("unreachable: a local day is never longer than 48 hours")


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of the local calendar ``day`` (23, 24 or 25 hours long)."""
    return at_local(day, time(0, 0), zone), at_local(day + timedelta(days=1), time(0, 0), zone)


def iso_week(day: date) -> str:
    """ISO week label, e.g. ``2026-W09``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
