"""What the check-ins cog declares: the retention of the answers, who may run its commands, and
its test inputs. Its [checkins] section stays in bot/config.py: code outside the cog (the
sandbox's smoke scenario and web page) reads it (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CLIENT,
    CLIENTS,
    FACILITATOR,
    FAMILY,
    FORM_PREFIX,
    STAFF,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
)

# Check-in answers are clinical data. The check-in schedule's prompted days (rows of the
# core table prompt_periods) are purged with them (CheckinsCog.purge_expired).
ANSWERS_DAYS = RetentionClass(
    setting="checkin_answers_days",
    default_days=365 * 2,
    tables=("checkins",),
    doc="check-in answers (and other per-day client records)",
)


# The check-in modal in the bad-input catalogue (args: the answers).
CHECKIN_FORM = FORM_PREFIX + "checkin"


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f = CLIENT, FAMILY, FACILITATOR
    user_mention = w.user_mention
    return [
        BadInput(c, "checkin settings", {"timezone": "Not/AZone"}),
        # wall-clock times
        BadInput(c, "checkin settings", {"time": "25:00"}),
        BadInput(c, "checkin settings", {"time": "9am"}),
        BadInput(c, "checkin settings", {"time": user_mention}),
        # dates: malformed, impossible, far past, far future
        BadInput(c, "checkin pause", {"until_date": "2026-02-30"}),
        BadInput(c, "checkin pause", {"until_date": "1999-01-01"}),
        BadInput(c, "checkin pause", {"until_date": "9999-12-31"}),
        BadInput(c, "checkin pause", {"until_date": "tomorrow"}),
        BadInput(f, "checkin view", {"member": w.stranger}),
        # the check-in form: wrong types and out-of-range answers
        BadInput(c, CHECKIN_FORM, {"mood": "11"}),
        BadInput(c, CHECKIN_FORM, {"mood": "0"}),
        BadInput(c, CHECKIN_FORM, {"mood": "seven"}),
        BadInput(c, CHECKIN_FORM, {"mood": "@here"}),
        BadInput(c, CHECKIN_FORM, {"craving": "-1"}),
        BadInput(c, CHECKIN_FORM, {"craving": "1e3"}),
        BadInput(c, CHECKIN_FORM, {"craving": "7.5"}),
        # "used" and the safety item are choices: a client cannot send anything else (a
        # forged submission is refused: tests/cogs/test_checkins_form_handler.py).
        BadInput(fa, CHECKIN_FORM, {}),
        # the staff side: not a client
        BadInput(f, "checkin export", {"member": w.stranger}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="checkins",
    retention=(ANSWERS_DAYS,),
    access={
        "checkin settings": Access(CLIENTS),
        "checkin today": Access(CLIENTS),
        "checkin history": Access(CLIENTS),
        "checkin pause": Access(CLIENTS),
        "checkin resume": Access(CLIENTS),
        "checkin view": Access(STAFF),
        "checkin report": Access(STAFF),
        "checkin export": Access(STAFF),
    },
    examples={
        "checkin settings": lambda w, role: {"time": "08:30"},
        "checkin pause": lambda w, role: {"until_date": w.day},
        "checkin report": lambda w, role: {},
    },
    bad_inputs=_bad_inputs,
)
