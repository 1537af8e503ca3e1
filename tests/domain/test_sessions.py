"""Weekly session templates → occurrences: local wall-clock times survive DST changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.sessions import (
    MAX_SESSION_MINUTES,
    BadSession,
    attendance_window,
    check_duration,
    occurrences_between,
    overlaps,
    parse_weekday,
)

NY = ZoneInfo("America/New_York")
TUESDAY = 1
THREE_HOURS = timedelta(hours=3)

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/St_Johns",
    "UTC",
]


def test_tuesday_18_stays_18_local_across_both_dst_changes():
    # 2026-03-08 spring forward and 2026-11-01 fall back in New York
    start = datetime(2026, 2, 24, 0, 0, tzinfo=UTC)
    end = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    found = occurrences_between(TUESDAY, time(18, 0), THREE_HOURS, NY, start, end)
    assert len(found) == 39
    for occ in found:
        local = occ.starts_at.astimezone(NY)
        assert local.weekday() == TUESDAY
        assert (local.hour, local.minute) == (18, 0)
        assert occ.local_date == local.date()
        assert occ.ends_at - occ.starts_at == THREE_HOURS
    by_day = {o.local_date: o.starts_at for o in found}
    # before 2026-03-08 New York is UTC-5, after it UTC-4, after 2026-11-01 UTC-5 again
    assert by_day[date(2026, 3, 3)] == datetime(2026, 3, 3, 23, 0, tzinfo=UTC)
    assert by_day[date(2026, 3, 10)] == datetime(2026, 3, 10, 22, 0, tzinfo=UTC)
    assert by_day[date(2026, 10, 27)] == datetime(2026, 10, 27, 22, 0, tzinfo=UTC)
    assert by_day[date(2026, 11, 3)] == datetime(2026, 11, 3, 23, 0, tzinfo=UTC)
    # weekly spacing is 7 local days, not 168 hours
    assert by_day[date(2026, 3, 10)] - by_day[date(2026, 3, 3)] == timedelta(hours=167)


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    minutes=st.integers(1, MAX_SESSION_MINUTES),
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(1, 60),
)
def test_occurrences_are_weekly_at_the_local_wall_time(
    zone, weekday, hour, minute, minutes, start, days
):
    tz = ZoneInfo(zone)
    end = start + timedelta(days=days)
    found = occurrences_between(
        weekday, time(hour, minute), timedelta(minutes=minutes), tz, start, end
    )
    dates = [o.local_date for o in found]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)
    for earlier, later in itertools.pairwise(dates):
        assert (later - earlier).days == 7
    for occ in found:
        assert occ.local_date.weekday() == weekday
        assert occ.starts_at < end and occ.ends_at > start
        local = occ.starts_at.astimezone(tz)
        assert local.date() == occ.local_date
        wall = (local.hour, local.minute)
        if wall != (hour, minute):  # only a DST gap may push the start forward
            assert local.dst() != (occ.starts_at - timedelta(hours=3)).astimezone(tz).dst()
            assert local.time() > time(hour, minute)
    # nothing is missed: every week in the window has its occurrence
    assert len(found) >= days // 7 - 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Tuesday", 1), ("tue", 1), ("TUES", 1), ("monday", 0), ("Sun", 6), ("7", 6), ("1", 0)],
)
def test_parse_weekday(text, expected):
    assert parse_weekday(text) == expected


@pytest.mark.parametrize("text", ["", "tu", "Funday", "0", "8", "weekday"])
def test_parse_weekday_refuses(text):
    with pytest.raises(BadSession):
        parse_weekday(text)


@pytest.mark.parametrize("minutes", [0, -30, MAX_SESSION_MINUTES + 1, 28 * 24 * 60])
def test_durations_must_be_positive_and_at_most_six_hours(minutes):
    with pytest.raises(BadSession):
        check_duration(minutes)


def test_duration_ok():
    assert check_duration(180) == THREE_HOURS
    assert check_duration(MAX_SESSION_MINUTES) == timedelta(hours=6)


def test_overlaps():
    assert overlaps(time(18, 0), 180, time(20, 0), 60)
    assert not overlaps(time(18, 0), 180, time(21, 0), 60)
    assert not overlaps(time(9, 0), 60, time(10, 0), 60)


def test_attendance_window_opens_before_the_start_and_closes_at_the_end():
    starts = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)
    opens, closes = attendance_window(starts, starts + THREE_HOURS, 15)
    assert opens == starts - timedelta(minutes=15)
    assert closes == starts + THREE_HOURS
