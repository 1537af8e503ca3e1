"""What the clients cog declares: who may run its commands, and its test inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CHANGES_OTHERS,
    CLIENT,
    CLIENTS,
    EVERYONE_PING,
    FACILITATOR,
    FAMILY,
    HUGE,
    STAFF,
    Access,
    BadInput,
    CogSpec,
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f = CLIENT, FAMILY, FACILITATOR
    role_mention = w.role_mention
    return [
        # time zones
        BadInput(c, "me timezone", {"zone": "Mars/Olympus_Mons"}),
        BadInput(c, "me timezone", {"zone": "../../etc/passwd"}),
        BadInput(c, "me timezone", {"zone": HUGE}),
        BadInput(c, "me timezone", {"zone": EVERYONE_PING}),
        BadInput(c, "me timezone", {"zone": f"**{role_mention}**"}),
        BadInput(f, "client enroll", {"member": w.sam, "timezone": "UTC+25"}),
        BadInput(f, "client enroll", {"member": w.sam, "start_date": "1990-01-01"}),
        BadInput(f, "client enroll", {"member": w.sam, "start_date": "2099-01-01"}),
        # people who aren't what the command needs
        BadInput(f, "client enroll", {"member": w.facilitator}),
        BadInput(f, "client enroll", {"member": w.family}),
        BadInput(f, "client info", {"member": w.stranger}),
        BadInput(f, "client discharge", {"member": w.stranger}),
        # /client and /me: people who are not what the command needs
        BadInput(f, "client export", {"member": w.stranger}),
        BadInput(f, "client info", {"member": w.family}),
        BadInput(fa, "me timezone", {"zone": "America/Chicago"}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="clients",
    access={
        # clients (enrolled and active)
        "me timezone": Access(CLIENTS),
        # facilitators
        "client info": Access(STAFF),
        "client export": Access(STAFF),
        "client enroll": Access(STAFF),
        "client discharge": Access(STAFF, CHANGES_OTHERS),
    },
    examples={
        "me timezone": lambda w, role: {"zone": "America/Chicago"},
        "client enroll": lambda w, role: {"member": w.riley},
        "client discharge": lambda w, role: {"member": w.riley},
    },
    bad_inputs=_bad_inputs,
)
