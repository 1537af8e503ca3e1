"""Daily check-ins, pure: reading the answers, risk rules, streaks and missed days.

Nothing here does I/O. The cog reads raw modal text through :func:`parse_answers`, asks
:func:`answer_risks` which rules fire, and :func:`missed_run` / :func:`checkin_streak`
for the quiet-client rule and the confirmation. Thresholds come from settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.domain.alert_rules import AlertRule

# The prompt cut-off moved to bot.domain.recurrence (#19); re-exported for old imports.
from bot.domain.recurrence import cutoff_for as cutoff_for

Used = Literal["yes", "no", "prefer_not"]
Safety = Literal["yes", "no"]

NOTE_MAX = 500
USED_LABELS: dict[str, str] = {"yes": "yes", "no": "no", "prefer_not": "rather not say"}
SAFETY_LABELS: dict[str, str] = {"yes": "yes", "no": "no"}

# The questions a program can put in the form (``[checkins] items``), in form order.
# Mood, craving and "used" drive the risk rules, the streak report and the chart, so they
# are always asked; a Discord form holds at most five questions.
ITEMS = ("mood", "craving", "used", "safety", "sleep", "note")
REQUIRED_ITEMS = ("mood", "craving", "used")
MAX_ITEMS = 5
DEFAULT_ITEMS = ("mood", "craving", "used", "safety", "note")


def check_items(items: Sequence[str]) -> list[str]:
    """The form's questions, or ValueError saying exactly what is wrong with the list."""
    unknown = [i for i in items if i not in ITEMS]
    if unknown:
        raise ValueError(f"unknown check-in item {unknown[0]!r}; choose from {', '.join(ITEMS)}")
    if len(set(items)) != len(items):
        raise ValueError("each check-in item may appear only once")
    missing = [i for i in REQUIRED_ITEMS if i not in items]
    if missing:
        raise ValueError(f"the check-in form always asks {', '.join(REQUIRED_ITEMS)}")
    if len(items) > MAX_ITEMS:
        raise ValueError(
            f"a Discord form holds at most {MAX_ITEMS} questions; {len(items)} are enabled "
            f"({', '.join(items)}): remove {len(items) - MAX_ITEMS}"
        )
    return list(items)


_INT = re.compile(r"^[+-]?[0-9]{1,4}$")
_HOURS = re.compile(r"^\s*(?P<number>[0-9]{1,3}(?:[.,][0-9]{1,2})?)\s*(?:h|hrs?|hours?)?\s*$", re.I)

_USED_WORDS: dict[str, Used] = {
    "y": "yes",
    "yes": "yes",
    "n": "no",
    "no": "no",
    "prefer not": "prefer_not",
    "prefer not to say": "prefer_not",
    "rather not say": "prefer_not",
    "rather not": "prefer_not",
}


@dataclass(frozen=True, slots=True)
class CheckinAnswers:
    mood: int
    craving: int
    used: Used
    sleep_hours: float | None  # None: not asked (``[checkins] items``)
    note: str | None
    safety: Safety | None = None  # thoughts of ending one's life; None: not asked


class AnswerErrors(ValueError):
    """One readable line per field that could not be read (nothing is stored)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def message(self) -> str:
        lines = ["I couldn't save your check-in. Please fix these and try again:"]
        lines += [f"• {p}" for p in self.problems]
        return "\n".join(lines)


def _whole_number(text: str, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    cleaned = text.strip()
    if not cleaned:
        return None, f"**{what}**: please enter a whole number from {low} to {high}."
    if not _INT.match(cleaned):
        return None, (
            f"**{what}**: '{cleaned[:20]}' is not a whole number; "
            f"enter a number from {low} to {high}."
        )
    value = int(cleaned)
    if not low <= value <= high:
        return None, f"**{what}**: {value} is out of range; enter a number from {low} to {high}."
    return value, None


def _sleep(text: str) -> tuple[float | None, str | None]:
    what = "Hours of sleep"
    match = _HOURS.match(text)
    if match is None:
        return None, f"**{what}**: please enter a number of hours from 0 to 24, e.g. 7 or 6.5."
    value = float(match["number"].replace(",", "."))
    if not 0 <= value <= 24:
        return None, f"**{what}**: {value:g} is out of range; enter 0 to 24 hours."
    return round(value, 2), None


def _used(text: str) -> tuple[Used | None, str | None]:
    cleaned = " ".join(text.strip().lower().replace("'", "").replace("_", " ").split())
    value = _USED_WORDS.get(cleaned)
    if value is None:
        return None, (
            "**Used since your last check-in**: please answer yes, no, or rather not say."
        )
    return value, None


def _safety(text: str | None) -> tuple[Safety | None, str | None]:
    cleaned = (text or "").strip().lower()
    if cleaned == "yes":
        return "yes", None
    if cleaned == "no":
        return "no", None
    return None, "**Thoughts of ending your life**: please choose yes or no."


def parse_answers(
    *,
    mood: str,
    craving: str,
    used: str,
    sleep: str | None = None,
    note: str | None = None,
    safety: str | None = None,
    asked: Sequence[str] = ITEMS,
) -> CheckinAnswers:
    """The form's answers, or :class:`AnswerErrors` naming every field to fix.

    ``asked`` lists the questions the form showed; an item not asked is stored as None.
    """
    mood_value, mood_error = _whole_number(mood, 1, 10, "Mood")
    craving_value, craving_error = _whole_number(craving, 0, 10, "Craving")
    used_value, used_error = _used(used)
    sleep_value, sleep_error = _sleep(sleep or "") if "sleep" in asked else (None, None)
    safety_value, safety_error = _safety(safety) if "safety" in asked else (None, None)
    cleaned_note = ((note or "").strip() or None) if "note" in asked else None
    note_error = None
    if cleaned_note is not None and len(cleaned_note) > NOTE_MAX:
        note_error = f"**Note**: please keep it to {NOTE_MAX} characters or fewer."
    errors = (mood_error, craving_error, used_error, safety_error, sleep_error, note_error)
    problems = [p for p in errors if p]
    if problems or mood_value is None or craving_value is None or used_value is None:
        raise AnswerErrors(problems)
    return CheckinAnswers(
        mood_value, craving_value, used_value, sleep_value, cleaned_note, safety_value
    )


# ----- risk rules --------------------------------------------------------------------


CRAVING_HIGH = AlertRule("craving_high", "High craving in a check-in", "normal")
MOOD_LOW = AlertRule("mood_low", "Low mood in a check-in", "normal")
USE_REPORTED = AlertRule("use_reported", "Return to use reported in a check-in", "high")
CRISIS_LANGUAGE = AlertRule("crisis_language", "Crisis language in a check-in note", "urgent")
QUIET_CLIENT = AlertRule("checkins_missed", "Missed check-ins in a row", "normal")
DM_CLOSED = AlertRule("dm_closed", "Check-in prompts cannot be delivered (DMs closed)", "normal")
ASKED_TO_TALK = AlertRule("asked_to_talk", "Asked to talk to a facilitator", "normal")


@dataclass(frozen=True, slots=True)
class RiskThresholds:
    craving_at: int = 8
    mood_at: int = 3


def answer_risks(
    answers: CheckinAnswers, thresholds: RiskThresholds, *, crisis_in_note: bool
) -> list[AlertRule]:
    """The rules a check-in's answers fire, most severe first."""
    fired: list[AlertRule] = []
    if crisis_in_note:
        fired.append(CRISIS_LANGUAGE)
    if answers.used == "yes":
        fired.append(USE_REPORTED)
    if answers.craving >= thresholds.craving_at:
        fired.append(CRAVING_HIGH)
    if answers.mood <= thresholds.mood_at:
        fired.append(MOOD_LOW)
    return fired


def needs_coping(answers: CheckinAnswers, thresholds: RiskThresholds) -> bool:
    """A high craving or a low mood: the reply offers coping options and a facilitator."""
    return answers.craving >= thresholds.craving_at or answers.mood <= thresholds.mood_at


def late_form_day(
    form_day: date | None, today: date, since_midnight: timedelta, grace: timedelta
) -> date:
    """The local day a submitted form counts for.

    A form opened before local midnight and sent within ``grace`` after it counts for the
    day it was opened (opened 23:58, sent 00:01: yesterday's check-in). Otherwise, and for
    a form without a day or one dated in the future, it is today's.
    """
    if form_day is None or form_day >= today:
        return today
    if form_day == today - timedelta(days=1) and since_midnight <= grace:
        return form_day
    return today


def missed_run(prompted_days: Iterable[date], checked_days: Iterable[date]) -> int:
    """How many of the most recent prompted days in a row have no check-in."""
    checked = set(checked_days)
    run = 0
    for day in sorted(set(prompted_days), reverse=True):
        if day in checked:
            break
        run += 1
    return run


def quiet_client(run: int, in_a_row: int) -> AlertRule | None:
    """The quiet-client rule fires once ``in_a_row`` prompted days in a row went unanswered."""
    return QUIET_CLIENT if in_a_row > 0 and run >= in_a_row else None


def undeliverable_run(days: Sequence[tuple[date, bool]]) -> int:
    """Trailing run of prompted days whose DM was undeliverable (``(day, undeliverable)``)."""
    run = 0
    for _, undeliverable in sorted(days, reverse=True):
        if not undeliverable:
            break
        run += 1
    return run


def checkin_streak(checked_days: Iterable[date], today: date) -> int:
    """Consecutive local days checked in, ending today (or yesterday if today is still open).

    This counts check-ins, never sobriety.
    """
    checked = set(checked_days)
    day = today if today in checked else today - timedelta(days=1)
    streak = 0
    while day in checked:
        streak += 1
        day -= timedelta(days=1)
    return streak


def window_days(today: date, days: int = 30) -> list[date]:
    """The last ``days`` local dates, oldest first, ending with ``today``."""
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def missed_days(
    days: Sequence[date], checked_days: Iterable[date], *, since: date, today: date
) -> list[date]:
    """Days in ``days`` from ``since`` up to (not including) ``today`` with no check-in."""
    checked = set(checked_days)
    return [d for d in days if since <= d < today and d not in checked]


def encouragement(streak: int, *, used: Used) -> str:
    """A short line for the confirmation. Never about sobriety, never shaming."""
    if used == "yes":
        return "Thank you for being honest. Checking in on a hard day takes courage."
    if streak >= 7:
        return f"{streak} days of check-ins in a row. That consistency matters."
    if streak >= 2:
        return "Showing up day after day adds up. Thank you for checking in."
    return "Thank you for checking in today. Every check-in helps your team support you."
