"""What the data-rights cog declares: who may run its commands, and its test inputs (its
retention settings, audit_days and friends, are the core's) (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    AUDITORS,
    CHANGES_CALLER,
    CLIENT,
    EVERYONE,
    FACILITATOR,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, f, s = CLIENT, FACILITATOR, STRANGER
    return [
        # /mydata and /audit
        BadInput(s, "mydata delete", {}),
        BadInput(f, "audit client", {"member": w.alex}),
        BadInput(c, "audit client", {"member": w.sam}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="data",
    access={
        "mydata export": Access(EVERYONE),
        # the audit role
        "audit client": Access(AUDITORS),
        "mydata delete": Access(EVERYONE, CHANGES_CALLER),
    },
    examples={
        "audit client": lambda w, role: {"member": w.alex},
    },
    bad_inputs=_bad_inputs,
)
