"""The hours ledger's pure rules: session hours, ISO weeks in local time, the band."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.hours import (
    Band,
    format_hours,
    session_hours,
    total_hours,
    week_bounds,
    week_of,
    week_settled,
)

NY = ZoneInfo("America/New_York")
BAND = Band(9.0, 15.0)


def test_session_hours():
    start = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)
    assert session_hours(start, start + timedelta(hours=3)) == 3.0
    assert session_hours(start, start + timedelta(minutes=90)) == 1.5
    assert session_hours(start, start + timedelta(minutes=50)) == 0.83
    with pytest.raises(ValueError):
        session_hours(start, start)


def test_a_sunday_evening_session_counts_in_its_local_week():
    # Sunday 2026-03-08 21:00 in New York is Monday 01:00 UTC (the next ISO week in UTC)
    instant = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    assert week_of(instant, NY) == "2026-W10"
    assert week_of(instant, ZoneInfo("UTC")) == "2026-W11"


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        (0, "under"),
        (8.99, "under"),
        (9, "within"),
        (8.999999, "within"),
        (15, "within"),
        (15.01, "over"),
        (19, "over"),
    ],
)
def test_band(hours, status):
    assert BAND.status(hours) == status


@given(st.lists(st.sampled_from([1.0, 1.5, 2.0, 3.0, 0.75]), max_size=20))
def test_totals_are_rounded_sums(values):
    assert total_hours(values) == round(sum(values), 2)
    assert total_hours({str(i): v for i, v in enumerate(values)}) == round(sum(values), 2)


def test_format_hours():
    assert format_hours(3.0) == "3"
    assert format_hours(2.5) == "2.5"
    assert format_hours(1.25) == "1.25"


def test_a_week_is_settled_only_after_its_last_session_or_its_end():
    zone = ZoneInfo("America/New_York")
    monday_noon = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    start, end = week_bounds(monday_noon, zone)
    assert start == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # Monday 00:00 EST
    assert end == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # next Monday 00:00 EDT (DST)
    tuesday_end = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    thursday_end = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    assert not week_settled(monday_noon, [tuesday_end, thursday_end], end)
    assert not week_settled(tuesday_end, [tuesday_end, thursday_end], end)
    assert week_settled(thursday_end, [tuesday_end, thursday_end], end)
    assert not week_settled(monday_noon, [], end)  # no sessions: only once the week is over
    assert week_settled(end, [], end)
