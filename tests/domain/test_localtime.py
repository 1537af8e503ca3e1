"""The one local-time helper: next local HH:MM after an instant, across DST gaps and folds."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.localtime import (
    BadTime,
    BadTimezone,
    at_local,
    local_date,
    local_day_bounds,
    next_local_time,
    parse_hhmm,
    parse_zone,
)

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/St_Johns",
    "Africa/Casablanca",
    "UTC",
]

instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
walls = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))


@settings(max_examples=400, deadline=None)
@given(instant=instants, wall=walls, zone_name=st.sampled_from(ZONES))
def test_next_local_time_is_next_occurrence(instant, wall, zone_name):
    zone = ZoneInfo(zone_name)
    nxt = next_local_time(wall, zone, instant)
    assert nxt.tzinfo is UTC
    assert nxt > instant
    # never more than a (long) day and a bit away: no day is skipped
    assert nxt - instant <= timedelta(hours=26)
    local = nxt.astimezone(zone)
    if local.time().replace(fold=0) != wall:
        # only in a gap: the wall time did not exist that day, moved forward by the gap
        naive = datetime.combine(local.date(), wall)
        roundtrip = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        assert roundtrip.replace(tzinfo=None) != naive
        assert local.time() > wall
    # no earlier occurrence exists between instant and nxt
    previous_day = local.date() - timedelta(days=1)
    assert at_local(previous_day, wall, zone) <= instant


@settings(max_examples=200, deadline=None)
@given(start=instants, wall=walls, zone_name=st.sampled_from(ZONES))
def test_consecutive_occurrences_cover_every_local_day_once(start, wall, zone_name):
    zone = ZoneInfo(zone_name)
    current = next_local_time(wall, zone, start)
    days = [local_date(current, zone)]
    for _ in range(40):
        current = next_local_time(wall, zone, current)
        days.append(local_date(current, zone))
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))


def test_spring_forward_gap_moves_forward_new_york():
    zone = ZoneInfo("America/New_York")
    # 2026-03-08 02:30 does not exist in New York: 03:30 EDT instead
    got = next_local_time(time(2, 30), zone, datetime(2026, 3, 8, 5, 0, tzinfo=UTC))
    assert got == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert got.astimezone(zone).strftime("%H:%M") == "03:30"


def test_fall_back_fold_uses_first_occurrence_new_york():
    zone = ZoneInfo("America/New_York")
    # 2026-11-01 01:30 happens twice; the first (EDT, UTC-4) is used, and only once
    first = next_local_time(time(1, 30), zone, datetime(2026, 11, 1, 4, 0, tzinfo=UTC))
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    following = next_local_time(time(1, 30), zone, first)
    assert local_date(following, zone) == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("zone_name", "day"),
    [
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
        ("Europe/Berlin", date(2026, 3, 29)),
        ("Europe/Berlin", date(2026, 10, 25)),
        ("Australia/Sydney", date(2026, 4, 5)),
        ("Australia/Sydney", date(2026, 10, 4)),
    ],
)
def test_nine_am_stays_nine_am_across_dst(zone_name, day):
    zone = ZoneInfo(zone_name)
    for offset in (-1, 0, 1):
        d = day + timedelta(days=offset)
        instant = at_local(d, time(9, 0), zone)
        assert instant.astimezone(zone).strftime("%H:%M") == "09:00"


def test_local_day_bounds_are_23_24_25_hours():
    zone = ZoneInfo("America/New_York")
    lengths = {
        d: (lambda b: b[1] - b[0])(local_day_bounds(d, zone))
        for d in (date(2026, 3, 8), date(2026, 3, 9), date(2026, 11, 1))
    }
    assert lengths == {
        date(2026, 3, 8): timedelta(hours=23),
        date(2026, 3, 9): timedelta(hours=24),
        date(2026, 11, 1): timedelta(hours=25),
    }


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="naive"):
        next_local_time(time(9), ZoneInfo("UTC"), datetime(2026, 1, 1))


@pytest.mark.parametrize("text", ["9:00", "24:00", "09:60", "0900", "", "ab:cd", "09:00:00"])
def test_bad_hhmm(text):
    with pytest.raises(BadTime):
        parse_hhmm(text)


@pytest.mark.parametrize("text", ["Mars/Base", "", "../etc/passwd", "/etc/localtime", "x" * 100])
def test_bad_zone(text):
    with pytest.raises(BadTimezone):
        parse_zone(text)


def test_good_zone_and_time():
    assert parse_zone(" Europe/Berlin ").key == "Europe/Berlin"
    assert parse_hhmm("18:30") == time(18, 30)
