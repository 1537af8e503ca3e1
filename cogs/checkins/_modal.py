"""The check-in form: the questions a program chose (``[checkins] items``), answered privately.

The form is built fresh each time it opens and is never kept in memory: its custom id
carries the person and the local day it was opened for (``iop:checkin:modal:{user}:{day}``)
and every submission, including one sent after a restart, is read from the interaction
itself by :func:`cogs.checkins._submit.handle_checkin_submit` (the cog's listener).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import discord

from bot.config import CheckinSettings
from bot.db.repositories.checkins import Checkin
from bot.domain.checkins import NOTE_MAX, USED_LABELS

MODAL_PREFIX = "iop:checkin:modal:"
_MODAL_ID = re.compile(r"^iop:checkin:modal:(?P<user>\d{1,20})(?::(?P<day>\d{4}-\d{2}-\d{2}))?$")
SAFETY_PLAN_CUSTOM_ID = "iop:safetyplan:show"


def modal_custom_id(user_id: int, day: date) -> str:
    """One form per person and local day (the day it was opened for travels with it)."""
    return f"{MODAL_PREFIX}{user_id}:{day.isoformat()}"


def parse_modal_custom_id(custom_id: str) -> tuple[int, date | None] | None:
    """``(user_id, day)`` from a check-in form's custom id (day None for an older form)."""
    match = _MODAL_ID.match(custom_id)
    if match is None:
        return None
    try:
        day = date.fromisoformat(match["day"]) if match["day"] else None
    except ValueError:
        day = None
    return int(match["user"]), day


def submitted_values(components: Iterable[Any]) -> dict[str, str | None]:
    """``custom_id → answer`` from a MODAL_SUBMIT payload (labels, action rows, inputs).

    Text inputs and radio groups give a string (None when a radio was left empty);
    checkbox groups their values joined by commas; a checkbox "true"/"false".
    """
    found: dict[str, str | None] = {}
    stack = [c for c in components if isinstance(c, dict)]
    while stack:
        node = stack.pop()
        inner = node.get("component")
        if isinstance(inner, dict):
            stack.append(inner)
        stack.extend(c for c in node.get("components") or [] if isinstance(c, dict))
        custom_id = node.get("custom_id")
        if not isinstance(custom_id, str):
            continue
        if "values" in node:
            found[custom_id] = ",".join(str(v) for v in node.get("values") or [])
        elif isinstance(node.get("value"), bool):
            found[custom_id] = "true" if node["value"] else "false"
        elif "value" in node:
            value = node.get("value")
            found[custom_id] = None if value is None else str(value)
    return found


def _text(
    text: str,
    custom_id: str,
    *,
    description: str | None = None,
    placeholder: str | None = None,
    default: str | None = None,
    max_length: int = 6,
    required: bool = True,
    paragraph: bool = False,
) -> discord.ui.Label[Any]:
    return discord.ui.Label(
        text=text,
        description=description,
        component=discord.ui.TextInput(
            custom_id=custom_id,
            placeholder=placeholder,
            default=default,
            max_length=max_length,
            required=required,
            style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        ),
    )


def _radio(
    text: str,
    custom_id: str,
    options: list[tuple[str, str]],
    *,
    description: str | None = None,
    chosen: str | None = None,
) -> discord.ui.Label[Any]:
    return discord.ui.Label(
        text=text,
        description=description,
        component=discord.ui.RadioGroup(
            custom_id=custom_id,
            required=True,
            options=[
                discord.RadioGroupOption(label=label, value=value, default=value == chosen)
                for value, label in options
            ],
        ),
    )


def _question(item: str, settings: CheckinSettings, today: Checkin | None) -> discord.ui.Item[Any]:
    if item == "mood":
        return _text(
            "Mood today (1-10)",
            "mood",
            description="1 = very low, 10 = very good",
            default=str(today.mood) if today else None,
        )
    if item == "craving":
        return _text(
            "Craving right now (0-10)",
            "craving",
            description="0 = none, 10 = very strong",
            default=str(today.craving) if today else None,
        )
    if item == "used":
        return _radio(
            "Used since your last check-in?",
            "used",
            [("no", "No"), ("yes", "Yes"), ("prefer_not", USED_LABELS["prefer_not"].capitalize())],
            chosen=today.used if today else None,
        )
    if item == "safety":  # asked fresh each time, never prefilled
        return _radio(
            settings.safety_question,
            "safety",
            [("no", "No"), ("yes", "Yes")],
            description=settings.safety_help or None,
        )
    if item == "sleep":
        sleep = today.sleep_hours if today else None
        return _text(
            "Hours of sleep last night",
            "sleep",
            placeholder="e.g. 7 or 6.5",
            default=None if sleep is None else f"{sleep:g}",
            max_length=12,
        )
    return _text(
        "Anything for your counselor? (optional)",
        "note",
        description="Only your care team sees this.",
        default=(today.note or None) if today else None,
        max_length=NOTE_MAX,
        required=False,
        paragraph=True,
    )


def checkin_modal(
    settings: CheckinSettings, user_id: int, day: date, today: Checkin | None = None
) -> discord.ui.Modal:
    """The form for ``day``; a second check-in that day starts from the first one's answers."""
    modal = discord.ui.Modal(title="Daily check-in", custom_id=modal_custom_id(user_id, day))
    for item in settings.items:
        modal.add_item(_question(item, settings, today))
    # Not kept in discord.py's in-memory store: the cog's listener reads every submission
    # from the interaction itself, so one sent after a restart is handled the same way.
    modal.stop()
    return modal
