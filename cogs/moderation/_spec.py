"""What the moderation cog declares: how long its cases and notes are kept
(safety.mod_case_days; [safety] stays core, services read it), who may run its commands, and
its test inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from bot.cogspec import (
    CLIENT,
    EVERYONE_PING,
    FACILITATOR,
    MENU_PREFIX,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
)

# Moderation cases and notes: the program's record of actions in its server.
CASE_DAYS = RetentionClass(
    setting="mod_case_days",
    section="safety",
    default_days=365 * 2,
    tables=("mod_cases", "mod_notes"),
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, f, s = CLIENT, FACILITATOR, STRANGER
    delete = MENU_PREFIX + "Delete message (mod)"
    return [
        # out-of-range numbers and durations
        BadInput(f, "mod slowmode", {"seconds": 99999, "channel": w.lobby}),
        BadInput(f, "mod slowmode", {"seconds": -1, "channel": w.lobby}),
        BadInput(f, "mod timeout", {"member": w.sam, "duration": "29d", "reason": "x"}),
        BadInput(f, "mod timeout", {"member": w.sam, "duration": "forever", "reason": "x"}),
        BadInput(f, "mod timeout", {"member": w.sam, "duration": "-5m", "reason": "x"}),
        # huge or empty text
        BadInput(f, "mod warn", {"member": w.sam, "reason": "x" * 501}),
        BadInput(f, "mod warn", {"member": w.sam, "reason": "   "}),
        BadInput(f, "mod note", {"member": w.sam, "text": "y" * 1001}),
        # markdown, unknown ids and links that are not messages
        BadInput(f, "mod delete", {"message": f"[link](https://evil.example/{EVERYONE_PING})"}),
        BadInput(f, "mod delete", {"message": "not a message link"}),
        BadInput(f, "mod case", {"case_id": 999_999}),
        BadInput(f, "mod delete", {"message": "https://discord.com/channels/1/2/3"}),
        # the context menu: deletion is staff-only
        BadInput(c, delete, {"target": "sam"}),
        BadInput(s, delete, {"target": "sam"}),
        # /mod and /automod: staff-only tools tried by others, impossible targets
        BadInput(f, "mod untimeout", {"member": w.stranger}),
        BadInput(f, "mod case", {"case_id": -1}),
        BadInput(c, "mod note", {"member": w.sam, "text": EVERYONE_PING}),
        BadInput(c, "automod install", {}),
        BadInput(s, "automod status", {}),
    ]


SPEC: CogSpec[Any] = CogSpec(
    name="moderation",
    retention=(CASE_DAYS,),
    access={
        "mod warn": Access(STAFF),
        "mod note": Access(STAFF),
        "mod history": Access(STAFF),
        "mod case": Access(STAFF),
        "mod timeout": Access(STAFF),
        "mod untimeout": Access(STAFF),
        "mod slowmode": Access(STAFF),
        "mod lock": Access(STAFF),
        "mod unlock": Access(STAFF),
        "mod delete": Access(STAFF),
        "automod status": Access(STAFF),
        "automod install": Access(STAFF),
        "Delete message (mod)": Access(STAFF),
    },
    examples={
        "mod warn": lambda w, role: {"member": w.sam, "reason": "Please keep it kind."},
        "mod note": lambda w, role: {"member": w.sam, "text": "Talked after group."},
        "mod case": lambda w, role: {"case_id": w.case_id},
        "mod untimeout": lambda w, role: {"member": w.sam},
        "mod timeout": lambda w, role: {"member": w.sam, "duration": "10m", "reason": "Cool down"},
        "mod slowmode": lambda w, role: {"seconds": 10, "channel": w.lobby},
        "mod lock": lambda w, role: {"channel": w.lobby},
        "mod unlock": lambda w, role: {"channel": w.lobby},
        "mod delete": lambda w, role: {"message": w.message_link},
    },
    bad_inputs=_bad_inputs,
)
