from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.localtime import local_date
from bot.domain.recurrence import Cadence
from bot.domain.survey import (
    DEFAULT_ITEMS,
    Item,
    Option,
    Scores,
    StepErrors,
    check_items,
    first_open_step,
    max_scores,
    parse_step,
    score,
    steps,
)
from bot.domain.survey_alerts import (
    PROTECTIVE_DROP,
    RISK_HIGH,
    RISK_RISE,
    USE_REPORTED,
    Thresholds,
    response_rules,
)
from bot.domain.survey_periods import (
    SurveyCadence,
    current_period,
    missed_run,
    next_prompt,
    period_of,
)

KEYS = [i.key for i in DEFAULT_ITEMS]
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def test_default_items_cover_every_construct_and_fit_a_form() -> None:
    check_items(DEFAULT_ITEMS)
    scales = {i.scale for i in DEFAULT_ITEMS}
    assert scales == {"use", "risk", "protective", "satisfaction"}
    assert {"alcohol_days", "drug_days"} <= set(KEYS)
    assert {"cravings", "sleep", "mood", "risky_places", "conflict"} <= set(KEYS)
    assert {"confidence", "recovery_activity", "support"} <= set(KEYS)
    assert all(len(i.text) <= 45 for i in DEFAULT_ITEMS)
    assert max_scores(DEFAULT_ITEMS) == {"use": 6, "risk": 15, "protective": 9, "satisfaction": 3}


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        ((), "at least one"),
        ((replace(DEFAULT_ITEMS[0], key="Bad Key"), *DEFAULT_ITEMS[1:]), "lowercase"),
        ((DEFAULT_ITEMS[0], *DEFAULT_ITEMS), "only once"),
        ((replace(DEFAULT_ITEMS[0], text="x" * 46), *DEFAULT_ITEMS[1:]), "1 to 45"),
        ((replace(DEFAULT_ITEMS[0], options=(Option("a", 0),)), *DEFAULT_ITEMS[1:]), "2 to 10"),
        (tuple(i for i in DEFAULT_ITEMS if i.scale != "use"), "use score"),
        (
            (replace(DEFAULT_ITEMS[0], options=(Option("a", 0), Option("a", 1))),),
            "must differ",
        ),
    ],
)
def test_a_bad_question_list_is_refused_with_the_reason(
    items: tuple[Item, ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        check_items(items)


def test_steps_hold_at_most_five_questions_in_order() -> None:
    for size in range(1, 8):
        parts = steps(DEFAULT_ITEMS, size)
        assert all(1 <= len(p) <= 5 for p in parts)
        assert [i for p in parts for i in p] == list(DEFAULT_ITEMS)
    assert [len(p) for p in steps(DEFAULT_ITEMS, 4)] == [4, 4, 3]


def test_a_step_reads_option_indexes_and_refuses_missing_or_forged_ones() -> None:
    step = steps(DEFAULT_ITEMS, 4)[0]
    assert parse_step(step, {i.key: "0" for i in step}) == {i.key: 0 for i in step}
    with pytest.raises(StepErrors) as caught:
        parse_step(step, {step[0].key: "7", step[1].key: None, step[2].key: "x", step[3].key: "-1"})
    assert len(caught.value.problems) == 4
    assert "Nothing was saved" in caught.value.message()


def test_scores_add_each_scales_points() -> None:
    none = {k: 0 for k in KEYS}
    assert score(DEFAULT_ITEMS, none) == Scores(use=0, risk=0, protective=0, satisfaction=0)
    worst = {i.key: len(i.options) - 1 for i in DEFAULT_ITEMS}
    assert score(DEFAULT_ITEMS, worst) == Scores(use=6, risk=15, protective=9, satisfaction=3)
    one_drink_day = {**none, "alcohol_days": 1}
    assert score(DEFAULT_ITEMS, one_drink_day).use_reported
    with pytest.raises(ValueError, match="no valid answer"):
        score(DEFAULT_ITEMS, {"alcohol_days": 0})


def test_first_open_step_resumes_where_the_client_stopped() -> None:
    parts = steps(DEFAULT_ITEMS, 4)
    assert first_open_step(parts, set()) == 0
    assert first_open_step(parts, {i.key for i in parts[0]}) == 1
    assert first_open_step(parts, set(KEYS) - {"satisfaction"}) == 2
    assert first_open_step(parts, set(KEYS)) is None


T = Thresholds(risk_at=9, rise_points=4, drop_points=3)


def test_alert_rules() -> None:
    calm = Scores(use=0, risk=2, protective=8, satisfaction=2)
    assert response_rules(calm, None, T) == []
    assert response_rules(replace(calm, use=1), calm, T) == [USE_REPORTED]
    assert response_rules(replace(calm, risk=9), None, T) == [RISK_HIGH]
    assert response_rules(replace(calm, risk=6), calm, T) == [RISK_RISE]
    assert response_rules(replace(calm, risk=5), calm, T) == []  # a rise of 3 < 4
    assert response_rules(replace(calm, protective=5), calm, T) == [PROTECTIVE_DROP]
    assert response_rules(replace(calm, protective=6), calm, T) == []
    assert response_rules(replace(calm, risk=6), None, T) == []  # no earlier response


WEEKLY = SurveyCadence(Cadence.weekly(0), time(10, 0))
MONTHLY = SurveyCadence(Cadence.monthly(5), time(10, 0))


def test_weekly_periods_are_local_iso_weeks() -> None:
    period = period_of(WEEKLY, date(2026, 3, 4), NY)  # a Wednesday
    assert period.label == "2026-W10"
    assert period.first_day == date(2026, 3, 2)
    assert period.prompt_at == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert local_date(period.ends_at, NY) == date(2026, 3, 9)
    friday = SurveyCadence(Cadence.weekly(4), time(10, 0))
    assert period_of(friday, date(2026, 3, 2), NY).prompt_at == datetime(
        2026, 3, 6, 15, 0, tzinfo=UTC
    )


def test_monthly_periods_are_local_months() -> None:
    period = period_of(MONTHLY, date(2026, 12, 31), LONDON)
    assert period.label == "2026-12"
    assert period.prompt_at == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    nxt = next_prompt(MONTHLY, LONDON, period.prompt_at)
    assert nxt.label == "2027-01"


def test_next_prompt_is_strictly_after() -> None:
    period = current_period(WEEKLY, NY, datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    assert next_prompt(WEEKLY, NY, period.prompt_at - timedelta(seconds=1)) == period
    assert next_prompt(WEEKLY, NY, period.prompt_at).label == "2026-W11"


@given(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]),
    st.integers(0, 6),
    st.sampled_from([time(0, 0), time(2, 30), time(1, 30), time(10, 0), time(23, 59)]),
)
def test_weekly_prompts_fall_once_a_week_on_the_day(
    naive: datetime, zone_name: str, weekday: int, wall: time
) -> None:
    zone = ZoneInfo(zone_name)
    cadence = SurveyCadence(Cadence.weekly(weekday), wall)
    after = naive.replace(tzinfo=UTC)
    first = next_prompt(cadence, zone, after)
    second = next_prompt(cadence, zone, first.prompt_at)
    assert first.prompt_at > after
    assert local_date(first.prompt_at, zone).weekday() == weekday
    assert local_date(second.prompt_at, zone) - local_date(first.prompt_at, zone) == timedelta(7)
    assert second.label != first.label


def test_missed_run_counts_the_latest_unanswered_periods() -> None:
    assert missed_run(["W1", "W2", "W3"], {"W1"}) == 2
    assert missed_run(["W1", "W2", "W3"], {"W3"}) == 0
    assert missed_run([], set()) == 0
