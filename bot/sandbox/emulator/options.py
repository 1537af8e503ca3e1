"""Slash-command option building (with resolved data) and component lookup."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator.results import InteractionError
from bot.sandbox.emulator.state import JSON, State

if TYPE_CHECKING:
    from bot.sandbox.emulator.base import CoreBase

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10


def find_command(state: State, guild_id: int | None, name: str, *, kind: int) -> JSON | None:
    scopes: list[int | None] = [guild_id, None] if guild_id is not None else [None]
    for scope in scopes:
        for command in state.commands.get(scope, {}).values():
            if command["name"] == name and int(command.get("type", 1)) == kind:
                return command
    return None


def walk_components(rows: list[JSON]) -> Iterator[JSON]:
    for item in rows:
        yield item
        yield from walk_components(item.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(item.get(key), dict):
                yield from walk_components([item[key]])


def build_options(
    core: CoreBase,
    definition: JSON,
    path: list[str],
    given: dict[str, Any],
    guild_id: int | None,
    resolved: JSON,
) -> list[JSON]:
    """The `options` tree for `/a b c` with `given` values at the leaf."""
    chain: list[JSON] = []
    node = definition
    for part in path[1:]:
        child = next(
            (
                o
                for o in node.get("options") or []
                if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if child is None:
            raise InteractionError(f"/{' '.join(path)}: no subcommand {part!r}")
        chain.append(child)
        node = child
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in node.get("options") or []):
        names = [o["name"] for o in node.get("options") or []]
        raise InteractionError(f"/{' '.join(path)} needs a subcommand: {names}")
    leaf = [_option(core, node, name, value, guild_id, resolved) for name, value in given.items()]
    declared = {o["name"]: o for o in node.get("options") or []}
    missing = [n for n, o in declared.items() if o.get("required") and n not in given]
    if missing:
        raise InteractionError(f"/{' '.join(path)}: missing required options {missing}")
    options = leaf
    for sub in reversed(chain):
        options = [{"name": sub["name"], "type": sub["type"], "options": options}]
    return options


def _option(
    core: CoreBase, node: JSON, name: str, value: Any, guild_id: int | None, resolved: JSON
) -> JSON:
    declared = next((o for o in node.get("options") or [] if o["name"] == name), None)
    if declared is None:
        names = [o["name"] for o in node.get("options") or []]
        raise InteractionError(f"/{node['name']} has no option {name!r} (it has {names})")
    kind = int(declared["type"])
    if kind == STRING:
        value = str(value)
    elif kind == INTEGER:
        value = int(value)
    elif kind == NUMBER:
        value = float(value)
    elif kind == BOOLEAN:
        value = value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
    elif kind in (USER, MENTIONABLE):
        value = _resolve_user_or_role(
            core, value, guild_id, resolved, allow_role=kind == MENTIONABLE
        )
    elif kind == CHANNEL:
        value = _resolve_channel(core, value, resolved)
    elif kind == ROLE:
        value = _resolve_role(core, value, guild_id, resolved)
    else:
        raise InteractionError(f"option type {kind} is not supported by the emulator")
    value = _apply_choices(declared, value)
    return {"name": name, "type": kind, "value": value}


def _apply_choices(declared: JSON, value: Any) -> Any:
    choices = declared.get("choices")
    if not choices:
        return value
    for choice in choices:
        if choice["value"] == value:
            return value
    for choice in choices:
        if str(choice["name"]).casefold() == str(value).casefold():
            return choice["value"]
    raise InteractionError(f"option {declared['name']!r}: {value!r} is not one of the choices")


def _user_id(core: CoreBase, value: Any) -> int | None:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value) if int(value) in core.state.users else None
    wanted = str(value).casefold()
    for uid, user in core.state.users.items():
        names = {str(user.get("global_name") or "").casefold(), str(user["username"]).casefold()}
        if wanted in names:
            return uid
    return None


def _resolve_user_or_role(
    core: CoreBase, value: Any, guild_id: int | None, resolved: JSON, *, allow_role: bool
) -> str:
    uid = _user_id(core, value)
    if uid is None:
        if allow_role:
            return _resolve_role(core, value, guild_id, resolved)
        raise InteractionError(f"no user {value!r}")
    resolved.setdefault("users", {})[str(uid)] = copy.deepcopy(core.state.users[uid])
    guild = None if guild_id is None else core.state.guilds.get(guild_id)
    member = None if guild is None else guild.members.get(uid)
    if member is not None:
        shown = {k: copy.deepcopy(v) for k, v in member.items() if k != "user"}
        resolved.setdefault("members", {})[str(uid)] = shown
    return str(uid)


def _resolve_channel(core: CoreBase, value: Any, resolved: JSON) -> str:
    channel = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        channel = core.state.channels.get(int(value))
    else:
        wanted = str(value).lstrip("#")
        channel = next((c for c in core.state.channels.values() if c.get("name") == wanted), None)
    if channel is None:
        raise InteractionError(f"no channel {value!r}")
    resolved.setdefault("channels", {})[channel["id"]] = {
        "id": channel["id"],
        "name": channel.get("name"),
        "type": channel["type"],
        "permissions": str(core.bot_channel_permissions(channel)),
        "parent_id": channel.get("parent_id"),
    }
    return str(channel["id"])


def _resolve_role(core: CoreBase, value: Any, guild_id: int | None, resolved: JSON) -> str:
    guild = None if guild_id is None else core.state.guilds.get(guild_id)
    if guild is None:
        raise InteractionError("role options only work in a guild")
    role = None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        role = guild.roles.get(int(value))
    else:
        role = next((r for r in guild.roles.values() if r["name"] == str(value)), None)
    if role is None:
        raise InteractionError(f"no role {value!r}")
    resolved.setdefault("roles", {})[role["id"]] = copy.deepcopy(role)
    return str(role["id"])
