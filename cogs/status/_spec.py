"""What the status cog declares: who may run /iopbot status (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CLIENT,
    FAMILY,
    STAFF,
    Access,
    BadInput,
    CogSpec,
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa = CLIENT, FAMILY
    return [
        # /iopbot status: staff-only health view tried by a client and a family member
        BadInput(c, "iopbot status", {}),
        BadInput(fa, "iopbot status", {}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="status",
    access={
        "iopbot status": Access(STAFF),
    },
    bad_inputs=_bad_inputs,
)
