"""What the bot answered to an interaction a user started in the emulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CALLBACK_NAMES = {
    4: "message",
    5: "deferred_message",
    6: "deferred_update",
    7: "update_message",
    9: "modal",
}


class InteractionError(ValueError):
    """The user could not do that in Discord's client (no such command, button, form...)."""


@dataclass
class InteractionResult:
    """The bot's answer: the callback, plus any `@original` edit and follow-ups.

    `content`, `embeds`, `components` and `ephemeral` describe the visible reply (the
    `@original` message after any edit); `modal` is set when the bot opened a form.
    """

    interaction_id: int
    response_type: int | None = None
    content: str | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = False
    modal: dict[str, Any] | None = None
    message_id: int | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.response_type is not None

    @property
    def response_name(self) -> str | None:
        if self.response_type is None:
            return None
        return CALLBACK_NAMES.get(self.response_type, str(self.response_type))

    @property
    def text(self) -> str:
        """All visible text: content, embed titles/descriptions/fields, follow-ups."""
        parts = [_message_text(self.content, self.embeds)]
        parts.extend(_message_text(f.get("content"), f.get("embeds", [])) for f in self.followups)
        return "\n".join(part for part in parts if part)

    @property
    def is_error(self) -> bool:
        """True when the bot showed its generic "Something went wrong" reply."""
        return "something went wrong" in self.text.casefold()

    def to_json(self) -> dict[str, Any]:
        return {
            "interaction_id": str(self.interaction_id),
            "type": self.response_type,
            "type_name": self.response_name,
            "content": self.content,
            "embeds": self.embeds,
            "components": self.components,
            "ephemeral": self.ephemeral,
            "modal": self.modal,
            "message_id": None if self.message_id is None else str(self.message_id),
            "followups": self.followups,
        }


def _message_text(content: str | None, embeds: list[dict[str, Any]]) -> str:
    parts = [content or ""]
    for embed in embeds:
        parts.append(str(embed.get("title") or ""))
        parts.append(str(embed.get("description") or ""))
        for embed_field in embed.get("fields") or []:
            parts.append(f"{embed_field.get('name', '')}: {embed_field.get('value', '')}")
    return "\n".join(part for part in parts if part)
