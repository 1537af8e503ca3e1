"""The text of a family-session notice, built from ONLY the fields a notice may carry.

:class:`NoticeFields` is the whole input: the session's time, length, place/link, the
facilitator's name (the client's own copy only), and (for family recipients) the
redisclosure statement and the consent's one-line scope. Nothing about check-ins,
attendance, use, milestones, alerts or other participants can reach a notice, because the
renderer is never given it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.domain.localtime import require_utc

Stage = Literal["scheduled", "changed", "reminder", "cancelled"]

ALLOWED_FIELDS = frozenset(
    {
        "stage",
        "starts_at",
        "duration_minutes",
        "place",
        "facilitator_name",
        "hours_before",
        "scope_line",
        "redisclosure_statement",
    }
)


@dataclass(frozen=True, slots=True)
class NoticeFields:
    stage: Stage
    starts_at: datetime
    duration_minutes: int
    place: str
    facilitator_name: str | None  # the client's own copy only; never a family recipient's
    hours_before: float | None = None
    scope_line: str | None = None  # family recipients only
    redisclosure_statement: str | None = None  # family recipients only


def discord_time(instant: datetime, style: str = "F") -> str:
    return f"<t:{int(require_utc(instant).timestamp())}:{style}>"


def _hours(hours: float) -> str:
    if hours < 1:
        minutes = round(hours * 60)
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    whole = f"{hours:g}"
    return f"{whole} hour" + ("" if hours == 1 else "s")


def _headline(fields: NoticeFields) -> str:
    if fields.stage == "scheduled":
        return "A family therapy session has been scheduled."
    if fields.stage == "changed":
        return "A family therapy session has changed. Here are the new details."
    if fields.stage == "cancelled":
        return "A family therapy session has been cancelled. No need to come."
    if fields.hours_before is not None:
        return f"Reminder: a family therapy session starts in {_hours(fields.hours_before)}."
    return "Reminder: a family therapy session is coming up."


# What each line of a family recipient's notice discloses, by the line's opening words:
# a key of bot.domain.consent.NOTICE_ELEMENTS, or None for lines that disclose nothing
# about the client (the RSVP request, the scope line and the §2.32 statement).
LINE_ELEMENTS: tuple[tuple[str, str | None], ...] = (
    ("**A family therapy session", "status"),
    ("**Reminder: a family therapy session", "status"),
    ("When:", "when"),
    ("Length:", "length"),
    ("Where:", "where"),
    ("Please let us know below", None),
    ("-# ", None),
)


def disclosed_elements(text: str) -> list[str | None]:
    """For each non-empty line of a rendered notice, the consent element it discloses;
    a line that matches nothing known raises ValueError (the test over every notice uses
    this to prove no notice goes beyond its consent)."""
    found: list[str | None] = []
    for line in filter(None, text.splitlines()):
        for opening, element in LINE_ELEMENTS:
            if line.startswith(opening):
                found.append(element)
                break
        else:
            raise ValueError(f"a notice line discloses something the consent doesn't name: {line}")
    return found


def render_family_notice(fields: NoticeFields) -> str:
    """The message text (the Confirm / Can't make it buttons are added by the caller)."""
    lines = [
        f"**{_headline(fields)}**",
        f"When: {discord_time(fields.starts_at)} ({discord_time(fields.starts_at, 'R')})",
        f"Length: {fields.duration_minutes} minutes",
        f"Where: {fields.place}",
    ]
    if fields.facilitator_name:
        lines.append(f"With: {fields.facilitator_name}")
    if fields.stage != "cancelled":
        lines.append("Please let us know below whether you can come.")
    if fields.scope_line:
        lines.extend(["", f"-# {fields.scope_line}"])
    if fields.redisclosure_statement:
        lines.extend(["", f"-# {fields.redisclosure_statement}"])
    return "\n".join(lines)
