"""REST: guilds, guild channels, roles and members (incl. timeouts and role changes)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.core import EmulatorCore
from bot.sandbox.emulator.errors import (
    UNKNOWN_MEMBER,
    UNKNOWN_ROLE,
    ApiError,
    FormErrors,
    json_response,
    missing_permissions,
    not_found,
)
from bot.sandbox.emulator.routes_channels import normalise_overwrite
from bot.sandbox.emulator.routing import Call, Route
from bot.sandbox.emulator.state import JSON, Guild

MAX_TIMEOUT = timedelta(days=28)


async def get_guild(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    data = emu.guild_payload(guild)
    if call.query("with_counts") in ("true", "1"):
        data["approximate_presence_count"] = 0
    return data


async def list_channels(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return [emu.channel_payload(c) for c in emu.state.guild_channels(guild.id)]


async def create_channel(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_CHANNELS)
    body = call.json()
    name = str(body.get("name") or "")
    errors = FormErrors()
    if not 1 <= len(name) <= 100:
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    if body.get("topic") and len(str(body["topic"])) > 1024:
        errors.too_long(("topic",), 1024)
    errors.raise_if_any()
    overwrites = [normalise_overwrite(o) for o in body.get("permission_overwrites") or []]
    bot_perms = perm.base_permissions(guild, emu.bot_id)
    for overwrite in overwrites:
        granted = int(overwrite["allow"]) | int(overwrite["deny"])
        if bot_perms != perm.ALL and granted & ~bot_perms:
            raise missing_permissions()
    if int(body.get("type", 0)) == 0:
        name = name.lower().replace(" ", "-")
    channel = emu.state.add_channel(
        guild,
        name,
        kind=int(body.get("type", 0)),
        overwrites=overwrites,
        topic=body.get("topic"),
        parent_id=int(body["parent_id"]) if body.get("parent_id") else None,
    )
    emu.gateway.dispatch("CHANNEL_CREATE", emu.channel_payload(channel))
    return json_response(emu.channel_payload(channel), status=201)


async def list_roles(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return [copy.deepcopy(r) for r in guild.roles.values()]


async def create_role(emu: EmulatorCore, call: Call) -> Any:
    """POST /guilds/{id}/roles: a new role goes to the bottom (position 1), like Discord."""
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_ROLES)
    body = call.json() if call.body is not None else {}
    name = str(body.get("name") or "new role")
    if len(name) > 100:
        errors = FormErrors()
        errors.too_long(("name",), 100)
        errors.raise_if_any()
    permissions = int(body.get("permissions") or 0)
    bot_perms = perm.base_permissions(guild, emu.bot_id)
    if bot_perms != perm.ALL and permissions & ~bot_perms:
        raise missing_permissions()
    for role in guild.roles.values():
        if int(role["id"]) != guild.id:
            role["position"] = int(role["position"]) + 1
    role = emu.state.add_role(
        guild,
        name,
        permissions=permissions,
        position=1,
        color=int(body.get("color") or 0),
        hoist=bool(body.get("hoist", False)),
        mentionable=bool(body.get("mentionable", False)),
    )
    emu.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role})
    return copy.deepcopy(role)


async def list_my_guilds(emu: EmulatorCore, call: Call) -> Any:
    """GET /users/@me/guilds: partial guilds, with the bot's permissions."""
    return [
        {
            "id": str(guild.id),
            "name": guild.data["name"],
            "icon": None,
            "banner": None,
            "owner": False,
            "permissions": str(perm.base_permissions(guild, emu.bot_id)),
            "features": list(guild.data.get("features") or []),
        }
        for guild in emu.state.guilds_of(emu.bot_id)
    ]


def _member_or_404(guild: Guild, user_id: int) -> JSON:
    member = guild.members.get(user_id)
    if member is None:
        raise not_found(UNKNOWN_MEMBER, "Member")
    return member


async def list_members(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    limit = int(call.query("limit") or 1)
    after = int(call.query("after") or 0)
    members = sorted(guild.members.items())
    return [copy.deepcopy(m) for uid, m in members if uid > after][:limit]


async def get_member(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return copy.deepcopy(_member_or_404(guild, call.snowflake("user_id")))


def _check_outranks(emu: EmulatorCore, guild: Guild, target_id: int) -> None:
    if target_id == guild.owner_id:
        raise missing_permissions()
    mine = perm.highest_role_position(guild, emu.bot_id)
    if target_id != emu.bot_id and perm.highest_role_position(guild, target_id) >= mine:
        raise missing_permissions()


def _check_role_assignable(emu: EmulatorCore, guild: Guild, role_id: int) -> JSON:
    role = guild.roles.get(role_id)
    if role is None:
        raise not_found(UNKNOWN_ROLE, "Role")
    emu.require_guild_permissions(guild, perm.MANAGE_ROLES)
    if role["managed"] or role_id == guild.id:
        raise missing_permissions()
    if int(role["position"]) >= perm.highest_role_position(guild, emu.bot_id):
        raise missing_permissions()
    return role


def _set_timeout(emu: EmulatorCore, guild: Guild, member: JSON, target: int, value: Any) -> None:
    emu.require_guild_permissions(guild, perm.MODERATE_MEMBERS)
    _check_outranks(emu, guild, target)
    if perm.base_permissions(guild, target) & perm.ADMINISTRATOR:
        raise missing_permissions()
    if value is None:
        member["communication_disabled_until"] = None
        return
    until = datetime.fromisoformat(str(value))
    if until.tzinfo is None or until - emu.now() > MAX_TIMEOUT:
        errors = FormErrors()
        errors.add(
            ("communication_disabled_until",),
            "BASE_TYPE_BAD_TIME",
            "Timeout must be less than 28 days in the future.",
        )
        errors.raise_if_any()
    member["communication_disabled_until"] = until.isoformat()


async def edit_member(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    target = call.snowflake("user_id")
    member = _member_or_404(guild, target)
    body = call.json()
    if "communication_disabled_until" in body:
        _set_timeout(emu, guild, member, target, body["communication_disabled_until"])
    if "roles" in body:
        wanted = {int(r) for r in body["roles"] or []}
        current = {int(r) for r in member["roles"]}
        for role_id in wanted ^ current:
            _check_role_assignable(emu, guild, role_id)
        member["roles"] = [str(r) for r in sorted(wanted)]
    if "nick" in body:
        emu.require_guild_permissions(guild, perm.MANAGE_NICKNAMES)
        _check_outranks(emu, guild, target)
        member["nick"] = body["nick"]
    for key in ("mute", "deaf", "channel_id"):
        if key in body:
            raise ApiError(400, 40032, "Target user is not connected to voice.")
    emu.dispatch_member_update(guild, member)
    return copy.deepcopy(member)


async def add_member_role(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    member = _member_or_404(guild, call.snowflake("user_id"))
    role_id = call.snowflake("role_id")
    _check_role_assignable(emu, guild, role_id)
    if str(role_id) not in member["roles"]:
        member["roles"].append(str(role_id))
        emu.dispatch_member_update(guild, member)
    return None


async def remove_member_role(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    member = _member_or_404(guild, call.snowflake("user_id"))
    role_id = call.snowflake("role_id")
    _check_role_assignable(emu, guild, role_id)
    if str(role_id) in member["roles"]:
        member["roles"].remove(str(role_id))
        emu.dispatch_member_update(guild, member)
    return None


G = "/guilds/{guild_id}"
ROUTES = [
    Route("GET", G, get_guild, major=("guild_id",)),
    Route("GET", G + "/channels", list_channels, major=("guild_id",)),
    Route("POST", G + "/channels", create_channel, 5, 5, ("guild_id",)),
    Route("GET", G + "/roles", list_roles, major=("guild_id",)),
    Route("POST", G + "/roles", create_role, 10, 10, ("guild_id",)),
    Route("GET", "/users/@me/guilds", list_my_guilds, limit=1, period=1),
    Route("GET", G + "/members", list_members, 10, 10, ("guild_id",)),
    Route("GET", G + "/members/{user_id}", get_member, 5, 1, ("guild_id",)),
    Route("PATCH", G + "/members/{user_id}", edit_member, 10, 10, ("guild_id",)),
    Route("PUT", G + "/members/{user_id}/roles/{role_id}", add_member_role, 10, 10, ("guild_id",)),
    Route(
        "DELETE",
        G + "/members/{user_id}/roles/{role_id}",
        remove_member_role,
        10,
        10,
        ("guild_id",),
    ),
]
