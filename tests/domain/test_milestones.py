from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import milestones as ms
from bot.domain.dates import BadDate
from bot.domain.localtime import local_date, local_day_bounds

# Zones with DST at 00:00 (Santiago, Havana), half-hour DST (Lord Howe), odd offsets
# (Kathmandu, St Johns), the southern hemisphere, no DST at all, and a skipped day (Apia).
ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Apia",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "UTC",
]
zones = st.sampled_from(ZONES).map(ZoneInfo)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2037, 12, 31))


# ----- day counts ----------------------------------------------------------------------


@settings(max_examples=300)
@given(zone=zones, start=dates, offset=st.integers(min_value=1, max_value=4000))
def test_count_changes_exactly_at_local_midnight(zone, start, offset):
    day = start + timedelta(days=offset)
    midnight, _ = local_day_bounds(day, zone)
    assert ms.days_at(start, midnight, zone) == offset
    assert ms.days_at(start, midnight - timedelta(microseconds=1), zone) == offset - 1


@settings(max_examples=200)
@given(zone=zones, start=dates, offset=st.integers(min_value=0, max_value=4000))
def test_count_is_the_same_all_local_day_long(zone, start, offset):
    """23-, 24- and 25-hour days: every instant of local day d counts d - start."""
    day = start + timedelta(days=offset)
    begin, end = local_day_bounds(day, zone)
    for instant in (begin, begin + (end - begin) / 2, end - timedelta(microseconds=1)):
        assert local_date(instant, zone) == day
        assert ms.days_at(start, instant, zone) == offset


@pytest.mark.parametrize(
    ("zone", "start", "local", "expected"),
    [
        # New York springs forward 2026-03-08 (a 23-hour day)
        ("America/New_York", date(2026, 3, 7), datetime(2026, 3, 8, 23, 59), 1),
        ("America/New_York", date(2026, 3, 7), datetime(2026, 3, 9, 0, 0), 2),
        # Berlin falls back 2026-10-25 (a 25-hour day)
        ("Europe/Berlin", date(2026, 10, 24), datetime(2026, 10, 25, 23, 59), 1),
        ("Europe/Berlin", date(2026, 10, 24), datetime(2026, 10, 26, 0, 0), 2),
        # Sydney's DST starts 2026-10-04
        ("Australia/Sydney", date(2026, 10, 3), datetime(2026, 10, 4, 12, 0), 1),
        # Santiago: midnight does not exist on 2026-09-06; the day still counts
        ("America/Santiago", date(2026, 9, 5), datetime(2026, 9, 6, 1, 0), 1),
        # Apia skipped 2011-12-30 entirely: calendar days, so the count jumps by two
        ("Pacific/Apia", date(2011, 12, 29), datetime(2011, 12, 31, 12, 0), 2),
    ],
)
def test_day_counts_across_dst(zone, start, local, expected):
    tz = ZoneInfo(zone)
    instant = local.replace(tzinfo=tz).astimezone(UTC)
    assert ms.days_at(start, instant, tz) == expected


def test_day_count_is_zero_on_the_date_and_never_negative():
    assert ms.days_since(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert ms.days_since(date(2026, 3, 3), date(2026, 3, 2)) == 0


# ----- validation ----------------------------------------------------------------------


def test_sobriety_date_in_the_future_is_refused():
    with pytest.raises(BadDate, match="can't be in the future"):
        ms.check_sobriety_date(date(2026, 3, 3), today=date(2026, 3, 2))


def test_sobriety_date_before_1900_is_refused():
    with pytest.raises(BadDate, match="1900"):
        ms.check_sobriety_date(date(1899, 12, 31), today=date(2026, 3, 2))


def test_sobriety_date_today_and_1900_are_fine():
    assert ms.check_sobriety_date(date(2026, 3, 2), today=date(2026, 3, 2)) == date(2026, 3, 2)
    assert ms.check_sobriety_date(date(1900, 1, 1), today=date(2026, 3, 2)) == date(1900, 1, 1)


# ----- schemes -------------------------------------------------------------------------


def test_default_sobriety_scheme_then_every_year():
    start = date(2020, 1, 15)
    found = ms.sobriety_candidates(start, ms.SobrietyScheme(), until=date(2025, 1, 15))
    days = [c.n for c in found if c.kind == ms.DAYS]
    years = [c.n for c in found if c.kind == ms.YEARS]
    assert days == [1, 7, 14, 30, 60, 90, 180, 270, 365, 545]
    assert years == [2, 3, 4, 5]
    assert found[-1].due_date == date(2025, 1, 15)
    assert [c.due_date for c in found] == sorted(c.due_date for c in found)
    assert all(c.due_date - start == timedelta(days=c.n) for c in found if c.kind == ms.DAYS)


def test_no_yearly_milestones_when_switched_off():
    scheme = ms.SobrietyScheme(days=(30,), every_year_after_days=None)
    found = ms.sobriety_candidates(date(2020, 1, 1), scheme, until=date(2030, 1, 1))
    assert [(c.kind, c.n) for c in found] == [(ms.DAYS, 30)]


def test_leap_day_anniversary_falls_on_28_february():
    assert ms.anniversary(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert ms.anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


@settings(max_examples=200)
@given(start=dates, a=st.integers(0, 3000), b=st.integers(0, 3000))
def test_candidates_only_grow_with_time(start, a, b):
    early, late = sorted((a, b))
    scheme = ms.SobrietyScheme()
    first = ms.sobriety_candidates(start, scheme, until=start + timedelta(days=early))
    second = ms.sobriety_candidates(start, scheme, until=start + timedelta(days=late))
    assert first == second[: len(first)]
    keys = [(c.kind, c.n) for c in second]
    assert len(keys) == len(set(keys))
    assert all(c.due_date <= start + timedelta(days=late) for c in second)


def test_program_weeks_first_week_is_seven_days_after_start():
    found = ms.program_week_candidates(date(2026, 3, 2), ms.ProgramScheme(), until=date(2026, 6, 1))
    assert [(c.n, c.due_date) for c in found] == [
        (1, date(2026, 3, 9)),
        (4, date(2026, 3, 30)),
        (8, date(2026, 4, 27)),
        (12, date(2026, 5, 25)),
    ]
    assert (
        ms.program_week_candidates(date(2026, 3, 2), ms.ProgramScheme(), until=date(2026, 3, 8))
        == []
    )


def test_session_counts():
    scheme = ms.ProgramScheme()
    assert ms.session_thresholds_reached(9, scheme) == []
    assert ms.session_thresholds_reached(10, scheme) == [10]
    assert ms.session_thresholds_reached(31, scheme) == [10, 20, 30]


def test_within():
    found = ms.sobriety_candidates(date(2026, 1, 1), ms.SobrietyScheme(), until=date(2026, 12, 31))
    week = ms.within(found, date(2026, 1, 29), date(2026, 2, 4))
    assert [(c.kind, c.n) for c in week] == [(ms.DAYS, 30)]


# ----- timing --------------------------------------------------------------------------


@settings(max_examples=200)
@given(zone=zones, day=dates)
def test_celebration_is_at_local_morning(zone, day):
    instant = ms.celebration_at(day, time(9, 0), zone)
    local = instant.astimezone(zone)
    assert local.date() == day
    assert (local.hour, local.minute) == (9, 0)


def test_next_celebration_today_or_tomorrow():
    zone = ZoneInfo("America/Chicago")
    before = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 08:00 in Chicago
    after = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 10:00
    assert ms.next_celebration(before, time(9), zone) == (
        date(2026, 3, 2),
        datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
    )
    assert ms.next_celebration(after, time(9), zone)[0] == date(2026, 3, 3)


def test_classify():
    due = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    kw = {"stale_after": timedelta(days=7), "late_after": timedelta(hours=1)}
    assert ms.classify(due, due + timedelta(minutes=5), not_before=None, **kw) == "on_time"
    assert ms.classify(due, due + timedelta(hours=3), not_before=None, **kw) == "late"
    assert ms.classify(due, due + timedelta(days=7, minutes=1), not_before=None, **kw) == "stale"
    assert ms.classify(due, due, not_before=due + timedelta(seconds=1), **kw) == "prior"


def test_congrats_at_end_of_the_local_day():
    zone = ZoneInfo("Europe/Berlin")
    morning = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 Berlin
    assert ms.congrats_delivery_at(morning, time(20), zone) == datetime(
        2026, 3, 2, 19, 0, tzinfo=UTC
    )
    night = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)  # 22:00 Berlin
    assert ms.congrats_delivery_at(night, time(20), zone).date() == date(2026, 3, 3)


# ----- streaks -------------------------------------------------------------------------


def test_restart_keeps_cumulative_and_longest():
    tally = ms.Tally(streak_start=date(2026, 1, 1))
    today = date(2026, 2, 10)  # 40 days
    restarted = ms.restart_streak(tally, today)
    assert restarted.current_days(today) == 0
    assert restarted.cumulative(today) == 40
    assert restarted.longest(today) == 40
    assert restarted.streak == 2
    later = today + timedelta(days=10)
    assert restarted.cumulative(later) == 50
    assert restarted.longest(later) == 40


@settings(max_examples=200)
@given(start=dates, gaps=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_restarts_never_lose_days(start, gaps):
    tally = ms.Tally(streak_start=start)
    today = start
    total = 0
    longest = 0
    for gap in gaps:
        today += timedelta(days=gap)
        total += gap
        longest = max(longest, gap)
        tally = ms.restart_streak(tally, today)
        assert tally.cumulative(today) == total
        assert tally.longest(today) == longest
    assert tally.streak == len(gaps) + 1


def test_correcting_the_date_banks_nothing():
    tally = ms.Tally(streak_start=date(2026, 1, 1), banked_days=5, longest_days=9)
    fixed = ms.correct_start(tally, date(2026, 1, 3))
    assert (fixed.banked_days, fixed.longest_days, fixed.streak) == (5, 9, 1)
