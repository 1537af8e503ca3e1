"""The text of a family-session notice, built from ONLY the fields a notice may carry.

:class:`NoticeFields` is the whole input: the session's time, length, place/link, the
facilitator's name, and (for family recipients) the redisclosure statement and the
consent's one-line scope. Nothing about check-ins, attendance, use, milestones, alerts or
other participants can reach a notice, because the renderer is never given it.
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
    facilitator_name: str
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


def render_family_notice(fields: NoticeFields) -> str:
    """The message text (the Confirm / Can't make it buttons are added by the caller)."""
    lines = [
        f"**{_headline(fields)}**",
        f"When: {discord_time(fields.starts_at)} ({discord_time(fields.starts_at, 'R')})",
        f"Length: {fields.duration_minutes} minutes",
        f"Where: {fields.place}",
        f"With: {fields.facilitator_name}",
    ]
    if fields.stage != "cancelled":
        lines.append("Please let us know below whether you can come.")
    if fields.scope_line:
        lines.extend(["", f"-# {fields.scope_line}"])
    if fields.redisclosure_statement:
        lines.extend(["", f"-# {fields.redisclosure_statement}"])
    return "\n".join(lines)
