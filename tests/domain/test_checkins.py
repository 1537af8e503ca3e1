"""bot/domain/checkins.py: reading answers, risk rules, streaks and missed days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.checkins import (
    CRAVING_HIGH,
    CRISIS_LANGUAGE,
    MOOD_LOW,
    QUIET_CLIENT,
    USE_REPORTED,
    AnswerErrors,
    CheckinAnswers,
    RiskThresholds,
    answer_risks,
    checkin_streak,
    encouragement,
    missed_days,
    missed_run,
    parse_answers,
    quiet_client,
    undeliverable_run,
    window_days,
)
from bot.domain.language import find_stigma

GOOD = {"mood": "6", "craving": "2", "used": "no", "sleep": "7", "note": "", "safety": "no"}
D = date(2026, 3, 10)


def parse(**changes: str | None) -> CheckinAnswers:
    return parse_answers(**{**GOOD, **changes})  # type: ignore[arg-type]


def test_good_answers_are_read():
    assert parse(note="  a note  ") == CheckinAnswers(6, 2, "no", 7.0, "a note", "no")
    assert parse(note="   ").note is None
    assert parse(sleep="6,5").sleep_hours == 6.5
    assert parse(sleep="7.25 hours").sleep_hours == 7.25
    assert parse(sleep="8h").sleep_hours == 8.0
    assert parse(mood=" 10 ", craving="0").mood == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("y", "yes"),
        ("Yes", "yes"),
        ("N", "no"),
        ("no", "no"),
        ("prefer not", "prefer_not"),
        ("Prefer not to say", "prefer_not"),
        ("Rather not say", "prefer_not"),
        ("rather  not", "prefer_not"),
    ],
)
def test_used_spellings(text, expected):
    assert parse(used=text).used == expected


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mood": "0"}, "Mood"),
        ({"mood": "11"}, "Mood"),
        ({"mood": "5.5"}, "Mood"),
        ({"mood": "five"}, "Mood"),
        ({"mood": "²"}, "Mood"),
        ({"craving": "-1"}, "Craving"),
        ({"craving": "11"}, "Craving"),
        ({"used": "maybe"}, "Used"),
        ({"sleep": "24.5"}, "sleep"),
        ({"sleep": "-1"}, "sleep"),
        ({"sleep": "nan"}, "sleep"),
        ({"sleep": "1e1"}, "sleep"),
        ({"note": "x" * 501}, "Note"),
    ],
)
def test_bad_answers_name_the_field(changes, field):
    with pytest.raises(AnswerErrors) as caught:
        parse(**changes)
    assert len(caught.value.problems) == 1
    assert field in caught.value.problems[0]
    assert caught.value.message().startswith("I couldn't save your check-in")


def test_every_bad_field_is_named_at_once():
    with pytest.raises(AnswerErrors) as caught:
        parse(mood="x", craving="99", used="?", sleep="lots", note="y" * 600)
    assert len(caught.value.problems) == 5


@given(st.text(max_size=12))
def test_parsing_never_crashes(text):
    for field in ("mood", "craving", "used", "sleep"):
        try:
            answers = parse(**{field: text})
        except AnswerErrors:
            continue
        assert 1 <= answers.mood <= 10 and 0 <= answers.craving <= 10
        assert 0 <= answers.sleep_hours <= 24


def test_risk_rules_and_thresholds():
    t = RiskThresholds(craving_at=8, mood_at=3)
    calm = CheckinAnswers(4, 7, "prefer_not", 7, None)
    assert answer_risks(calm, t, crisis_in_note=False) == []
    hard = CheckinAnswers(3, 8, "yes", 2, "n")
    assert answer_risks(hard, t, crisis_in_note=True) == [
        CRISIS_LANGUAGE,
        USE_REPORTED,
        CRAVING_HIGH,
        MOOD_LOW,
    ]
    assert answer_risks(hard, RiskThresholds(craving_at=9, mood_at=2), crisis_in_note=False) == [
        USE_REPORTED
    ]
    assert USE_REPORTED.severity == "high" and CRISIS_LANGUAGE.severity == "urgent"
    assert {CRAVING_HIGH.severity, MOOD_LOW.severity, QUIET_CLIENT.severity} == {"normal"}


def test_missed_run_and_quiet_client():
    prompted = [D - timedelta(days=k) for k in (1, 2, 3)]
    assert missed_run(prompted, []) == 3
    assert missed_run(prompted, [D - timedelta(days=3)]) == 2
    assert missed_run(prompted, [D - timedelta(days=1)]) == 0
    assert quiet_client(2, 2) is QUIET_CLIENT
    assert quiet_client(1, 2) is None
    assert undeliverable_run([(D, True), (D - timedelta(days=1), True)]) == 2
    assert undeliverable_run([(D, True), (D - timedelta(days=1), False)]) == 1
    assert undeliverable_run([(D, False), (D - timedelta(days=1), True)]) == 0


def test_streak_counts_checkins_not_sobriety():
    days = [D, D - timedelta(days=1), D - timedelta(days=2), D - timedelta(days=4)]
    assert checkin_streak(days, D) == 3
    assert checkin_streak(days[1:], D) == 2  # today still open: counts up to yesterday
    assert checkin_streak([D - timedelta(days=2)], D) == 0
    assert checkin_streak([], D) == 0


def test_window_and_missed_days():
    days = window_days(D, 30)
    assert len(days) == 30 and days[-1] == D and days[0] == D - timedelta(days=29)
    checked = [D - timedelta(days=1)]
    since = D - timedelta(days=3)
    assert missed_days(days, checked, since=since, today=D) == [
        D - timedelta(days=3),
        D - timedelta(days=2),
    ]


def test_encouragement_wording_is_person_first():
    lines = [encouragement(s, used=u) for s in (0, 1, 3, 10) for u in ("yes", "no", "prefer_not")]
    assert all(find_stigma(line) == [] for line in lines)
    assert "courage" in encouragement(5, used="yes")


# ----- the form's items, the safety item, the late form, coping ----------------------

from datetime import time  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from bot.domain.checkins import (  # noqa: E402
    DEFAULT_ITEMS,
    check_items,
    cutoff_for,
    late_form_day,
    needs_coping,
)


def test_default_items_fit_a_discord_form_and_include_the_safety_item():
    assert check_items(list(DEFAULT_ITEMS)) == list(DEFAULT_ITEMS)
    assert len(DEFAULT_ITEMS) <= 5 and "safety" in DEFAULT_ITEMS


@pytest.mark.parametrize(("safety", "expected"), [("yes", "yes"), ("no", "no"), (" YES ", "yes")])
def test_safety_answer_is_read(safety, expected):
    assert parse(safety=safety).safety == expected


@pytest.mark.parametrize("safety", ["", None, "maybe", "y"])
def test_safety_must_be_yes_or_no_when_asked(safety):
    with pytest.raises(AnswerErrors) as caught:
        parse(safety=safety)
    assert "Thoughts of ending your life" in caught.value.message()


def test_an_item_not_asked_is_stored_empty_and_not_checked():
    asked = ("mood", "craving", "used")
    got = parse_answers(mood="5", craving="1", used="no", sleep="lots", safety="?", asked=asked)
    assert (got.sleep_hours, got.safety, got.note) == (None, None, None)


def test_used_words_from_an_older_text_form_still_read():
    assert parse(used="prefer_not").used == "prefer_not"
    assert parse(used="Rather not say").used == "prefer_not"


GRACE = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("form_day", "since_midnight", "expected"),
    [
        (D - timedelta(days=1), timedelta(minutes=1), D - timedelta(days=1)),
        (D - timedelta(days=1), timedelta(minutes=30), D - timedelta(days=1)),
        (D - timedelta(days=1), timedelta(minutes=31), D),
        (D - timedelta(days=2), timedelta(minutes=1), D),
        (D, timedelta(hours=5), D),
        (D + timedelta(days=1), timedelta(minutes=1), D),
        (None, timedelta(minutes=1), D),
    ],
)
def test_late_form_day(form_day, since_midnight, expected):
    assert late_form_day(form_day, D, since_midnight, GRACE) == expected


@pytest.mark.parametrize(
    ("mood", "craving", "expected"),
    [("5", "2", False), ("3", "2", True), ("5", "8", True), ("4", "7", False)],
)
def test_needs_coping_follows_the_alert_thresholds(mood, craving, expected):
    assert needs_coping(parse(mood=mood, craving=craving), RiskThresholds()) is expected


def test_cutoff_is_the_end_of_the_day_when_the_prompt_is_after_it():
    zone = ZoneInfo("America/New_York")
    assert cutoff_for(D, time(21, 0), time(20, 0), zone).hour == 4  # local midnight, UTC
    assert cutoff_for(D, time(9, 0), time(20, 0), zone).hour == 0  # 20:00 EDT
