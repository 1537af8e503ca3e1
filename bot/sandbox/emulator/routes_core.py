"""REST: the bot's own user, its application, the gateway URL, and application commands."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.emulator.core import EmulatorCore
from bot.sandbox.emulator.errors import UNKNOWN_COMMAND, UNKNOWN_USER, FormErrors, not_found
from bot.sandbox.emulator.routing import Call, Route
from bot.sandbox.emulator.state import JSON


async def get_me(emu: EmulatorCore, call: Call) -> Any:
    """The bot's own user, with the account fields only `/users/@me` carries."""
    return {**copy.deepcopy(emu.bot_user), "mfa_enabled": False, "locale": "en-US"}


async def get_user(emu: EmulatorCore, call: Call) -> Any:
    user = emu.state.users.get(call.snowflake("user_id"))
    if user is None:
        raise not_found(UNKNOWN_USER, "User")
    return copy.deepcopy(user)


async def get_application(emu: EmulatorCore, call: Call) -> Any:
    return {
        "id": str(emu.application_id),
        "name": emu.bot_user["global_name"],
        "icon": None,
        "description": "iopbot running against the loopback emulator",
        "rpc_origins": [],
        "bot_public": False,
        "bot_require_code_grant": False,
        "bot": copy.deepcopy(emu.bot_user),
        "owner": copy.deepcopy(emu.owner_user),
        "team": None,
        "verify_key": "0" * 64,
        "flags": (1 << 15) | (1 << 19),  # members + message content (limited) intents
        "summary": "",
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": len(emu.state.guilds_of(emu.bot_id)),
        "integration_types_config": {"0": {}},
        "type": None,
        "flags_new": str((1 << 15) | (1 << 19)),
        "role_connections_verification_url": None,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
    }


async def get_gateway(emu: EmulatorCore, call: Call) -> Any:
    return {"url": f"ws://{emu.host_port}/gateway"}


async def get_gateway_bot(emu: EmulatorCore, call: Call) -> Any:
    return {
        "url": f"ws://{emu.host_port}/gateway",
        "shards": 1,
        "session_start_limit": {
            "total": 1000,
            "remaining": 1000,
            "reset_after": 86_400_000,
            "max_concurrency": 1,
        },
    }


def _check_application(emu: EmulatorCore, call: Call) -> None:
    if call.snowflake("application_id") != emu.application_id:
        raise not_found(10002, "Application")


def _guild_scope(emu: EmulatorCore, call: Call) -> int | None:
    _check_application(emu, call)
    if "guild_id" not in call.params:
        return None
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return guild.id


async def list_commands(emu: EmulatorCore, call: Call) -> Any:
    scope = _guild_scope(emu, call)
    return [copy.deepcopy(c) for c in emu.state.commands.get(scope, {}).values()]


async def get_command(emu: EmulatorCore, call: Call) -> Any:
    scope = _guild_scope(emu, call)
    command = emu.state.commands.get(scope, {}).get(call.snowflake("command_id"))
    if command is None:
        raise not_found(UNKNOWN_COMMAND, "application command")
    return copy.deepcopy(command)


async def overwrite_commands(emu: EmulatorCore, call: Call) -> Any:
    scope = _guild_scope(emu, call)
    body = call.body
    if not isinstance(body, list):
        errors = FormErrors()
        errors.add((), "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        errors.raise_if_any()
    _validate_commands(body)
    old = {(c["name"], c.get("type", 1)): c for c in emu.state.commands.get(scope, {}).values()}
    result: dict[int, JSON] = {}
    for item in body:
        kind = int(item.get("type", 1))
        previous = old.get((item["name"], kind))
        cid = int(previous["id"]) if previous else emu.state.ids.next()
        command = copy.deepcopy(item)
        command.update(
            {
                "id": str(cid),
                "application_id": str(emu.application_id),
                "type": kind,
                "version": str(emu.state.ids.next()),
                "description": item.get("description", ""),
                "default_member_permissions": _permissions_text(
                    item.get("default_member_permissions")
                ),
                "nsfw": bool(item.get("nsfw", False)),
                # Discord fills the default (guild install) when the bot sends null.
                "integration_types": item.get("integration_types") or [0],
            }
        )
        if scope is not None:
            command["guild_id"] = str(scope)
        result[cid] = command
    emu.state.commands[scope] = result
    return [copy.deepcopy(c) for c in result.values()]


def _permissions_text(value: Any) -> str | None:
    """Discord answers permission bits as a string, whichever way they were sent."""
    return None if value is None else str(value)


def _validate_commands(commands: list[JSON]) -> None:
    errors = FormErrors()
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        name = str(command.get("name") or "")
        kind = int(command.get("type", 1))
        if not name or len(name) > 32:
            errors.add(
                (index, "name"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
            )
        if kind == 1 and name != name.lower():
            errors.add((index, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
        if (name, kind) in seen:
            errors.add((index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate name")
        seen.add((name, kind))
        if kind == 1 and len(str(command.get("description") or "")) > 100:
            errors.too_long((index, "description"), 100)
        if len(command.get("options") or []) > 25:
            errors.too_long((index, "options"), 25)
    errors.raise_if_any()


APP = "/applications/{application_id}"
ROUTES = [
    Route("GET", "/users/@me", get_me),
    Route("GET", "/users/{user_id}", get_user),
    Route("GET", "/oauth2/applications/@me", get_application),
    Route("GET", "/applications/@me", get_application),
    Route("GET", "/gateway", get_gateway, needs_auth=False),
    Route("GET", "/gateway/bot", get_gateway_bot),
    Route("GET", APP + "/commands", list_commands),
    Route(
        "PUT", APP + "/commands", overwrite_commands, limit=5, period=20, major=("application_id",)
    ),
    Route("GET", APP + "/commands/{command_id}", get_command),
    Route("GET", APP + "/guilds/{guild_id}/commands", list_commands, major=("guild_id",)),
    Route(
        "PUT",
        APP + "/guilds/{guild_id}/commands",
        overwrite_commands,
        limit=5,
        period=20,
        major=("guild_id",),
    ),
    Route(
        "GET", APP + "/guilds/{guild_id}/commands/{command_id}", get_command, major=("guild_id",)
    ),
]
