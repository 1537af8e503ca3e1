"""The weekly recovery check, pure: the questions, the form's steps, reading answers, scores.

Every question is a choice (a radio group in the form); each option carries the points it
adds to its question's scale. Three scales make the scores of a response (docs/SURVEY.md):

* ``use``: days of alcohol and of other drug use, added up (0 = no use reported);
* ``risk``: cravings, poor sleep, low mood or anxiety, risky situations, conflict, added up;
* ``protective``: confidence in staying stopped, recovery meetings or activities, support;

and ``satisfaction`` (progress) is kept on its own. A program licensed to use another
instrument replaces the questions, their options and points by config (``[survey]
items``); the scales and the alert rules (:mod:`bot.domain.survey_alerts`) stay.
The wording below is iopbot's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Scale = Literal["use", "risk", "protective", "satisfaction"]
SCALES: tuple[Scale, ...] = ("use", "risk", "protective", "satisfaction")
SCORED_SCALES: tuple[Scale, ...] = ("use", "risk", "protective")

# Discord's limits for what a form shows (a label's text and description, radio options).
TEXT_MAX = 45
DESCRIPTION_MAX = 100
OPTION_MAX = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_PER_STEP = 5  # discord.py's Modal holds at most five questions
MAX_ITEMS = 25
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    points: int


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    text: str  # the question (at most 45 characters: a form label)
    scale: Scale
    options: tuple[Option, ...]
    description: str = ""  # the line under the question (at most 100 characters)

    def points_for(self, choice: int) -> int:
        return self.options[choice].points


_DAYS = (Option("None", 0), Option("1 or 2 days", 1), Option("3 or 4 days", 2))
DAYS = (*_DAYS, Option("5 days or more", 3))
HOW_OFTEN = (
    Option("Not at all", 0),
    Option("Once or twice", 1),
    Option("Several times", 2),
    Option("Most days", 3),
)
HOW_MUCH = (
    Option("Not at all", 0),
    Option("A little", 1),
    Option("Quite a bit", 2),
    Option("A lot", 3),
)
PAST_WEEK = "In the past 7 days."

DEFAULT_ITEMS: tuple[Item, ...] = (
    Item("alcohol_days", "Days you drank any alcohol", "use", DAYS, PAST_WEEK),
    Item(
        "drug_days",
        "Days you used other drugs",
        "use",
        DAYS,
        "Not counting medicine as prescribed.",
    ),
    Item("cravings", "Strong urges or cravings to use", "risk", HOW_OFTEN, PAST_WEEK),
    Item("sleep", "Nights of poor or broken sleep", "risk", DAYS, PAST_WEEK),
    Item("mood", "Felt low, anxious or on edge", "risk", HOW_OFTEN, PAST_WEEK),
    Item(
        "risky_places",
        "Near people or places linked to using",
        "risk",
        HOW_OFTEN,
        "Times you were around them in the past 7 days.",
    ),
    Item("conflict", "Arguments or tension with others", "risk", HOW_OFTEN, PAST_WEEK),
    Item(
        "confidence",
        "How sure you can stay stopped next week",
        "protective",
        (
            Option("Not sure", 0),
            Option("A little sure", 1),
            Option("Fairly sure", 2),
            Option("Very sure", 3),
        ),
    ),
    Item(
        "recovery_activity",
        "Days at a meeting or recovery activity",
        "protective",
        DAYS,
        "Groups, mutual-help meetings, sessions, other recovery work.",
    ),
    Item("support", "Support from people around you", "protective", HOW_MUCH, PAST_WEEK),
    Item(
        "satisfaction",
        "How you feel about your progress",
        "satisfaction",
        (
            Option("Unhappy", 0),
            Option("Mixed", 1),
            Option("Fairly pleased", 2),
            Option("Pleased", 3),
        ),
    ),
)


def check_items(items: Sequence[Item]) -> tuple[Item, ...]:
    """The questions, or ValueError saying exactly what is wrong with the list."""
    if not items:
        raise ValueError("the survey needs at least one question")
    if len(items) > MAX_ITEMS:
        raise ValueError(f"at most {MAX_ITEMS} questions; {len(items)} are configured")
    seen: set[str] = set()
    for item in items:
        where = f"question {item.key!r}"
        if not _KEY.match(item.key):
            raise ValueError(f"{where}: a key is lowercase letters, digits and _ (at most 32)")
        if item.key in seen:
            raise ValueError(f"{where}: each key may appear only once")
        seen.add(item.key)
        if not item.text.strip() or len(item.text) > TEXT_MAX:
            raise ValueError(f"{where}: the text must be 1 to {TEXT_MAX} characters")
        if len(item.description) > DESCRIPTION_MAX:
            raise ValueError(f"{where}: the description is at most {DESCRIPTION_MAX} characters")
        if not MIN_OPTIONS <= len(item.options) <= MAX_OPTIONS:
            raise ValueError(f"{where}: {MIN_OPTIONS} to {MAX_OPTIONS} options")
        for option in item.options:
            if not option.label.strip() or len(option.label) > OPTION_MAX:
                raise ValueError(f"{where}: an option's label is 1 to {OPTION_MAX} characters")
            if not 0 <= option.points <= 100:
                raise ValueError(f"{where}: points are 0 to 100")
        if len({o.label for o in item.options}) != len(item.options):
            raise ValueError(f"{where}: option labels must differ")
    missing = [s for s in SCORED_SCALES if not any(i.scale == s for i in items)]
    if missing:
        raise ValueError(f"no question counts toward the {', '.join(missing)} score")
    return tuple(items)


def steps(items: Sequence[Item], per_step: int) -> list[tuple[Item, ...]]:
    """The form's steps: the questions in order, ``per_step`` (≤ 5) at a time."""
    size = max(1, min(per_step, MAX_PER_STEP))
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


class StepErrors(ValueError):
    """One readable line per question that could not be read (nothing is stored)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def message(self) -> str:
        lines = "\n".join(f"- {p}" for p in self.problems)
        return f"Nothing was saved. Please check:\n{lines}"


def parse_step(step: Sequence[Item], values: Mapping[str, str | None]) -> dict[str, int]:
    """``item key → chosen option index`` for one step's submitted values (radio values
    are the option's index as text). Raises :class:`StepErrors` for a missing or unknown
    choice: a forged or stale form saves nothing."""
    chosen: dict[str, int] = {}
    problems: list[str] = []
    for item in step:
        raw = values.get(item.key)
        if raw is None or raw == "":
            problems.append(f"{item.text}: please pick one answer.")
            continue
        if not raw.isdigit() or int(raw) >= len(item.options):
            problems.append(f"{item.text}: that answer is not one of the choices.")
            continue
        chosen[item.key] = int(raw)
    if problems:
        raise StepErrors(problems)
    return chosen


@dataclass(frozen=True, slots=True)
class Scores:
    use: int
    risk: int
    protective: int
    satisfaction: int | None  # None when the program asks no satisfaction question

    @property
    def use_reported(self) -> bool:
        return self.use > 0


def score(items: Sequence[Item], choices: Mapping[str, int]) -> Scores:
    """The scores of a complete response: each scale's points added up.

    Raises ValueError when a question is unanswered or a choice is out of range (the
    caller scores only complete responses)."""
    totals: dict[str, int] = {}
    for item in items:
        choice = choices.get(item.key)
        if choice is None or not 0 <= choice < len(item.options):
            raise ValueError(f"question {item.key!r} has no valid answer")
        totals[item.scale] = totals.get(item.scale, 0) + item.points_for(choice)
    return Scores(
        use=totals.get("use", 0),
        risk=totals.get("risk", 0),
        protective=totals.get("protective", 0),
        satisfaction=totals.get("satisfaction"),
    )


def max_scores(items: Sequence[Item]) -> dict[str, int]:
    """The highest possible total per scale (for charts and the documentation)."""
    top: dict[str, int] = {}
    for item in items:
        top[item.scale] = top.get(item.scale, 0) + max(o.points for o in item.options)
    return top


def first_open_step(step_list: Sequence[Sequence[Item]], answered: set[str]) -> int | None:
    """The index of the first step with an unanswered question (None: all answered)."""
    for index, step in enumerate(step_list):
        if any(item.key not in answered for item in step):
            return index
    return None
