"""Discord's permission calculation: base from roles, then channel overwrites, then timeouts."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.emulator.state import JSON, Guild

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
MANAGE_WEBHOOKS = 1 << 29
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40
MANAGE_EVENTS = 1 << 33
CREATE_EVENTS = 1 << 44
ALL = (1 << 51) - 1

# What a timed-out member keeps (Discord strips everything else).
TIMEOUT_ALLOWED = VIEW_CHANNEL | READ_MESSAGE_HISTORY


def is_timed_out(member: JSON, now: datetime) -> bool:
    until = member.get("communication_disabled_until")
    return until is not None and datetime.fromisoformat(until) > now


def base_permissions(guild: Guild, user_id: int) -> int:
    """Guild-level permissions: owner and administrators get everything."""
    if user_id == guild.owner_id:
        return ALL
    member = guild.members.get(user_id)
    if member is None:
        return 0
    everyone = guild.roles.get(guild.id)
    perms = int(everyone["permissions"]) if everyone else 0
    for role_id in member["roles"]:
        role = guild.roles.get(int(role_id))
        if role is not None:
            perms |= int(role["permissions"])
    if perms & ADMINISTRATOR:
        return ALL
    return perms


def channel_permissions(guild: Guild, channel: JSON, user_id: int, now: datetime) -> int:
    """Permissions in `channel` after overwrites (everyone, roles, member) and timeouts."""
    perms = base_permissions(guild, user_id)
    member = guild.members.get(user_id)
    if perms == ALL:
        return ALL
    if member is None:
        return 0
    overwrites = {int(o["id"]): o for o in channel.get("permission_overwrites", [])}
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
    allow = deny = 0
    for role_id in member["roles"]:
        overwrite = overwrites.get(int(role_id))
        if overwrite is not None and overwrite["type"] == 0:
            allow |= int(overwrite["allow"])
            deny |= int(overwrite["deny"])
    perms = (perms & ~deny) | allow
    own = overwrites.get(user_id)
    if own is not None and own["type"] == 1:
        perms = (perms & ~int(own["deny"])) | int(own["allow"])
    if not perms & VIEW_CHANNEL:
        return 0
    if is_timed_out(member, now):
        perms &= TIMEOUT_ALLOWED
    return perms


def highest_role_position(guild: Guild, user_id: int) -> int:
    if user_id == guild.owner_id:
        return 1 << 30
    member = guild.members.get(user_id)
    if member is None:
        return -1
    positions = [
        int(guild.roles[int(r)]["position"]) for r in member["roles"] if int(r) in guild.roles
    ]
    return max(positions, default=0)
