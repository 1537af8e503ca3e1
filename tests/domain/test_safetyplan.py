"""The safety plan's parts, wording overrides, and what a client may write."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.domain.safetyplan import (
    PART_KEYS,
    PART_MAX,
    PROMPT_MAX,
    STEPS,
    TITLE_MAX,
    PlanTooLong,
    clean_parts,
    plan_parts,
    resources_suggestion,
)


def test_six_parts_in_two_steps_of_three_within_discords_form_limits():
    parts = plan_parts()
    assert [p.key for p in parts] == list(PART_KEYS)
    assert len(parts) == 6 and [len(s) for s in STEPS] == [3, 3]
    assert sum(STEPS, ()) == PART_KEYS
    for part in parts:
        assert 0 < len(part.title) <= TITLE_MAX
        assert 0 < len(part.prompt) <= PROMPT_MAX
    # Six full parts and their headings fit in one embed (6,000 characters).
    assert sum(len(p.title) + 4 + PART_MAX for p in parts) + 300 <= 6000


def test_a_program_rewords_some_parts_and_keeps_the_rest():
    parts = plan_parts({"coping": ("My own tools", None), "support": (None, "Who picks up")})
    by_key = {p.key: p for p in parts}
    assert by_key["coping"].title == "My own tools"
    assert by_key["coping"].prompt == plan_parts()[1].prompt
    assert by_key["support"].prompt == "Who picks up"
    assert by_key["warning_signs"] == plan_parts()[0]


def test_settings_overrides_reach_the_parts_and_bad_wording_is_refused():
    settings = Settings(safetyplan={"environment": {"title": "A safer home"}})
    parts = plan_parts(settings.safetyplan.overrides())
    assert parts[-1].title == "A safer home"
    with pytest.raises(ValueError, match=r"safetyplan\.coping\.title"):
        Settings(safetyplan={"coping": {"title": "x" * (TITLE_MAX + 1)}})
    with pytest.raises(ValueError, match=r"safetyplan\.nonsense"):
        Settings(safetyplan={"nonsense": {"title": "x"}})


def test_clean_parts_trims_empties_and_names_every_part_too_long():
    parts = plan_parts()[:3]
    cleaned = clean_parts(
        {"warning_signs": "  up all night \n", "coping": "   ", "distraction": None}, parts
    )
    assert cleaned == {"warning_signs": "up all night", "coping": None, "distraction": None}
    assert clean_parts({"coping": "y" * PART_MAX}, parts)["coping"] == "y" * PART_MAX
    with pytest.raises(PlanTooLong) as caught:
        clean_parts({"warning_signs": "a" * 900, "coping": "ok", "distraction": "b" * 801}, parts)
    message = caught.value.message()
    assert f"up to {PART_MAX} characters" in message
    assert f"{parts[0].title}: 900 characters" in message
    assert f"{parts[2].title}: 801 characters" in message
    assert parts[1].title not in message
    assert "Nothing was changed" in message


def test_resources_suggestion_keeps_whole_lines_that_fit():
    resources = [("Lifeline", "call or text 988"), ("Text line", "text HOME to 741741")]
    assert resources_suggestion(resources) == (
        "Lifeline: call or text 988\nText line: text HOME to 741741"
    )
    assert resources_suggestion(resources, limit=30) == "Lifeline: call or text 988"
    assert resources_suggestion(resources, limit=5) == ""
    long = [(f"Line {n}", "x" * 100) for n in range(20)]
    assert len(resources_suggestion(long)) <= PART_MAX
