"""Every string the milestones cog can show passes the stigma-language lint."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from bot.domain import milestones as ms
from bot.domain.language import find_stigma
from cogs.milestones import _render as render
from tests.cogs.milestones_helpers import SUBSTANCE_AND_CHECKIN_WORDS

SCHEMES = [(ms.DAYS, n) for n in (1, 7, 14, 30, 60, 90, 180, 270, 365, 545)] + [
    (ms.YEARS, 2),
    (ms.YEARS, 10),
    (ms.WEEKS, 1),
    (ms.WEEKS, 4),
    (ms.WEEKS, 8),
    (ms.WEEKS, 12),
    (ms.SESSIONS, 10),
    (ms.SESSIONS, 20),
    (ms.SESSIONS, 30),
    (ms.STEPDOWN, 1),
    (ms.COMPLETION, 1),
]


def every_rendering() -> list[str]:
    texts: list[str] = []
    for (kind, n), late, shared, opted_in in itertools.product(
        SCHEMES, (False, True), (False, True), (False, True)
    ):
        texts.append(
            render.celebration_dm(
                name="Alex",
                kind=kind,
                n=n,
                program="Sunrise Recovery IOP",
                late=late,
                due_date=date(2026, 3, 3),
                shared=shared,
                opted_in=opted_in,
            )
        )
    for (kind, n), late in itertools.product(SCHEMES, (False, True)):
        texts.append(render.cohort_post(name="Alex", kind=kind, n=n, late=late))
        texts.append(render.milestone_label(kind, n))
        texts.append(render.next_text(kind, n, date(2026, 3, 3)))
    for (kind, n), names in itertools.product(SCHEMES, (["Sam"], ["Sam", "Riley", "Jo"])):
        texts.append(render.congrats_dm(kind=kind, n=n, names=names))
    for current in (0, 1, 40):
        texts.append(
            render.counts_text(current=current, since=date(2026, 1, 1), longest=40, cumulative=45)
        )
        texts.append(
            render.set_reply(start=date(2026, 1, 1), days=current, next_line=None, public=False)
        )
        texts.append(
            render.set_reply(start=date(2026, 1, 1), days=current, next_line="x", public=True)
        )
    texts.append(render.RESET_PROMPT.format(cumulative=40, longest="40 days"))
    texts.append(render.RESTARTED.format(cumulative=40, longest="40 days"))
    texts.append(render.KEPT.format(current="40 days"))
    texts.append(render.CONGRATS_THANKS.format(name="Alex"))
    texts.append(render.upcoming_line(day=date(2026, 3, 3), name="Alex", what="x"))
    texts.extend(
        value for name, value in vars(render).items() if isinstance(value, str) and name.isupper()
    )
    return texts


def test_every_rendering_is_free_of_stigmatizing_words():
    texts = every_rendering()
    assert len(texts) > 300
    problems = {text: find_stigma(text) for text in texts if find_stigma(text)}
    assert problems == {}


@pytest.mark.parametrize(("kind", "n"), SCHEMES)
def test_cohort_posts_carry_a_name_and_a_milestone_only(kind, n):
    for late in (False, True):
        text = render.cohort_post(name="Alex", kind=kind, n=n, late=late).lower()
        assert "alex" in text
        for word in SUBSTANCE_AND_CHECKIN_WORDS:
            assert word not in text


def test_names_are_escaped():
    text = render.cohort_post(name="**@everyone**", kind=ms.WEEKS, n=1, late=False)
    assert "@everyone" not in text.replace("@\u200beveryone", "")


def test_labels():
    assert render.milestone_label(ms.DAYS, 1) == "1 day of recovery"
    assert render.milestone_label(ms.DAYS, 365) == "1 year of recovery"
    assert render.milestone_label(ms.YEARS, 3, term="sobriety") == "3 years of sobriety"
    assert render.milestone_label(ms.WEEKS, 1) == "the first week in the program"
    with pytest.raises(ValueError, match="unknown"):
        render.milestone_label("nope", 1)
