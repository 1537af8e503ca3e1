"""The control API under `/_control/`: thin JSON handlers over the `Emulator` methods.

Every endpoint is documented with a curl example in docs/sandbox.md.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.emulator.errors import json_response
from bot.sandbox.emulator.results import InteractionError

if TYPE_CHECKING:
    from bot.sandbox.emulator.server import Emulator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_control_routes(app: web.Application, emu: Emulator) -> None:
    def wrap(action: Callable[[web.Request, dict[str, Any]], Awaitable[Any]]) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            body: dict[str, Any] = {}
            if request.can_read_body:
                try:
                    body = json.loads(await request.read() or b"{}")
                except ValueError:
                    return json_response({"error": "the body is not JSON"}, status=400)
            try:
                result = await action(request, body)
            except (InteractionError, KeyError, ValueError, PermissionError) as error:
                return json_response({"error": str(error)}, status=400)
            return json_response(result)

        return handle

    def user(body: dict[str, Any], key: str = "user") -> int:
        return resolve_user(emu, body[key])

    def channel(body: dict[str, Any], key: str = "channel") -> int:
        return resolve_channel(emu, body[key])

    async def state(request: web.Request, body: dict[str, Any]) -> Any:
        return control_state(emu)

    async def create_guild(request: web.Request, body: dict[str, Any]) -> Any:
        guild = emu.create_guild(str(body["name"]))
        return emu.guild_payload(guild)

    async def create_channel(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.create_channel(
            int(body["guild_id"]),
            str(body["name"]),
            kind=int(body.get("type", 0)),
            overwrites=body.get("permission_overwrites"),
            topic=body.get("topic"),
        )

    async def create_role(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.create_role(
            int(body["guild_id"]), str(body["name"]), permissions=int(body.get("permissions", 0))
        )

    async def add_member(request: web.Request, body: dict[str, Any]) -> Any:
        who: int | str = body["user"]
        if isinstance(who, str) and who.isdigit():
            who = int(who)
        roles = [resolve_role(emu, int(body["guild_id"]), r) for r in body.get("roles", [])]
        return emu.add_member(int(body["guild_id"]), who, roles=roles)

    async def post_message(request: web.Request, body: dict[str, Any]) -> Any:
        return await emu.post_message(user(body), channel(body), str(body["content"]))

    async def slash(request: web.Request, body: dict[str, Any]) -> Any:
        result = await emu.slash(
            user(body), channel(body), str(body["command"]), dict(body.get("options") or {})
        )
        return result.to_json()

    async def click(request: web.Request, body: dict[str, Any]) -> Any:
        result = await emu.click(
            user(body), int(body["message_id"]), str(body["custom_id"]), values=body.get("values")
        )
        return result.to_json()

    async def submit_modal(request: web.Request, body: dict[str, Any]) -> Any:
        result = await emu.submit_modal(user(body), str(body["custom_id"]), dict(body["values"]))
        return result.to_json()

    async def context_menu(request: web.Request, body: dict[str, Any]) -> Any:
        result = await emu.context_menu(user(body), int(body["message_id"]), str(body["name"]))
        return result.to_json()

    async def channel_messages(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.channel_messages(resolve_channel(emu, request.match_info["channel"]))

    async def dm_messages(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.dm_messages(resolve_user(emu, request.match_info["user"]))

    async def set_dms(request: web.Request, body: dict[str, Any]) -> Any:
        who = user(body)
        emu.set_dms_open(who, bool(body["open"]))
        return {"user_id": str(who), "dms_open": bool(body["open"])}

    async def request_log(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.request_log()

    async def transcript(request: web.Request, body: dict[str, Any]) -> Any:
        return emu.transcript.entries

    async def advance(request: web.Request, body: dict[str, Any]) -> Any:
        delta = timedelta(
            days=float(body.get("days", 0)),
            hours=float(body.get("hours", 0)),
            minutes=float(body.get("minutes", 0)),
            seconds=float(body.get("seconds", 0)),
        )
        await emu.advance(delta)
        return {"now": emu.now().isoformat()}

    async def latency(request: web.Request, body: dict[str, Any]) -> Any:
        emu.set_latency(float(body["seconds"]))
        return {"latency": emu.latency}

    async def rate_limit(request: web.Request, body: dict[str, Any]) -> Any:
        emu.inject_rate_limit(
            str(body.get("method", "*")),
            str(body["path_contains"]),
            retry_after=float(body.get("retry_after", 0.5)),
            is_global=bool(body.get("global", False)),
            count=int(body.get("count", 1)),
        )
        return {"injected": True}

    async def drop_gateway(request: web.Request, body: dict[str, Any]) -> Any:
        await emu.drop_gateway(int(body.get("code", 4000)))
        return {"dropped": True}

    routes = [
        ("GET", "/_control/state", state),
        ("POST", "/_control/guilds", create_guild),
        ("POST", "/_control/channels", create_channel),
        ("POST", "/_control/roles", create_role),
        ("POST", "/_control/members", add_member),
        ("POST", "/_control/messages", post_message),
        ("POST", "/_control/slash", slash),
        ("POST", "/_control/click", click),
        ("POST", "/_control/modal", submit_modal),
        ("POST", "/_control/context-menu", context_menu),
        ("GET", "/_control/channels/{channel}/messages", channel_messages),
        ("GET", "/_control/users/{user}/dms", dm_messages),
        ("POST", "/_control/dms", set_dms),
        ("GET", "/_control/log", request_log),
        ("GET", "/_control/transcript", transcript),
        ("POST", "/_control/clock/advance", advance),
        ("POST", "/_control/latency", latency),
        ("POST", "/_control/rate-limit", rate_limit),
        ("POST", "/_control/gateway/drop", drop_gateway),
    ]
    for method, path, action in routes:
        app.router.add_route(method, path, wrap(action))


def resolve_user(emu: Emulator, value: Any) -> int:
    """A user id, or a user's display name / username."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    wanted = str(value).casefold()
    for uid, user in emu.state.users.items():
        names = (str(user.get("global_name") or ""), str(user["username"]))
        if any(n.casefold() == wanted or n.casefold().startswith(wanted + " ") for n in names):
            return uid
    raise KeyError(f"no user {value!r}")


def resolve_channel(emu: Emulator, value: Any) -> int:
    """A channel id, or a guild channel's name."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    wanted = str(value).lstrip("#")
    for cid, channel in emu.state.channels.items():
        if channel.get("name") == wanted:
            return cid
    raise KeyError(f"no channel {value!r}")


def resolve_role(emu: Emulator, guild_id: int, value: Any) -> int:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    for rid, role in emu.state.guilds[guild_id].roles.items():
        if role["name"].casefold() == str(value).casefold():
            return rid
    raise KeyError(f"no role {value!r}")


def control_state(emu: Emulator) -> dict[str, Any]:
    guilds = []
    for guild in emu.state.guilds.values():
        guilds.append(
            {
                "id": str(guild.id),
                "name": guild.data["name"],
                "owner_id": guild.data["owner_id"],
                "roles": [
                    {
                        "id": r["id"],
                        "name": r["name"],
                        "permissions": r["permissions"],
                        "position": r["position"],
                    }
                    for r in guild.roles.values()
                ],
                "members": [
                    {
                        "user_id": m["user"]["id"],
                        "name": m["user"].get("global_name") or m["user"]["username"],
                        "roles": m["roles"],
                        "communication_disabled_until": m["communication_disabled_until"],
                        "dms_open": int(uid) not in emu.state.dms_closed,
                    }
                    for uid, m in guild.members.items()
                ],
                "channels": [
                    {
                        "id": c["id"],
                        "name": c.get("name"),
                        "type": c["type"],
                        "permission_overwrites": c.get("permission_overwrites", []),
                    }
                    for c in emu.state.guild_channels(guild.id)
                ],
                "scheduled_events": [
                    e for e in emu.state.scheduled_events.values() if e["guild_id"] == str(guild.id)
                ],
                "automod_rules": [
                    r for r in emu.state.automod_rules.values() if r["guild_id"] == str(guild.id)
                ],
                "commands": [
                    {"id": c["id"], "name": c["name"], "type": c.get("type", 1)}
                    for c in emu.state.commands.get(guild.id, {}).values()
                ],
            }
        )
    return {
        "now": emu.now().isoformat(),
        "bot": {"id": str(emu.bot_id), "connected": emu.bot_connected},
        "guilds": guilds,
        "global_commands": [c["name"] for c in emu.state.commands.get(None, {}).values()],
    }
