"""The sandbox transcript: one JSON line per message the bot sends, edits or deletes.

The keys are a contract (DESIGN.md, "The sandbox transcript"). Lines go to an optional
file and, in a readable form, to an optional text stream (stdout for `iopbot sandbox`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

Entry = dict[str, Any]


def simple_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for embed in embeds:
        shown.append(
            {
                "title": embed.get("title"),
                "description": embed.get("description"),
                "fields": [
                    {"name": f.get("name"), "value": f.get("value")}
                    for f in embed.get("fields") or []
                ],
            }
        )
    return shown


def simple_components(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Buttons and selects, flattened out of their action rows / containers."""
    found: list[dict[str, Any]] = []

    def walk(item: dict[str, Any]) -> None:
        if item.get("type") in (2, 3, 5, 6, 7, 8):
            found.append(
                {
                    "type": "button" if item["type"] == 2 else "select",
                    "label": item.get("label") or item.get("placeholder"),
                    "custom_id": item.get("custom_id"),
                    "url": item.get("url"),
                    "options": [o.get("label") for o in item.get("options") or []] or None,
                }
            )
        for child in item.get("components") or []:
            walk(child)
        if isinstance(item.get("accessory"), dict):
            walk(item["accessory"])
        if isinstance(item.get("component"), dict):
            walk(item["component"])

    for row in rows:
        walk(row)
    return found


def modal_questions(rows: list[dict[str, Any]]) -> list[str]:
    """A form's questions as a reader sees them: the label, and the choices offered."""
    out: list[str] = []
    for row in rows:
        inner = row.get("component") if row.get("type") == 18 else None
        items = [inner] if isinstance(inner, dict) else list(row.get("components") or [])
        for item in items:
            text = str(row.get("label") or item.get("label") or item.get("custom_id") or "")
            options = [str(o.get("label")) for o in item.get("options") or []]
            if item.get("type") == 23:
                options = ["tick box"]
            out.append(f"{text} ({' | '.join(options)})" if options else text)
    return out


class Transcript:
    def __init__(
        self,
        now: Callable[[], datetime],
        *,
        file: TextIO | None = None,
        echo: TextIO | None = None,
    ) -> None:
        self._now = now
        self.file = file
        self.echo = echo
        self.entries: list[Entry] = []

    def _ts(self) -> str:
        return self._now().astimezone(UTC).isoformat().replace("+00:00", "Z")

    def record_message(
        self,
        *,
        kind: str,
        event: str,
        channel_id: int,
        channel: str,
        recipient_id: int | None,
        message: dict[str, Any],
    ) -> None:
        entry: Entry = {
            "ts": self._ts(),
            "kind": kind,
            "event": event,
            "channel_id": str(channel_id),
            "channel": channel,
            "recipient_id": None if recipient_id is None else str(recipient_id),
            "message_id": str(message.get("id")),
            "content": message.get("content") or "",
            "embeds": simple_embeds(message.get("embeds") or []),
            "components": simple_components(message.get("components") or []),
            "attachments": [a.get("filename") for a in message.get("attachments") or []],
            # Who the message really pinged (allowed_mentions applied; mentions.py).
            "mentions": [str(u.get("id")) for u in message.get("mentions") or []],
            "mention_roles": [str(r) for r in message.get("mention_roles") or []],
            "mention_everyone": bool(message.get("mention_everyone")),
        }
        self._write(entry)

    def record_modal(
        self, *, channel_id: int, channel: str, recipient_id: int, modal: dict[str, Any]
    ) -> None:
        questions = modal_questions(modal.get("components") or [])
        entry: Entry = {
            "ts": self._ts(),
            "kind": "ephemeral",
            "event": "modal",
            "channel_id": str(channel_id),
            "channel": channel,
            "recipient_id": str(recipient_id),
            "content": " / ".join([f"[form] {modal.get('title', '')}", *questions]),
            "embeds": [],
            "components": simple_components(modal.get("components") or []),
            "modal": {
                "custom_id": modal.get("custom_id"),
                "title": modal.get("title"),
                "questions": questions,
            },
        }
        self._write(entry)

    def step(self, note: str) -> None:
        self._write({"ts": self._ts(), "kind": "step", "note": note})

    def _write(self, entry: Entry) -> None:
        self.entries.append(entry)
        if self.file is not None:
            self.file.write(json.dumps(entry) + "\n")
            self.file.flush()
        if self.echo is not None:
            self.echo.write(readable(entry) + "\n")
            self.echo.flush()


def readable(entry: Entry) -> str:
    """One entry as a line or two a person can follow live."""
    clock = str(entry["ts"])[:16].replace("T", " ")
    if entry["kind"] == "step":
        return f"{clock}  ## {entry['note']}"
    where = entry["channel"] if entry["kind"] != "ephemeral" else f"{entry['channel']} (only you)"
    text = str(entry.get("content") or "")
    for embed in entry.get("embeds") or []:
        title = embed.get("title") or ""
        text += f" [{title}] {embed.get('description') or ''}".rstrip()
    buttons = [c.get("label") or c.get("custom_id") for c in entry.get("components") or []]
    if buttons:
        text += "  " + " ".join(f"<{b}>" for b in buttons)
    if entry.get("attachments"):
        text += "  files: " + ", ".join(str(a) for a in entry["attachments"])
    event = "" if entry["event"] == "send" else f"({entry['event']}) "
    text = text.replace("\n", " / ")
    return f"{clock}  bot -> {where}: {event}{text}"
