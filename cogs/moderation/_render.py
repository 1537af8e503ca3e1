"""Embeds for /mod case and /mod history (shown ephemerally to facilitators only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.db.repositories.moderation import ModCase, ModNote
from bot.domain.moderation import describe_duration
from bot.domain.text import shown_name
from cogs.moderation._cases import ACTION_WORDS


def _when(case_or_note: ModCase | ModNote) -> str:
    return f"<t:{int(case_or_note.created_at.timestamp())}:d>"


def case_summary(case: ModCase, delivery: str | None) -> str:
    bits = [f"#{case.id} {ACTION_WORDS.get(case.action, case.action)}", _when(case)]
    if case.duration_seconds is not None and case.action == "timeout":
        bits.append(describe_duration(timedelta(seconds=case.duration_seconds)))
    bits.append(f"by <@{case.actor_id}>")
    line = " · ".join(bits)
    if case.reason:
        line += f"\n  reason: {case.reason[:200]}"
    if delivery:
        line += f"\n  DM: {delivery}"
    return line


def case_embed(case: ModCase, delivery: str | None) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "Action", "value": ACTION_WORDS.get(case.action, case.action), "inline": True},
        {"name": "By", "value": f"<@{case.actor_id}>", "inline": True},
        {"name": "When", "value": f"<t:{int(case.created_at.timestamp())}:f>", "inline": True},
    ]
    if case.member_id is not None:
        fields.append({"name": "Member", "value": f"<@{case.member_id}> (`{case.member_id}`)"})
    if case.channel_id is not None:
        fields.append({"name": "Channel", "value": f"<#{case.channel_id}>", "inline": True})
    if case.message_id is not None:
        fields.append({"name": "Message id", "value": str(case.message_id), "inline": True})
    if case.duration_seconds is not None:
        value = (
            f"{case.duration_seconds} s"
            if case.action == "slowmode"
            else describe_duration(timedelta(seconds=case.duration_seconds))
        )
        fields.append({"name": "Duration", "value": value, "inline": True})
    if case.reason:
        fields.append({"name": "Reason", "value": case.reason})
    if delivery is not None:
        fields.append({"name": "Warning delivery", "value": delivery})
    return {"title": f"Case #{case.id}", "fields": fields}


def history_embed(
    name: str,
    member_id: int,
    cases: list[ModCase],
    notes: list[ModNote],
    deliveries: dict[int, str | None],
) -> dict[str, Any]:
    case_text = "\n".join(
        case_summary(c, deliveries.get(c.id)) for c in cases if c.action != "note"
    )
    note_text = "\n".join(f"{_when(n)} <@{n.author_id}>: {n.body}" for n in notes)
    return {
        "title": f"Moderation history: {shown_name(name)}",
        "description": f"<@{member_id}> (`{member_id}`). Private to facilitators.",
        "fields": [
            {"name": "Cases (newest first)", "value": (case_text or "None.")[:1024]},
            {"name": "Private notes (newest first)", "value": (note_text or "None.")[:1024]},
        ],
    }
