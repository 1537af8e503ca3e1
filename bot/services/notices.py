"""What a queued notice says: content, embeds, buttons and who may be mentioned.

A notice is rendered when it is queued and stored as JSON in the outbox row, so what was
sent can be shown to facilitators (delivery status) without re-running any feature code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

ButtonStyle = Literal["primary", "secondary", "success", "danger"]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    custom_id: str
    style: ButtonStyle = "primary"


@dataclass(frozen=True, slots=True)
class Notice:
    content: str = ""
    embeds: tuple[dict[str, Any], ...] = ()
    buttons: tuple[Button, ...] = ()
    mention_user_ids: tuple[int, ...] = ()
    mention_role_ids: tuple[int, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "content": self.content,
                "embeds": list(self.embeds),
                "buttons": [
                    {"label": b.label, "custom_id": b.custom_id, "style": b.style}
                    for b in self.buttons
                ],
                "mention_user_ids": list(self.mention_user_ids),
                "mention_role_ids": list(self.mention_role_ids),
                "meta": self.meta,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Notice:
        data = json.loads(text)
        return cls(
            content=data.get("content", ""),
            embeds=tuple(data.get("embeds", ())),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            mention_user_ids=tuple(data.get("mention_user_ids", ())),
            mention_role_ids=tuple(data.get("mention_role_ids", ())),
            meta=dict(data.get("meta", {})),
        )
