"""What the safety cog declares: how long reports are kept (safety.report_days; [safety] stays
core, services read it), who may run its commands, and its test inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CLIENT,
    EVERYONE,
    FACILITATOR,
    MENU_PREFIX,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
)

# Reports members made about messages.
REPORT_DAYS = RetentionClass(
    setting="report_days", section="safety", default_days=365, tables=("reports",)
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, f = CLIENT, FACILITATOR
    report = MENU_PREFIX + "Report to facilitator"
    return [
        # the context menu: one's own message, a bot's message
        BadInput(c, report, {"target": "own"}),
        BadInput(f, report, {"target": "bot"}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="safety",
    retention=(REPORT_DAYS,),
    access={
        # anyone
        "help-now": Access(EVERYONE),
        # message context-menu commands (on a fresh message by Sam in the lobby)
        "Report to facilitator": Access(EVERYONE),
    },
    bad_inputs=_bad_inputs,
)
