"""bot/domain/staffing.py: is the program staffed now?"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.staffing import WEEKDAYS, is_staffed

NY = ZoneInfo("America/New_York")
WEEKDAYS_ONLY = ("mon", "tue", "wed", "thu", "fri")
NINE, FIVE = time(9), time(17)


def ny(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


@pytest.mark.parametrize(
    ("instant", "staffed"),
    [
        (ny(2026, 3, 2, 8, 59), False),  # Monday, a minute before
        (ny(2026, 3, 2, 9, 0), True),  # the start counts
        (ny(2026, 3, 2, 16, 59), True),
        (ny(2026, 3, 2, 17, 0), False),  # the end does not
        (ny(2026, 3, 7, 12, 0), False),  # Saturday
        (ny(2026, 3, 9, 9, 30), True),  # the Monday after the spring DST change
        (ny(2026, 11, 2, 9, 30), True),  # the Monday after the fall change
    ],
)
def test_weekday_day_shift(instant, staffed):
    assert is_staffed(instant, NY, WEEKDAYS_ONLY, NINE, FIVE) is staffed


def test_overnight_shift_runs_past_midnight_into_the_next_day():
    days = ("fri",)
    start, end = time(22), time(6)
    assert is_staffed(ny(2026, 3, 6, 23, 0), NY, days, start, end)  # Friday night
    assert is_staffed(ny(2026, 3, 7, 5, 59), NY, days, start, end)  # Saturday early
    assert not is_staffed(ny(2026, 3, 7, 6, 0), NY, days, start, end)
    assert not is_staffed(ny(2026, 3, 7, 23, 0), NY, days, start, end)  # Saturday night


def test_start_equal_to_end_is_the_whole_day():
    assert is_staffed(ny(2026, 3, 2, 3, 0), NY, ("sun", "mon"), time(0), time(0))


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="aware"):
        is_staffed(datetime(2026, 3, 2, 12, 0), NY, WEEKDAYS_ONLY, NINE, FIVE)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)),
    st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC"]),
)
def test_all_week_all_day_is_always_staffed_and_no_days_never(naive, zone_name):
    instant = naive.replace(tzinfo=UTC)
    zone = ZoneInfo(zone_name)
    assert is_staffed(instant, zone, WEEKDAYS, time(0), time(0))
    assert not is_staffed(instant, zone, (), NINE, FIVE)
    # A day shift is staffed exactly when the local wall time says so.
    local = instant.astimezone(zone)
    expected = local.weekday() < 5 and NINE <= local.time() < FIVE
    assert is_staffed(instant, zone, WEEKDAYS_ONLY, NINE, FIVE) is expected
    assert is_staffed(instant + timedelta(0), zone, WEEKDAYS_ONLY, NINE, FIVE) is expected
