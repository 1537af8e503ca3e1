"""Issue 21 item 4: every zone in ``available_timezones()`` x a set of local times.

For each zone the days around every offset change from 2021 to 2028 are found (weekly
samples, then day by day inside a week that changed), and each wall time below is placed
on the day before, the day of and the day after: it must stay on its own local date, show
the asked wall time whenever that exists, and consecutive occurrences must give each local
day exactly once (no skipped day, no doubled day).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from bot.domain.localtime import at_local, local_date, next_local_time

WALLS = [time(0, 0), time(0, 30), time(1, 30), time(2, 30), time(9, 0)]
WALLS += [time(12, 0), time(22, 30), time(23, 0), time(23, 30), time(23, 59)]
FIRST, LAST = date(2021, 1, 4), date(2028, 12, 25)
# Days that do not exist at all: no time can land on them.
VANISHED = {("Pacific/Apia", date(2011, 12, 30)), ("Pacific/Fakaofo", date(2011, 12, 30))}


def noon_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    return datetime.combine(day, time(12, 0), tzinfo=zone).utcoffset()


def change_days(zone: ZoneInfo) -> list[date]:
    """Days whose noon offset differs from the next day's (one per offset change)."""
    days = []
    week = FIRST
    previous = noon_offset(week, zone)
    while week < LAST:
        following = week + timedelta(days=7)
        offset = noon_offset(following, zone)
        if offset != previous:
            for n in range(7):
                day = week + timedelta(days=n)
                if noon_offset(day, zone) != noon_offset(day + timedelta(days=1), zone):
                    days.append(day)
        week, previous = following, offset
    return days


def exists(day: date, wall: time, zone: ZoneInfo) -> bool:
    local = datetime.combine(day, wall, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None)


@pytest.mark.parametrize("zone_name", sorted(available_timezones()))
def test_item_4_every_zone_keeps_each_local_time_on_its_own_day(zone_name):
    zone = ZoneInfo(zone_name)
    for change in change_days(zone):
        days = [change + timedelta(days=n) for n in (-1, 0, 1, 2)]
        for wall in WALLS:
            for day in days:
                if (zone_name, day) in VANISHED:
                    continue
                instant = at_local(day, wall, zone)
                assert local_date(instant, zone) == day, (zone_name, day, wall)
                if exists(day, wall, zone):
                    assert instant.astimezone(zone).time() == wall, (zone_name, day, wall)
            # Consecutive occurrences from the day before: each local day exactly once.
            start = at_local(days[0], wall, zone)
            seen = [days[0]]
            instant = start
            for _ in range(3):
                instant = next_local_time(wall, zone, instant)
                seen.append(local_date(instant, zone))
            assert seen == days, (zone_name, wall, seen)
