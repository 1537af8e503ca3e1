"""What the recovery-check cog declares (bot/cogspec.py): its ``[survey]`` section, the
retention of the answers, who may run its commands, and its test inputs.

The section: a program can replace the questions (wording, options and their points, the
scale each counts toward) with the instrument it is licensed to use, move the prompt day
and time, switch to monthly, and set the alert thresholds (docs/SURVEY.md). It lives here,
not in a module of its own: bot/config.py imports every ``_spec`` and nothing else of a
cog (tests/test_meta_cogspec.py).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from bot.cogspec import (
    CLIENT,
    CLIENTS,
    FACILITATOR,
    FAMILY,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
    Section,
    validate_hhmm,
)
from bot.domain.localtime import parse_hhmm
from bot.domain.recurrence import Cadence
from bot.domain.survey import DEFAULT_ITEMS, Item, Option, Scale, check_items
from bot.domain.survey_alerts import Thresholds
from bot.domain.survey_periods import WEEKDAY_KEYS, SurveyCadence


class SurveyOption(Section):
    label: str
    points: int = Field(ge=0, le=100)


class SurveyItem(Section):
    key: str
    text: str
    scale: Scale
    options: list[SurveyOption]
    description: str = ""

    def domain(self) -> Item:
        return Item(
            key=self.key,
            text=self.text,
            scale=self.scale,
            options=tuple(Option(o.label, o.points) for o in self.options),
            description=self.description,
        )


def _default_items() -> list[SurveyItem]:
    return [
        SurveyItem(
            key=i.key,
            text=i.text,
            scale=i.scale,
            options=[SurveyOption(label=o.label, points=o.points) for o in i.options],
            description=i.description,
        )
        for i in DEFAULT_ITEMS
    ]


class SurveySettings(Section):
    """The weekly recovery check (cogs/survey)."""

    frequency: Literal["weekly", "monthly"] = "weekly"
    day: str = "mon"  # weekly: the prompt's day (mon ... sun) of each client's local week
    month_day: int = Field(default=1, ge=1, le=28)  # monthly: the prompt's day of the month
    time: str = "10:00"  # local wall time of the prompt, in each client's zone
    items_per_step: int = Field(default=4, ge=1, le=5)  # a Discord form holds at most 5
    items: list[SurveyItem] = Field(default_factory=_default_items)
    risk_alert_at: int = Field(default=9, ge=1)  # a risk score at or above this alerts
    risk_rise_points: int = Field(default=4, ge=1)  # risk up this much since the last one
    protective_drop_points: int = Field(default=3, ge=1)  # protective down this much
    missed_periods: int = Field(default=2, ge=1)  # prompted periods unanswered in a row
    alert_window_hours: float = Field(default=24.0, gt=0)
    history_periods: int = Field(default=12, ge=2, le=52)  # periods shown in charts

    _check_time = field_validator("time")(validate_hhmm)

    @field_validator("day")
    @classmethod
    def _known_day(cls, value: str) -> str:
        key = value.strip().lower()[:3]
        if key not in WEEKDAY_KEYS:
            raise ValueError("a day is mon, tue, wed, thu, fri, sat or sun")
        return key

    @model_validator(mode="after")
    def _valid_items(self) -> SurveySettings:
        check_items([i.domain() for i in self.items])
        return self

    def domain_items(self) -> tuple[Item, ...]:
        return tuple(i.domain() for i in self.items)

    def recurrence(self) -> Cadence:
        """The prompt's cadence, as the recurring-prompt service runs it."""
        if self.frequency == "weekly":
            return Cadence.weekly(WEEKDAY_KEYS.index(self.day))
        return Cadence.monthly(self.month_day)

    def cadence(self) -> SurveyCadence:
        """The periods and the prompt time (bot/domain/survey_periods.py)."""
        return SurveyCadence(self.recurrence(), parse_hhmm(self.time))

    def thresholds(self) -> Thresholds:
        return Thresholds(
            risk_at=self.risk_alert_at,
            rise_points=self.risk_rise_points,
            drop_points=self.protective_drop_points,
        )


# Responses and their answers are clinical data.
SURVEY_DAYS = RetentionClass(
    setting="survey_answers_days",
    default_days=365 * 2,
    tables=("survey_responses", "survey_answers"),
    doc="recovery-check responses and answers, by the period's first day",
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f, s = CLIENT, FAMILY, FACILITATOR, STRANGER
    return [
        # not an enrolled client
        BadInput(fa, "survey open", {}),
        BadInput(s, "survey history", {}),
        # the staff side: not a client, not a cohort channel, a client trying staff tools
        BadInput(f, "survey view", {"member": w.stranger}),
        BadInput(f, "survey export", {"member": w.family}),
        BadInput(f, "survey report", {"cohort": w.lobby}),
        BadInput(c, "survey view", {"member": w.sam}),
        BadInput(c, "survey export", {"member": w.alex}),
        BadInput(c, "survey report", {}),
    ]


SPEC: CogSpec[SurveySettings] = CogSpec(
    name="survey",
    settings=SurveySettings,
    retention=(SURVEY_DAYS,),
    access={
        "survey open": Access(CLIENTS),
        "survey history": Access(CLIENTS),
        "survey view": Access(STAFF),
        "survey report": Access(STAFF),
        "survey export": Access(STAFF),
    },
    examples={
        "survey view": lambda w, role: {"member": w.alex},
        "survey export": lambda w, role: {"member": w.alex},
        "survey report": lambda w, role: {},
    },
    bad_inputs=_bad_inputs,
)
