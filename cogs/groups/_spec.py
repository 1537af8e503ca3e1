"""What the groups cog declares: its [groups] section, who may run its commands, and its test
inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from bot.cogspec import (
    CLIENT,
    CLIENTS,
    EVERYONE_PING,
    FACILITATOR,
    HUGE,
    STAFF,
    Access,
    BadInput,
    CogSpec,
    Section,
)


class GroupSettings(Section):
    hours_min_per_week: float = Field(default=9.0, ge=0)
    hours_max_per_week: float = Field(default=15.0, gt=0)
    reminder_minutes_before: int = Field(default=60, ge=0)
    events_window_days: int = Field(default=14, ge=1, le=60)
    # Discord shows scheduled events to everyone in the server (family accounts too):
    # a program that keeps family in the same server may turn them off.
    discord_events: bool = True
    attendance_open_minutes_before: int = Field(default=15, ge=0)
    allow_clinical_names: bool = False
    plan_interval_seconds: float = Field(default=60.0, gt=0)
    agreement: str = (
        "Welcome to your group space. By pressing Accept you agree to: keep what others share "
        "here confidential; treat everyone with respect; remember this space is not a crisis "
        "service (use /help-now any time for crisis resources)."
    )

    @model_validator(mode="after")
    def _band_in_order(self) -> GroupSettings:
        if self.hours_min_per_week > self.hours_max_per_week:
            raise ValueError("hours_min_per_week must not be above hours_max_per_week")
        return self


def _bad_inputs(w: Any) -> list[BadInput]:
    c, f = CLIENT, FACILITATOR
    cohort = w.cohort_name
    date = w.session_date
    role_mention = w.role_mention
    return [
        # times and dates that don't parse, don't exist or are out of range
        BadInput(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "24:61", "duration": 60},
        ),
        BadInput(f, "session move", {"cohort": cohort, "date": date, "new_start": "99:99"}),
        BadInput(f, "session cancel", {"cohort": cohort, "date": "2026-02-30"}),
        BadInput(f, "session cancel", {"cohort": cohort, "date": "2031-01-01"}),
        BadInput(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "10:00", "duration": 0},
        ),
        BadInput(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "10:00", "duration": 100000},
        ),
        BadInput(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Funday", "start": "10:00", "duration": 60},
        ),
        # huge text, unknown groups and people who are not clients
        BadInput(f, "group create", {"name": HUGE}),
        BadInput(f, "group add", {"member": w.alex, "cohort": "No Such Group"}),
        BadInput(f, "hours report", {"cohort": "No Such Group"}),
        BadInput(f, "session list", {"cohort": f"{EVERYONE_PING} {role_mention}"}),
        BadInput(f, "group add", {"member": w.stranger, "cohort": cohort}),
        BadInput(f, "hours export", {"cohort": "No Such Group"}),
        BadInput(f, "hours report", {"cohort": HUGE}),
        BadInput(c, "hours report", {"cohort": cohort}),
        BadInput(f, "group remove", {"member": w.stranger}),
        BadInput(f, "session attendance", {"cohort": cohort, "date": "2031-01-01"}),
        BadInput(
            f,
            "session attendance",
            {"cohort": cohort, "date": date, "action": "add", "member": w.stranger},
        ),
        BadInput(
            f,
            "session move",
            {"cohort": cohort, "date": date, "new_start": "19:00", "new_date": "2020-01-01"},
        ),
    ]


SPEC = CogSpec(
    name="groups",
    settings=GroupSettings,
    access={
        "hours mine": Access(CLIENTS),
        "group list": Access(STAFF),
        "group create": Access(STAFF),
        "group add": Access(STAFF),
        "session schedule": Access(STAFF),
        "session list": Access(STAFF),
        "session attendance": Access(STAFF),
        "session move": Access(STAFF),
        "session cancel": Access(STAFF),
        "hours report": Access(STAFF),
        "hours export": Access(STAFF),
        "group remove": Access(STAFF),
    },
    examples={
        "group create": lambda w, role: {"name": f"Beta {role}"},
        "group add": lambda w, role: {"member": w.riley, "cohort": f"Beta {role}"},
        "group remove": lambda w, role: {"member": w.riley},
        "session schedule": lambda w, role: {
            "cohort": w.cohort_name,
            "weekday": "Friday",
            "start": "10:00",
            "duration": 120,
        },
        "session attendance": lambda w, role: {"cohort": w.cohort_name, "date": w.session_date},
        "session move": lambda w, role: {
            "cohort": w.cohort_name,
            "date": w.session_date,
            "new_start": "19:00",
        },
        "session cancel": lambda w, role: {"cohort": w.cohort_name, "date": w.session_date},
    },
    bad_inputs=_bad_inputs,
)
