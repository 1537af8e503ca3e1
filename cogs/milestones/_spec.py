"""What the milestones cog declares: its [milestones] section, who may run its commands, and
its test inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from bot.cogspec import (
    CHANGES_CALLER,
    CLIENT,
    CLIENTS,
    EVERYONE_PING,
    FACILITATOR,
    FAMILY,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    Section,
    validate_hhmm,
)


class MilestoneSettings(Section):
    # The word for a client's own streak in every message ("30 days of recovery"). Many
    # clients on medication treatment prefer "recovery"; a program may choose "sobriety".
    streak_term: str = Field(default="recovery", min_length=3, max_length=30, pattern=r"^[a-z -]+$")
    sobriety_days: list[int] = Field(
        default_factory=lambda: [1, 7, 14, 30, 60, 90, 180, 270, 365, 545]
    )
    program_weeks: list[int] = Field(default_factory=lambda: [1, 4, 8, 12])
    sessions_attended: list[int] = Field(default_factory=lambda: [10, 20, 30])
    sobriety_every_year_after_days: int | None = Field(default=545, ge=0)
    celebration_time: str = "09:00"
    congrats_time: str = "20:00"
    late_after_minutes: int = Field(default=60, ge=0)
    stale_after_days: int = Field(default=7, ge=0)
    plan_every_minutes: float = Field(default=5.0, gt=0)

    _check_time = field_validator("celebration_time", "congrats_time")(validate_hhmm)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f, s = CLIENT, FAMILY, FACILITATOR, STRANGER
    return [
        BadInput(c, "sobriety set", {"date": "3000-01-01"}),
        BadInput(c, "sobriety set", {"date": "1899-12-31"}),  # the bound: before 1900
        BadInput(c, "sobriety set", {"date": "2026-13-01"}),
        BadInput(c, "sobriety set", {"date": EVERYONE_PING}),
        BadInput(c, "sobriety set", {"date": "2026-01-31'; DROP TABLE checkins; --"}),
        BadInput(f, "program stepdown", {"member": w.stranger}),
        BadInput(f, "program complete", {"member": w.stranger}),
        BadInput(fa, "sobriety set", {"date": "2026-01-31"}),
        BadInput(s, "sobriety show", {}),
        BadInput(c, "milestones upcoming", {}),
        BadInput(fa, "milestones public", {"choice": "on"}),
    ]


SPEC = CogSpec(
    name="milestones",
    settings=MilestoneSettings,
    access={
        "sobriety set": Access(CLIENTS),
        "sobriety show": Access(CLIENTS),
        "milestones public": Access(CLIENTS),
        "milestones upcoming": Access(STAFF),
        "program stepdown": Access(STAFF),
        "program complete": Access(STAFF),
        "sobriety reset": Access(CLIENTS, CHANGES_CALLER),
    },
    examples={
        "sobriety set": lambda w, role: {"date": "2026-01-31"},
        "milestones public": lambda w, role: {"choice": "on"},
        "program stepdown": lambda w, role: {"member": w.riley},
        "program complete": lambda w, role: {"member": w.riley},
    },
    bad_inputs=_bad_inputs,
)
