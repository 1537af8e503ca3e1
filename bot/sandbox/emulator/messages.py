"""`MessageCore`: building, storing, editing and deleting messages, with their events.

Every change dispatches the gateway event Discord would (none for ephemeral messages)
and, for the bot's own messages, writes a transcript entry. Permission checks happen
before this layer: in core.py for the bot's sends, in the Python API for users' posts.
"""

from __future__ import annotations

import copy
import re

from bot.sandbox.emulator.base import CoreBase
from bot.sandbox.emulator.mentions import effective_mentions
from bot.sandbox.emulator.payloads import normalise_embeds
from bot.sandbox.emulator.routing import Upload
from bot.sandbox.emulator.state import DM, JSON, StoredMessage, iso
from bot.sandbox.emulator.validation import check_message

EPHEMERAL = 1 << 6
LOADING = 1 << 7
MENTION = re.compile(r"<@!?(\d+)>")


def numbered_components(rows: list[JSON]) -> list[JSON]:
    """The components as Discord stores them: each with an `id`, numbered depth-first."""
    rows = copy.deepcopy(rows)
    taken = set()
    found: list[JSON] = []

    def walk(item: JSON) -> None:
        found.append(item)
        if item.get("id") is not None:
            taken.add(int(item["id"]))
        for child in item.get("components") or []:
            walk(child)
        for key in ("accessory", "component"):
            if isinstance(item.get(key), dict):
                walk(item[key])

    for row in rows:
        walk(row)
    number = 0
    for item in found:
        if item.get("id") is None:
            number += 1
            while number in taken:
                number += 1
            item["id"] = number
    return rows


class MessageCore(CoreBase):
    def build_message(
        self,
        channel: JSON,
        author: JSON,
        payload: JSON,
        uploads: list[Upload],
        *,
        message_type: int = 0,
        flags: int = 0,
        extra: JSON | None = None,
    ) -> JSON:
        mid = self.state.ids.next()
        content = str(payload.get("content") or "")
        message: JSON = {
            "id": str(mid),
            "channel_id": channel["id"],
            "author": copy.deepcopy(author),
            "content": content,
            "timestamp": iso(self.now()),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self.build_attachments(channel, payload, uploads, []),
            "embeds": normalise_embeds(payload.get("embeds") or []),
            "components": numbered_components(payload.get("components") or []),
            "pinned": False,
            "type": message_type,
            "flags": (int(payload.get("flags") or 0) | flags) & ~LOADING | (flags & LOADING),
        }
        if channel.get("guild_id"):
            message["guild_id"] = channel["guild_id"]
        if payload.get("nonce") is not None:
            message["nonce"] = payload["nonce"]
        if payload.get("message_reference"):
            reference = {k: v for k, v in payload["message_reference"].items() if v is not None}
            reference.setdefault("type", 0)  # 0: a reply (1 would be a forward)
            reference.setdefault("channel_id", channel["id"])
            message["message_reference"] = {
                k: str(v) if k.endswith("_id") else v for k, v in reference.items()
            }
        effective_mentions(self, channel, int(author["id"]), payload, content).apply(message)
        message.update(extra or {})
        return message

    def build_attachments(
        self, channel: JSON, payload: JSON, uploads: list[Upload], existing: list[JSON]
    ) -> list[JSON]:
        by_field = {upload.field: upload for upload in uploads}
        described = payload.get("attachments")
        kept = {str(a["id"]): a for a in existing}
        result: list[JSON] = []
        if described is None:
            described = [{"id": i, "filename": u.filename} for i, u in enumerate(uploads)]
        for item in described:
            upload = by_field.get(f"files[{item.get('id')}]")
            if upload is None:
                if str(item.get("id")) in kept:
                    result.append(kept[str(item["id"])])
                continue
            aid = self.state.ids.next()
            self.state.attachments[aid] = upload.data
            filename = str(item.get("filename") or upload.filename)
            url = f"{self.base_url}/attachments/{channel['id']}/{aid}/{filename}"
            attachment: JSON = {
                "id": str(aid),
                "filename": filename,
                "content_type": upload.content_type,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
            }
            if item.get("description") is not None:
                attachment["description"] = item["description"]
            result.append(attachment)
        return result

    def deliver(
        self,
        channel: JSON,
        message: JSON,
        *,
        ephemeral: bool = False,
        recipient_id: int | None = None,
        record: bool = True,
    ) -> StoredMessage:
        """Store a new message, dispatch MESSAGE_CREATE, and write it to the transcript."""
        stored = self.state.store_message(message, ephemeral=ephemeral, recipient_id=recipient_id)
        is_dm = channel["type"] == DM
        if not ephemeral:
            self.gateway.dispatch("MESSAGE_CREATE", self.gateway_message(message), dm=is_dm)
        if record and message["author"]["id"] == str(self.bot_id):
            self.record(channel, stored, "send")
        return stored

    def record(self, channel: JSON, stored: StoredMessage, event: str) -> None:
        recipient = stored.recipient_id
        if stored.ephemeral:
            kind = "ephemeral"  # an interaction reply only its user sees, in a DM or a server
            if channel["type"] == DM:
                recipient = recipient or self.state.dm_recipient(channel)
        elif channel["type"] == DM:
            kind = "dm"
            recipient = self.state.dm_recipient(channel)
        else:
            kind = "guild"
        self.transcript.record_message(
            kind=kind,
            event=event,
            channel_id=int(channel["id"]),
            channel=self.state.channel_label(int(channel["id"])),
            recipient_id=recipient if kind != "guild" else None,
            message=stored.data,
        )

    def edit_message(
        self, channel: JSON, stored: StoredMessage, payload: JSON, uploads: list[Upload]
    ) -> JSON:
        check_message(payload, has_files=bool(uploads), edit=True)
        message = stored.data
        was_loading = bool(int(message.get("flags") or 0) & LOADING)
        if "content" in payload:
            message["content"] = str(payload["content"] or "")
        if "content" in payload or "allowed_mentions" in payload:
            effective_mentions(
                self, channel, int(message["author"]["id"]), payload, message["content"]
            ).apply(message)
        if "embeds" in payload:
            message["embeds"] = normalise_embeds(payload["embeds"] or [])
        if "components" in payload:
            message["components"] = numbered_components(payload["components"] or [])
        if "attachments" in payload or uploads:
            message["attachments"] = self.build_attachments(
                channel, payload, uploads, message.get("attachments") or []
            )
        if "flags" in payload and payload["flags"] is not None:
            keep = int(message.get("flags") or 0) & EPHEMERAL
            message["flags"] = int(payload["flags"]) | keep
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        message["edited_timestamp"] = None if was_loading else iso(self.now())
        if not stored.ephemeral:
            self.gateway.dispatch(
                "MESSAGE_UPDATE", self.gateway_message(message), dm=channel["type"] == DM
            )
        if message["author"]["id"] == str(self.bot_id):
            self.record(channel, stored, "send" if was_loading else "edit")
        return copy.deepcopy(message)

    def delete_message(self, channel: JSON, stored: StoredMessage) -> None:
        stored.deleted = True
        if not stored.ephemeral:
            event: JSON = {"id": stored.data["id"], "channel_id": channel["id"]}
            if channel.get("guild_id"):
                event["guild_id"] = channel["guild_id"]
            self.gateway.dispatch("MESSAGE_DELETE", event, dm=channel["type"] == DM)
        if stored.data["author"]["id"] == str(self.bot_id):
            self.record(channel, stored, "delete")
