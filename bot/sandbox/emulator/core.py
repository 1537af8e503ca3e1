"""The emulator's shared core: state, gateway, rate limits, transcript, and message plumbing.

Route handlers and the Python API both work through this class; `Emulator` (server.py)
adds the HTTP server and the user-facing API on top.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.errors import (
    UNKNOWN_CHANNEL,
    cannot_dm,
    missing_access,
    missing_permissions,
    not_found,
)
from bot.sandbox.emulator.gateway import Gateway, GatewayHooks
from bot.sandbox.emulator.ratelimit import RateLimiter
from bot.sandbox.emulator.routing import Upload
from bot.sandbox.emulator.state import DM, JSON, Guild, State, StoredMessage, iso, public_channel
from bot.sandbox.emulator.transcript import Transcript
from bot.sandbox.emulator.validation import check_message

EPHEMERAL = 1 << 6
LOADING = 1 << 7
NONCE_TTL_SECONDS = 300.0
THREAD_TYPES = {10, 11, 12}
MENTION = re.compile(r"<@!?(\d+)>")


def utc_now() -> datetime:
    return datetime.now(UTC)


class EmulatorCore:
    def __init__(
        self,
        *,
        token: str = "sandbox-token",  # noqa: S107 - the emulator's fake token
        now: Callable[[], datetime] = utc_now,
        bot_name: str = "iopbot",
    ) -> None:
        self._now = now
        self.token = token
        self.state = State(self.now)
        self.transcript = Transcript(self.now)
        self.limiter = RateLimiter()
        self.base_url = "http://127.0.0.1:0"
        self.bot_user = self.state.add_user(bot_name, bot=True)
        self.application_id = self.state.ids.next()
        self.owner_user = self.state.add_user("Sandbox owner")
        self.gateway = Gateway(
            GatewayHooks(
                token=lambda: self.token,
                ready_payload=self.ready_payload,
                guild_creates=self.guild_create_payloads,
                member_chunk=self.member_chunk,
                bot_user_id=lambda: self.bot_id,
            )
        )
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.requests: list[JSON] = []
        self.unimplemented: list[JSON] = []
        self.last_request_at = 0.0
        # Imported here: interactions needs the core's methods, the core owns it.
        from bot.sandbox.emulator.interactions import Interactions

        self.interactions = Interactions(self)

    # ----- time and identity ------------------------------------------------------------

    def now(self) -> datetime:
        """The sandbox clock (aware UTC)."""
        return self._now().astimezone(UTC)

    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    @property
    def host_port(self) -> str:
        return self.base_url.removeprefix("http://")

    # ----- gateway payloads -------------------------------------------------------------

    def ready_payload(self, session_id: str) -> JSON:
        return {
            "v": 10,
            "user": copy.deepcopy(self.bot_user),
            "guilds": [
                {"id": str(g.id), "unavailable": True} for g in self.state.guilds_of(self.bot_id)
            ],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": f"ws://{self.host_port}/gateway",
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "_trace": ["iopbot-emulator"],
        }

    def guild_payload(self, guild: Guild) -> JSON:
        data = copy.deepcopy(guild.data)
        data["roles"] = [copy.deepcopy(r) for r in guild.roles.values()]
        data["approximate_member_count"] = len(guild.members)
        return data

    def guild_create_payloads(self) -> list[JSON]:
        payloads = []
        for guild in self.state.guilds_of(self.bot_id):
            data = self.guild_payload(guild)
            data.update(
                {
                    "joined_at": guild.members[self.bot_id]["joined_at"],
                    "large": False,
                    "unavailable": False,
                    "member_count": len(guild.members),
                    "voice_states": [],
                    "members": [copy.deepcopy(m) for m in guild.members.values()],
                    "channels": [
                        self.channel_payload(c, in_guild_create=True)
                        for c in self.state.guild_channels(guild.id)
                        if c["type"] not in THREAD_TYPES
                    ],
                    "threads": [
                        self.channel_payload(c)
                        for c in self.state.guild_channels(guild.id)
                        if c["type"] in THREAD_TYPES
                    ],
                    "presences": [],
                    "stage_instances": [],
                    "guild_scheduled_events": [
                        copy.deepcopy(e)
                        for e in self.state.scheduled_events.values()
                        if e["guild_id"] == str(guild.id)
                    ],
                    "soundboard_sounds": [],
                }
            )
            payloads.append(data)
        return payloads

    def member_chunk(self, request: JSON) -> JSON:
        guild = self.state.guilds.get(int(request.get("guild_id", 0)))
        members = [] if guild is None else list(guild.members.values())
        wanted = request.get("user_ids")
        if wanted is not None:
            ids = {int(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
            members = [m for m in members if int(m["user"]["id"]) in ids]
        query = str(request.get("query") or "").casefold()
        if query:
            members = [m for m in members if m["user"]["username"].casefold().startswith(query)]
        limit = int(request.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": request.get("guild_id"),
            "members": copy.deepcopy(members),
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if request.get("nonce") is not None:
            chunk["nonce"] = request["nonce"]
        return chunk

    def channel_payload(self, channel: JSON, *, in_guild_create: bool = False) -> JSON:
        data = public_channel(channel)
        if in_guild_create:
            data.pop("guild_id", None)
        return data

    # ----- lookups with Discord's errors ------------------------------------------------

    def guild_or_404(self, guild_id: int) -> Guild:
        guild = self.state.guilds.get(guild_id)
        if guild is None or self.bot_id not in guild.members:
            raise not_found(10004, "Guild")
        return guild

    def channel_or_404(self, channel_id: int) -> JSON:
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if channel["type"] == DM:
            if channel.get("_bot_id") != str(self.bot_id):
                raise missing_access()
            return channel
        guild = self.state.guild_of_channel(channel)
        if guild is None or self.bot_id not in guild.members:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        return channel

    def bot_channel_permissions(self, channel: JSON) -> int:
        guild = self.state.guild_of_channel(channel)
        if guild is None:
            return perm.VIEW_CHANNEL | perm.SEND_MESSAGES | perm.READ_MESSAGE_HISTORY
        return perm.channel_permissions(
            guild, self.effective_channel(channel), self.bot_id, self.now()
        )

    def effective_channel(self, channel: JSON) -> JSON:
        """Threads take their permissions from the parent channel."""
        if channel["type"] in THREAD_TYPES and channel.get("parent_id"):
            return self.state.channels.get(int(channel["parent_id"]), channel)
        return channel

    def require_channel_permissions(self, channel: JSON, needed: int) -> None:
        have = self.bot_channel_permissions(channel)
        if not have & perm.VIEW_CHANNEL:
            raise missing_access()
        if have & needed != needed:
            raise missing_permissions()

    def require_guild_permissions(self, guild: Guild, needed: int) -> None:
        have = perm.base_permissions(guild, self.bot_id)
        if have & needed != needed:
            raise missing_permissions()

    def dispatch_member_update(self, guild: Guild, member: JSON) -> None:
        data = copy.deepcopy(member)
        data["guild_id"] = str(guild.id)
        self.gateway.dispatch("GUILD_MEMBER_UPDATE", data)

    # ----- messages ---------------------------------------------------------------------

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
        mentions = [
            copy.deepcopy(self.state.users[int(uid)])
            for uid in dict.fromkeys(MENTION.findall(content))
            if int(uid) in self.state.users
        ]
        message: JSON = {
            "id": str(mid),
            "channel_id": channel["id"],
            "author": copy.deepcopy(author),
            "content": content,
            "timestamp": iso(self.now()),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts", False)),
            "mention_everyone": False,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": self.build_attachments(channel, payload, uploads, []),
            "embeds": normalise_embeds(payload.get("embeds") or []),
            "components": copy.deepcopy(payload.get("components") or []),
            "pinned": False,
            "type": message_type,
            "flags": (int(payload.get("flags") or 0) | flags) & ~LOADING | (flags & LOADING),
        }
        if channel.get("guild_id"):
            message["guild_id"] = channel["guild_id"]
        if payload.get("nonce") is not None:
            message["nonce"] = payload["nonce"]
        if payload.get("message_reference"):
            message["message_reference"] = copy.deepcopy(payload["message_reference"])
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
            result.append(
                {
                    "id": str(aid),
                    "filename": filename,
                    "description": item.get("description"),
                    "content_type": upload.content_type,
                    "size": len(upload.data),
                    "url": url,
                    "proxy_url": url,
                }
            )
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

    def gateway_message(self, message: JSON) -> JSON:
        data = copy.deepcopy(message)
        guild_id = data.get("guild_id")
        if guild_id is not None:
            guild = self.state.guilds.get(int(guild_id))
            member = None if guild is None else guild.members.get(int(data["author"]["id"]))
            if member is not None:
                data["member"] = {k: copy.deepcopy(v) for k, v in member.items() if k != "user"}
        return data

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

    def check_can_send(self, channel: JSON, payload: JSON, uploads: list[Upload]) -> None:
        if channel["type"] == DM:
            recipient = self.state.dm_recipient(channel)
            if recipient is None or not self.can_dm(recipient):
                raise cannot_dm()
            return
        needed = perm.SEND_MESSAGES
        if channel["type"] in THREAD_TYPES:
            needed = perm.SEND_MESSAGES_IN_THREADS
        if uploads:
            needed |= perm.ATTACH_FILES
        if payload.get("message_reference"):
            needed |= perm.READ_MESSAGE_HISTORY
        self.require_channel_permissions(channel, needed)

    def can_dm(self, user_id: int) -> bool:
        user = self.state.users.get(user_id)
        if user is None or user.get("bot") or user_id in self.state.dms_closed:
            return False
        bot_guilds = {g.id for g in self.state.guilds_of(self.bot_id)}
        return any(g.id in bot_guilds for g in self.state.guilds_of(user_id))

    def send_bot_message(self, channel: JSON, payload: JSON, uploads: list[Upload]) -> JSON:
        """POST /channels/{id}/messages for the bot, honouring `nonce` + `enforce_nonce`."""
        check_message(payload, has_files=bool(uploads))
        self.check_can_send(channel, payload, uploads)
        nonce = payload.get("nonce")
        key = (int(channel["id"]), self.bot_id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce"):
            earlier = self.nonces.get(key)
            if earlier is not None and time.monotonic() - earlier[1] < NONCE_TTL_SECONDS:
                stored = self.state.messages.get(earlier[0])
                if stored is not None:
                    return copy.deepcopy(stored.data)
        message = self.build_message(channel, self.bot_user, payload, uploads)
        if nonce is not None:
            self.nonces[key] = (int(message["id"]), time.monotonic())
        self.deliver(channel, message)
        return copy.deepcopy(message)

    def edit_message(
        self, channel: JSON, stored: StoredMessage, payload: JSON, uploads: list[Upload]
    ) -> JSON:
        check_message(payload, has_files=bool(uploads), edit=True)
        message = stored.data
        was_loading = bool(int(message.get("flags") or 0) & LOADING)
        if "content" in payload:
            message["content"] = str(payload["content"] or "")
        if "embeds" in payload:
            message["embeds"] = normalise_embeds(payload["embeds"] or [])
        if "components" in payload:
            message["components"] = copy.deepcopy(payload["components"] or [])
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


def normalise_embeds(embeds: list[JSON]) -> list[JSON]:
    shown = []
    for embed in embeds:
        item = copy.deepcopy(embed)
        item.setdefault("type", "rich")
        shown.append(item)
    return shown
