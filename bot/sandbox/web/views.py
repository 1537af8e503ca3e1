"""What the page reads: the world, one person's view of it, and a channel as they see it.

Read-only summaries built from the emulator's state; the page never sees a live object.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.state import DM, JSON, Guild

if TYPE_CHECKING:
    from bot.sandbox.emulator.server import Emulator

TEXT_TYPES = (0, 5, 10, 11, 12)  # text, announcement, threads
CATEGORY = 4


def world_view(emu: Emulator) -> JSON:
    """Everyone and everything by id, for the person picker and for rendering mentions."""
    hooks = emu.page
    guild = _main_guild(emu)
    people = []
    seen: set[int] = set()
    for person in hooks.people:
        seen.add(person.id)
        people.append(_person(emu, guild, person.id, person.key, person.timezone))
    if guild is not None:
        for uid, member in guild.members.items():
            if uid in seen or member["user"].get("bot") or uid == int(emu.owner_user["id"]):
                continue
            people.append(_person(emu, guild, uid, None, None))
    return {
        "now": emu.now().isoformat(),
        "bot": {"id": str(emu.bot_id), "name": emu.user_name(emu.bot_id)},
        "guild": None if guild is None else {"id": str(guild.id), "name": guild.data["name"]},
        "people": people,
        "users": {str(uid): emu.user_name(uid) for uid in emu.state.users},
        "roles": {} if guild is None else {str(r): v["name"] for r, v in guild.roles.items()},
        "channels": {
            str(cid): c.get("name") for cid, c in emu.state.channels.items() if c.get("name")
        },
        "checkin_time": hooks.checkin_time,
        "demo": {
            "available": hooks.demo is not None,
            "state": hooks.demo_status.state,
            "failures": list(hooks.demo_status.failures),
        },
    }


def _person(
    emu: Emulator, guild: Guild | None, uid: int, key: str | None, zone: str | None
) -> JSON:
    member = None if guild is None else guild.members.get(uid)
    roles = []
    if guild is not None and member is not None:
        roles = [guild.roles[int(r)]["name"] for r in member["roles"] if int(r) in guild.roles]
    return {
        "id": str(uid),
        "name": emu.user_name(uid),
        "key": key,
        "timezone": zone,
        "roles": roles,
        "member": member is not None,
    }


def _main_guild(emu: Emulator) -> Guild | None:
    return next(iter(emu.state.guilds.values()), None)


def person_view(emu: Emulator, user_id: int) -> JSON:
    """The channels `user_id` can see (grouped under categories) and their DM with the bot."""
    if user_id not in emu.state.users:
        raise KeyError(f"no user {user_id}")
    channels: list[JSON] = []
    for guild in emu.state.guilds.values():
        if user_id not in guild.members:
            continue
        names = {int(c["id"]): c.get("name") for c in emu.state.guild_channels(guild.id)}
        for channel in emu.state.guild_channels(guild.id):
            if channel["type"] not in TEXT_TYPES or not _can(emu, guild, channel, user_id):
                continue
            parent = channel.get("parent_id")
            channels.append(
                {
                    "id": channel["id"],
                    "name": channel.get("name"),
                    "topic": channel.get("topic"),
                    "guild_id": str(guild.id),
                    "category": None if parent is None else names.get(int(parent)),
                    "can_send": _can(emu, guild, channel, user_id, perm.SEND_MESSAGES),
                }
            )
    dm = emu.state.dm_channel_by_user.get(user_id)
    return {
        "id": str(user_id),
        "name": emu.user_name(user_id),
        "channels": channels,
        "dm_channel_id": None if dm is None else str(dm),
    }


def _can(
    emu: Emulator, guild: Guild, channel: JSON, user_id: int, needed: int = perm.VIEW_CHANNEL
) -> bool:
    allowed = perm.channel_permissions(guild, emu.effective_channel(channel), user_id, emu.now())
    return allowed & (needed | perm.VIEW_CHANNEL) == needed | perm.VIEW_CHANNEL


def commands_view(emu: Emulator, user_id: int, channel_id: int) -> list[JSON]:
    """The application commands `user_id` sees in `channel_id`, with their full options."""
    channel = emu.state.channels.get(channel_id)
    if channel is None:
        raise KeyError(f"no channel {channel_id}")
    guild = emu.state.guild_of_channel(channel)
    scopes: list[int | None] = [None] if guild is None else [guild.id, None]
    have = perm.ALL
    if guild is not None:
        have = perm.channel_permissions(guild, emu.effective_channel(channel), user_id, emu.now())
    shown = []
    for scope in scopes:
        for command in emu.state.commands.get(scope, {}).values():
            needed = command.get("default_member_permissions")
            if needed is not None and have & int(needed) != int(needed):
                continue
            shown.append(copy.deepcopy(command))
    return shown


def channel_view(emu: Emulator, user_id: int, channel_id: int) -> JSON:
    """A channel's messages as `user_id` sees them: the channel's own plus their private replies."""
    channel = emu.state.channels.get(channel_id)
    if channel is None:
        raise KeyError(f"no channel {channel_id}")
    guild = emu.state.guild_of_channel(channel)
    if guild is not None and not (user_id in guild.members and _can(emu, guild, channel, user_id)):
        raise PermissionError("this person cannot see that channel")
    if guild is None and channel["type"] == DM and emu.state.dm_recipient(channel) != user_id:
        raise PermissionError("that is someone else's DM")
    found = [
        stored.data
        for stored in emu.state.messages.values()
        if int(stored.data["channel_id"]) == channel_id
        and not stored.deleted
        and (not stored.ephemeral or stored.recipient_id == user_id)
    ]
    found.sort(key=lambda m: int(m["id"]))
    return {
        "channel": {
            "id": channel["id"],
            "name": channel.get("name") or f"DM with {emu.user_name(emu.bot_id)}",
            "topic": channel.get("topic"),
            "is_dm": channel["type"] == DM,
        },
        "messages": [page_message(m) for m in found],
    }


def page_message(message: JSON) -> JSON:
    """One message with what the page draws: author, text, embeds, components, files."""
    author = message["author"]
    return {
        "id": message["id"],
        "author": {
            "id": author["id"],
            "name": author.get("global_name") or author["username"],
            "bot": bool(author.get("bot")),
        },
        "content": message.get("content") or "",
        "timestamp": message["timestamp"],
        "edited": message.get("edited_timestamp") is not None,
        "ephemeral": bool(int(message.get("flags") or 0) & 64),
        "loading": bool(int(message.get("flags") or 0) & 128),
        "embeds": copy.deepcopy(message.get("embeds") or []),
        "components": copy.deepcopy(message.get("components") or []),
        "attachments": [
            {
                "filename": a.get("filename"),
                "url": _local_path(str(a.get("url") or "")),
                "content_type": a.get("content_type"),
                "size": a.get("size"),
            }
            for a in message.get("attachments") or []
        ],
        "interaction": _interaction_note(message),
    }


def _local_path(url: str) -> str:
    """An attachment URL made relative, so it works on 127.0.0.1 or localhost alike."""
    marker = url.find("/attachments/")
    return url[marker:] if marker >= 0 else url


def _interaction_note(message: JSON) -> Any:
    meta = message.get("interaction_metadata") or message.get("interaction")
    if not isinstance(meta, dict):
        return None
    user = meta.get("user") or {}
    return {"name": meta.get("name"), "user": user.get("global_name") or user.get("username")}
