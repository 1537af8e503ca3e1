"""[survey] by config: a program's own questions and scoring, a monthly period, and
mistakes named by key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import ConfigError, load_settings
from cogs.survey._spec import SPEC
from tests.cogs.checkins_helpers import enroll, form_ids, jump_to, reply_text
from tests.cogs.survey_helpers import survey_prompts
from tests.harness import program_world

OWN_ITEMS = """
[survey]
items_per_step = 2

[[survey.items]]
key = "any_use"
text = "Any use this week?"
scale = "use"
options = [{ label = "No", points = 0 }, { label = "Yes", points = 5 }]

[[survey.items]]
key = "urges"
text = "Urges this week"
scale = "risk"
options = [
    { label = "Low", points = 0 },
    { label = "Medium", points = 2 },
    { label = "High", points = 4 },
]

[[survey.items]]
key = "meetings"
text = "Meetings this week"
scale = "protective"
options = [{ label = "0", points = 0 }, { label = "1-2", points = 1 }, { label = "3+", points = 2 }]
"""


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_program_replaces_the_questions_and_points(tmp_path) -> None:
    settings = SPEC.section_of(load_settings(write(tmp_path, OWN_ITEMS)))
    items = settings.domain_items()
    assert [i.key for i in items] == ["any_use", "urges", "meetings"]
    assert items[1].options[2].points == 4


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[survey]\nday = "someday"\n', "survey.day"),
        ('[survey]\ntime = "25:00"\n', "survey.time"),
        ("[survey]\nitems_per_step = 6\n", "survey.items_per_step"),
        ("[survey]\nmonth_day = 31\n", "survey.month_day"),
        ("[survey]\nitems = []\n", "survey"),
        ('[survey]\nfrequency = "daily"\n', "survey.frequency"),
        ("[survey]\nunknown = 1\n", "survey.unknown"),
        ("[retention]\nsurvey_answers_days = 0\n", "retention.survey_answers_days"),
        (OWN_ITEMS.replace('"Urges this week"', '"' + "x" * 46 + '"'), "45"),
        (OWN_ITEMS.replace('scale = "use"', 'scale = "risk"'), "use score"),
    ],
)
def test_bad_survey_settings_are_named(tmp_path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, toml))
    assert expected in str(caught.value)


async def test_monthly_period_and_the_programs_own_questions(tmp_path) -> None:
    items = SPEC.section_of(load_settings(write(tmp_path, OWN_ITEMS))).model_dump()["items"]
    survey = {"frequency": "monthly", "month_day": 5, "items": items, "items_per_step": 2}
    async with program_world(tmp_path, cogs=("clients", "survey"), survey=survey) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 5, 14, 59, tzinfo=UTC))  # 09:59 in New York
        assert survey_prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 5, 15, 0, tzinfo=UTC))
        prompt = [m for m in w.dms(alex) if "This month's recovery check" in m.content]
        assert len(prompt) == 1
        shown = await alex.slash(w.cohort, "survey open")
        assert form_ids(shown.modal) == ["any_use", "urges"]
        assert shown.modal["title"] == "Recovery check (1 of 2)"
        first = await alex.submit_modal(shown, {"any_use": "1", "urges": "2"})
        assert "Step 1 of 2 saved" in reply_text(first)
        await jump_to(w, w.clock.now() + timedelta(days=20))  # still March
        shown = await alex.slash(w.cohort, "survey open")
        assert form_ids(shown.modal) == ["meetings"]
        done = await alex.submit_modal(shown, {"meetings": "0"})
        assert "use 5/5, risk 4/4, protective 0/2" in reply_text(done)
        row = await w.db.fetchone("SELECT period, first_day FROM survey_responses")
        assert (row["period"], row["first_day"]) == ("2026-03", "2026-03-01")
