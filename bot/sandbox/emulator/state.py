"""The emulator's world: users, guilds, roles, members, channels and messages as Discord JSON.

Objects are kept in the shape Discord sends them, so serialising is a copy. Ids are
snowflakes whose timestamp comes from the sandbox clock.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]
DISCORD_EPOCH_MS = 1_420_070_400_000

TEXT = 0
DM = 1
CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12


def iso(moment: datetime) -> str:
    """Discord's timestamp format, always UTC."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class Snowflakes:
    """Strictly increasing snowflakes stamped with the sandbox clock."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(self._now().timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = (max(ms, 0) << 22) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last


@dataclass
class Guild:
    data: JSON
    roles: dict[int, JSON] = field(default_factory=dict)
    members: dict[int, JSON] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def owner_id(self) -> int:
        return int(self.data["owner_id"])


@dataclass
class StoredMessage:
    data: JSON
    ephemeral: bool = False
    deleted: bool = False
    recipient_id: int | None = None


class State:
    """Everything the emulator knows; no I/O here."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self.ids = Snowflakes(now)
        self.users: dict[int, JSON] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, JSON] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.dm_channel_by_user: dict[int, int] = {}
        self.dms_closed: set[int] = set()
        self.commands: dict[int | None, dict[int, JSON]] = {}
        self.scheduled_events: dict[int, JSON] = {}
        self.automod_rules: dict[int, JSON] = {}
        self.attachments: dict[int, bytes] = {}

    # ----- users ------------------------------------------------------------------------

    def add_user(self, name: str, *, bot: bool = False, user_id: int | None = None) -> JSON:
        uid = user_id or self.ids.next()
        user: JSON = {
            "id": str(uid),
            "username": name.casefold().replace(" ", "_").replace("(", "").replace(")", ""),
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
        }
        self.users[uid] = user
        return user

    def user(self, user_id: int) -> JSON | None:
        return self.users.get(user_id)

    def display_name(self, user_id: int) -> str:
        user = self.users.get(user_id)
        if user is None:
            return str(user_id)
        return str(user.get("global_name") or user["username"])

    # ----- guilds, roles, members -------------------------------------------------------

    def add_guild(self, name: str, owner_id: int) -> Guild:
        gid = self.ids.next()
        data: JSON = {
            "id": str(gid),
            "name": name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "emojis": [],
            "stickers": [],
            "features": ["COMMUNITY"],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "home_header": None,
            "region": "deprecated",
            "widget_enabled": False,
            "widget_channel_id": None,
            "max_presences": None,
            "max_stage_video_channel_users": 50,
            "nsfw": False,
            "incidents_data": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
        }
        guild = Guild(data=data)
        self.guilds[gid] = guild
        # @everyone has the guild's id.
        self.add_role(guild, "@everyone", permissions=DEFAULT_EVERYONE, role_id=gid, position=0)
        return guild

    def add_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        role_id: int | None = None,
        position: int | None = None,
        managed: bool = False,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
    ) -> JSON:
        rid = role_id or self.ids.next()
        role: JSON = {
            "id": str(rid),
            "name": name,
            "color": color,
            "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
            "hoist": hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": position if position is not None else len(guild.roles),
            "permissions": str(permissions),
            "managed": managed,
            "mentionable": mentionable,
            "flags": 0,
        }
        guild.roles[rid] = role
        return role

    def add_member(self, guild: Guild, user_id: int, roles: list[int] | None = None) -> JSON:
        member: JSON = {
            "user": copy.deepcopy(self.users[user_id]),
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in roles or []],
            "joined_at": iso(self.now()),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        guild.members[user_id] = member
        return member

    def guilds_of(self, user_id: int) -> list[Guild]:
        return [g for g in self.guilds.values() if user_id in g.members]

    def guild_of_channel(self, channel: JSON) -> Guild | None:
        gid = channel.get("guild_id")
        return None if gid is None else self.guilds.get(int(gid))

    # ----- channels ---------------------------------------------------------------------

    def add_channel(
        self,
        guild: Guild,
        name: str,
        *,
        kind: int = TEXT,
        overwrites: list[JSON] | None = None,
        topic: str | None = None,
        parent_id: int | None = None,
    ) -> JSON:
        cid = self.ids.next()
        position = sum(1 for c in self.channels.values() if c.get("guild_id") == str(guild.id))
        channel: JSON = {
            "id": str(cid),
            "type": kind,
            "guild_id": str(guild.id),
            "name": name,
            "position": position,
            "permission_overwrites": overwrites or [],
            "topic": topic,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None if parent_id is None else str(parent_id),
            "flags": 0,
        }
        self.channels[cid] = channel
        self.channel_messages[cid] = []
        return channel

    def guild_channels(self, guild_id: int) -> list[JSON]:
        return [c for c in self.channels.values() if c.get("guild_id") == str(guild_id)]

    def dm_channel(self, user_id: int, bot_user: JSON) -> JSON:
        existing = self.dm_channel_by_user.get(user_id)
        if existing is not None:
            return self.channels[existing]
        cid = self.ids.next()
        channel: JSON = {
            "id": str(cid),
            "type": DM,
            "last_message_id": None,
            "recipients": [copy.deepcopy(self.users[user_id])],
            "flags": 0,
        }
        self.channels[cid] = channel
        self.channel_messages[cid] = []
        self.dm_channel_by_user[user_id] = cid
        channel["_bot_id"] = bot_user["id"]
        return channel

    def dm_recipient(self, channel: JSON) -> int | None:
        if channel["type"] != DM:
            return None
        return int(channel["recipients"][0]["id"])

    def channel_label(self, channel_id: int) -> str:
        channel = self.channels.get(channel_id)
        if channel is None:
            return str(channel_id)
        recipient = self.dm_recipient(channel)
        if recipient is not None:
            return f"DM:{self.display_name(recipient)}"
        return str(channel.get("name"))

    # ----- messages ---------------------------------------------------------------------

    def store_message(
        self, message: JSON, *, ephemeral: bool = False, recipient_id: int | None = None
    ) -> StoredMessage:
        mid = int(message["id"])
        stored = StoredMessage(data=message, ephemeral=ephemeral, recipient_id=recipient_id)
        self.messages[mid] = stored
        if not ephemeral:
            cid = int(message["channel_id"])
            self.channel_messages.setdefault(cid, []).append(mid)
            channel = self.channels.get(cid)
            if channel is not None:
                channel["last_message_id"] = message["id"]
        return stored

    def live_message(self, channel_id: int, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        if stored is None or stored.deleted or int(stored.data["channel_id"]) != channel_id:
            return None
        return stored

    def messages_in(self, channel_id: int) -> list[JSON]:
        found = []
        for mid in self.channel_messages.get(channel_id, []):
            stored = self.messages[mid]
            if not stored.deleted:
                found.append(stored.data)
        return found


def public_channel(channel: JSON) -> JSON:
    """The channel as Discord sends it (without emulator-private keys)."""
    return {k: copy.deepcopy(v) for k, v in channel.items() if not k.startswith("_")}


# Permissions @everyone gets in a new guild (view, send, history, reactions, embeds...).
DEFAULT_EVERYONE = (
    (1 << 10)  # VIEW_CHANNEL
    | (1 << 11)  # SEND_MESSAGES
    | (1 << 14)  # EMBED_LINKS
    | (1 << 15)  # ATTACH_FILES
    | (1 << 16)  # READ_MESSAGE_HISTORY
    | (1 << 6)  # ADD_REACTIONS
    | (1 << 31)  # USE_APPLICATION_COMMANDS
    | (1 << 38)  # SEND_MESSAGES_IN_THREADS
    | (1 << 0)  # CREATE_INSTANT_INVITE
    | (1 << 26)  # CHANGE_NICKNAME
)
