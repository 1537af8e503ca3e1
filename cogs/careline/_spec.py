"""What the care line declares (bot/cogspec.py): its ``[careline]`` section, the retention
of what a client and staff wrote, who may run its commands, and its test inputs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bot.cogspec import (
    CLIENT,
    EVERYONE_PING,
    FACILITATOR,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
    Section,
)


class CarelineSettings(Section):
    """The private line from a client to the care team (cogs/careline)."""

    # The channel's name when the bot has to create it (channels.care_team unset).
    channel_name: str = Field(default="care-line", min_length=1, max_length=100)
    # How a staff reply is signed in the client's DM: the facilitator's display name
    # ("name") or ``team_name`` ("team").
    reply_signature: Literal["name", "team"] = "name"
    team_name: str = Field(default="Your care team", min_length=1, max_length=60)
    # Said in the automatic reply to a conversation's first message.
    answer_time: str = Field(default="within one working day", min_length=1, max_length=120)
    # A thread message starting with this is an internal note: never sent to the client.
    note_prefix: str = Field(default="//", min_length=1, max_length=10)
    # Attachments relayed (as links): images and PDF files up to this size.
    attachment_max_mb: float = Field(default=8.0, gt=0, le=25)
    # Per-client limit on relayed messages (the crisis path is never limited).
    rate_limit_messages: int = Field(default=20, ge=1, le=500)
    rate_limit_minutes: int = Field(default=10, ge=1, le=1440)


# Care-line messages (what a client and staff wrote) are clinical data.
CARELINE_DAYS = RetentionClass(
    setting="careline_days",
    default_days=365 * 2,
    tables=("careline_messages", "careline_conversations"),
    doc="care-line messages (client and staff words) kept this long",
)


def _bad_inputs(world: Any) -> list[BadInput]:
    # not a client, nobody named outside a thread, nothing to close, and clients trying
    # staff tools
    f, c, s = FACILITATOR, CLIENT, STRANGER
    return [
        BadInput(f, "careline reply", {"text": "hello", "client": world.stranger}),
        BadInput(f, "careline reply", {"text": "hello"}),
        BadInput(f, "careline note", {"text": "a note", "client": world.family}),
        BadInput(f, "careline close", {"client": world.sam}),
        BadInput(c, "careline reply", {"text": EVERYONE_PING, "client": world.sam}),
        BadInput(c, "careline note", {"text": "x", "client": world.sam}),
        BadInput(s, "careline close", {"client": world.alex}),
    ]


SPEC = CogSpec(
    name="careline",
    settings=CarelineSettings,
    retention=(CARELINE_DAYS,),
    access={
        "careline reply": Access(STAFF),
        "careline note": Access(STAFF),
        "careline close": Access(STAFF),
    },
    examples={
        # outside a care-line thread the client is named (a reply opens their thread)
        "careline reply": lambda w, role: {"text": f"matrix reply as {role}", "client": w.alex},
        "careline note": lambda w, role: {"text": f"matrix note as {role}", "client": w.alex},
        "careline close": lambda w, role: {"client": w.alex},
    },
    bad_inputs=_bad_inputs,
)
