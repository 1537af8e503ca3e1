"""What the alerts cog declares: who may see the alert status (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CLIENT,
    STAFF,
    Access,
    BadInput,
    CogSpec,
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c = CLIENT
    return [
        # /alerts: staff-only status tried by a client
        BadInput(c, "alerts status", {}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="alerts",
    access={
        "alerts status": Access(STAFF),
    },
    bad_inputs=_bad_inputs,
)
