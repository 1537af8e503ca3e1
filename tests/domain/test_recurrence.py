"""Daily, weekly and monthly occurrences at a local wall time, across DST gaps and folds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.localtime import at_local, local_date, next_local_time
from bot.domain.recurrence import Cadence, cutoff_for, next_occurrence

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
ZONES = (NY, BERLIN, ZoneInfo("Australia/Sydney"), ZoneInfo("America/Nuuk"), ZoneInfo("UTC"))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ----- worked examples (each checked by hand against the zone's rules) ------------------


@pytest.mark.parametrize(
    ("cadence", "wall", "zone", "after", "expected"),
    [
        # New York springs forward 2026-03-08 at 02:00: 02:30 does not exist -> 03:30 EDT.
        (Cadence.daily(), time(2, 30), NY, utc(2026, 3, 7, 12), utc(2026, 3, 8, 7, 30)),
        (Cadence.weekly(6), time(2, 30), NY, utc(2026, 3, 2), utc(2026, 3, 8, 7, 30)),
        (Cadence.monthly(8), time(2, 30), NY, utc(2026, 2, 9), utc(2026, 3, 8, 7, 30)),
        # Berlin springs forward 2026-03-29 at 02:00: 02:30 -> 03:30 CEST (01:30 UTC).
        (Cadence.daily(), time(2, 30), BERLIN, utc(2026, 3, 28, 12), utc(2026, 3, 29, 1, 30)),
        (Cadence.weekly(6), time(2, 30), BERLIN, utc(2026, 3, 23), utc(2026, 3, 29, 1, 30)),
        (Cadence.monthly(29), time(2, 30), BERLIN, utc(2026, 3, 1), utc(2026, 3, 29, 1, 30)),
        # New York falls back 2026-11-01 at 02:00: 01:30 happens twice -> the first (EDT).
        (Cadence.daily(), time(1, 30), NY, utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30)),
        (Cadence.weekly(6), time(1, 30), NY, utc(2026, 10, 26), utc(2026, 11, 1, 5, 30)),
        # ... and the week after, in EST.
        (Cadence.weekly(6), time(1, 30), NY, utc(2026, 11, 1, 5, 30), utc(2026, 11, 8, 6, 30)),
        # Berlin falls back 2026-10-25 at 03:00: 02:30 happens twice -> the first (CEST).
        (Cadence.monthly(25), time(2, 30), BERLIN, utc(2026, 10, 1), utc(2026, 10, 25, 0, 30)),
        (Cadence.daily(), time(2, 30), BERLIN, utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)),
        # Day 31 is each month's last day: February 2026 has 28, 2028 has 29, April 30.
        (Cadence.monthly(31), time(9), NY, utc(2026, 2, 1), utc(2026, 2, 28, 14)),
        (Cadence.monthly(31), time(9), NY, utc(2028, 2, 1), utc(2028, 2, 29, 14)),
        (Cadence.monthly(31), time(9), BERLIN, utc(2026, 4, 1), utc(2026, 4, 30, 7)),
        (Cadence.monthly(31), time(9), BERLIN, utc(2026, 4, 30, 7), utc(2026, 5, 31, 7)),
        # Strictly after: at the occurrence itself, the next one.
        (Cadence.weekly(0), time(9), NY, utc(2026, 3, 2, 14), utc(2026, 3, 9, 13)),
        # A Monday occurrence is Monday in the client's zone, not in UTC.
        (Cadence.weekly(0), time(0, 30), BERLIN, utc(2026, 3, 1, 12), utc(2026, 3, 1, 23, 30)),
    ],
)
def test_next_occurrence_examples(cadence, wall, zone, after, expected):
    found = next_occurrence(cadence, wall, zone, after)
    assert found == expected
    assert cadence.occurs_on(local_date(found, zone))


def test_periods_are_the_local_date_the_iso_week_and_the_month():
    assert Cadence.daily().period(date(2026, 3, 2)) == "2026-03-02"
    assert Cadence.weekly(0).period(date(2026, 3, 4)) == "2026-W10"
    # ISO weeks cross the year: 2026-12-31 and 2027-01-03 are both in 2026-W53
    assert Cadence.weekly(4).period(date(2027, 1, 3)) == "2026-W53"
    assert Cadence.monthly(31).period(date(2026, 2, 28)) == "2026-02"


def test_bad_cadences_are_refused():
    for bad in (lambda: Cadence.weekly(7), lambda: Cadence.monthly(0), lambda: Cadence("day", 3)):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError):
        Cadence("year")  # type: ignore[arg-type]


def test_cutoff_is_the_cutoff_time_or_the_end_of_the_day():
    day = date(2026, 3, 8)  # New York's spring-forward day: 23 hours long
    assert cutoff_for(day, time(9), time(20), NY) == utc(2026, 3, 9, 0)  # 20:00 EDT
    assert cutoff_for(day, time(21), time(20), NY) == utc(2026, 3, 9, 4)  # midnight EDT


# ----- properties ------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
walls = st.sampled_from([time(0, 0), time(0, 30), time(1, 30), time(2, 30), time(9), time(23, 30)])
zones = st.sampled_from(ZONES)
cadences = st.one_of(
    st.just(Cadence.daily()),
    st.integers(0, 6).map(Cadence.weekly),
    st.integers(1, 31).map(Cadence.monthly),
)


@settings(max_examples=300, deadline=None)
@given(wall=walls, zone=zones, after=instants)
def test_daily_is_exactly_next_local_time(wall, zone, after):
    assert next_occurrence(Cadence.daily(), wall, zone, after) == next_local_time(wall, zone, after)


@settings(max_examples=400, deadline=None)
@given(cadence=cadences, wall=walls, zone=zones, after=instants)
def test_next_occurrence_is_the_first_one_strictly_after(cadence, wall, zone, after):
    found = next_occurrence(cadence, wall, zone, after)
    day = local_date(found, zone)
    assert found > after
    assert cadence.occurs_on(day)
    assert found == at_local(day, wall, zone)  # that local day's occurrence (gap/fold rules)
    previous = cadence.last_before(day)
    assert at_local(previous, wall, zone) <= after  # none skipped in between
    assert previous < day and cadence.occurs_on(previous)
    # one occurrence per period, so the period identifies it
    assert cadence.period(previous) != cadence.period(day)


@settings(max_examples=300, deadline=None)
@given(cadence=cadences, day=st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_first_on_or_after_and_last_before_bracket_a_day(cadence, day):
    first = cadence.first_on_or_after(day)
    last = cadence.last_before(day)
    assert last < day <= first
    assert cadence.occurs_on(first) and cadence.occurs_on(last)
    between = [last + timedelta(days=k) for k in range(1, (first - last).days)]
    assert not any(cadence.occurs_on(d) for d in between)
    if cadence.every == "month":
        assert first.day == min(cadence.day, _month_length(first))


def _month_length(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
