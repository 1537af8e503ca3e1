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
from bot.sandbox.emulator.state import Guild

if TYPE_CHECKING:
    from bot.sandbox.emulator.server import Emulator

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Action = Callable[[web.Request, dict[str, Any]], Awaitable[Any]]


def add_control_routes(app: web.Application, emu: Emulator) -> None:
    for method, path, action in ControlApi(emu).routes():
        app.router.add_route(method, path, _wrap(action))
    add_admin_routes(app, emu)


def add_admin_routes(app: web.Application, emu: Emulator) -> None:
    """Member roles and bot restarts (control_admin.py)."""
    from bot.sandbox.emulator.control_admin import admin_routes

    for method, path, action in admin_routes(emu):
        app.router.add_route(method, path, _wrap(action))


def _wrap(action: Action) -> Handler:
    """A JSON-in, JSON-out handler; bad input (unknown names, bad values) is a 400."""

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
        except RuntimeError as error:  # e.g. no bot to restart (a bare emulator)
            return json_response({"error": str(error)}, status=409)
        return json_response(result)

    return handle


class ControlApi:
    """One method per endpoint; users and channels may be given by id or by name."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    def routes(self) -> list[tuple[str, str, Action]]:
        return [
            ("GET", "/_control/state", self.state),
            ("POST", "/_control/guilds", self.create_guild),
            ("POST", "/_control/channels", self.create_channel),
            ("POST", "/_control/roles", self.create_role),
            ("POST", "/_control/members", self.add_member),
            ("POST", "/_control/messages", self.post_message),
            ("POST", "/_control/slash", self.slash),
            ("POST", "/_control/click", self.click),
            ("POST", "/_control/modal", self.submit_modal),
            ("POST", "/_control/context-menu", self.context_menu),
            ("GET", "/_control/channels/{channel}/messages", self.channel_messages),
            ("GET", "/_control/users/{user}/dms", self.dm_messages),
            ("POST", "/_control/dms", self.set_dms),
            ("POST", "/_control/overwrites", self.set_overwrite),
            ("GET", "/_control/log", self.request_log),
            ("GET", "/_control/transcript", self.transcript),
            ("POST", "/_control/clock/advance", self.advance),
            ("POST", "/_control/latency", self.latency),
            ("POST", "/_control/rate-limit", self.rate_limit),
            ("POST", "/_control/gateway/drop", self.drop_gateway),
        ]

    def user(self, body: dict[str, Any], key: str = "user") -> int:
        return resolve_user(self.emu, body[key])

    def channel(self, body: dict[str, Any], key: str = "channel") -> int:
        return resolve_channel(self.emu, body[key])

    async def state(self, request: web.Request, body: dict[str, Any]) -> Any:
        return control_state(self.emu)

    async def create_guild(self, request: web.Request, body: dict[str, Any]) -> Any:
        guild = self.emu.create_guild(str(body["name"]))
        return self.emu.guild_payload(guild)

    async def create_channel(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.create_channel(
            int(body["guild_id"]),
            str(body["name"]),
            kind=int(body.get("type", 0)),
            overwrites=body.get("permission_overwrites"),
            topic=body.get("topic"),
        )

    async def create_role(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.create_role(
            int(body["guild_id"]), str(body["name"]), permissions=int(body.get("permissions", 0))
        )

    async def add_member(self, request: web.Request, body: dict[str, Any]) -> Any:
        who: int | str = body["user"]
        if isinstance(who, str) and who.isdigit():
            who = int(who)
        roles = [resolve_role(self.emu, int(body["guild_id"]), r) for r in body.get("roles", [])]
        return self.emu.add_member(int(body["guild_id"]), who, roles=roles)

    async def post_message(self, request: web.Request, body: dict[str, Any]) -> Any:
        return await self.emu.post_message(
            self.user(body), self.channel(body), str(body["content"])
        )

    async def slash(self, request: web.Request, body: dict[str, Any]) -> Any:
        result = await self.emu.slash(
            self.user(body),
            self.channel(body),
            str(body["command"]),
            dict(body.get("options") or {}),
        )
        return result.to_json()

    async def click(self, request: web.Request, body: dict[str, Any]) -> Any:
        result = await self.emu.click(
            self.user(body),
            int(body["message_id"]),
            str(body["custom_id"]),
            values=body.get("values"),
        )
        return result.to_json()

    async def submit_modal(self, request: web.Request, body: dict[str, Any]) -> Any:
        result = await self.emu.submit_modal(
            self.user(body), str(body["custom_id"]), dict(body["values"])
        )
        return result.to_json()

    async def context_menu(self, request: web.Request, body: dict[str, Any]) -> Any:
        result = await self.emu.context_menu(
            self.user(body), int(body["message_id"]), str(body["name"])
        )
        return result.to_json()

    async def channel_messages(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.channel_messages(resolve_channel(self.emu, request.match_info["channel"]))

    async def dm_messages(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.dm_messages(resolve_user(self.emu, request.match_info["user"]))

    async def set_dms(self, request: web.Request, body: dict[str, Any]) -> Any:
        who = self.user(body)
        self.emu.set_dms_open(who, bool(body["open"]))
        return {"user_id": str(who), "dms_open": bool(body["open"])}

    async def set_overwrite(self, request: web.Request, body: dict[str, Any]) -> Any:
        """``{"channel": …, "target": id, "allow": n, "deny": n, "type": 0|1}``."""
        return self.emu.set_channel_overwrite(
            self.channel(body),
            int(body["target"]),
            allow=int(body.get("allow", 0)),
            deny=int(body.get("deny", 0)),
            kind=int(body.get("type", 1)),
        )

    async def request_log(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.request_log()

    async def transcript(self, request: web.Request, body: dict[str, Any]) -> Any:
        return self.emu.transcript.entries

    async def advance(self, request: web.Request, body: dict[str, Any]) -> Any:
        delta = timedelta(
            days=float(body.get("days", 0)),
            hours=float(body.get("hours", 0)),
            minutes=float(body.get("minutes", 0)),
            seconds=float(body.get("seconds", 0)),
        )
        await self.emu.advance(delta)
        return {"now": self.emu.now().isoformat()}

    async def latency(self, request: web.Request, body: dict[str, Any]) -> Any:
        self.emu.set_latency(float(body["seconds"]))
        return {"latency": self.emu.latency}

    async def rate_limit(self, request: web.Request, body: dict[str, Any]) -> Any:
        self.emu.inject_rate_limit(
            str(body.get("method", "*")),
            str(body["path_contains"]),
            retry_after=float(body.get("retry_after", 0.5)),
            is_global=bool(body.get("global", False)),
            count=int(body.get("count", 1)),
        )
        return {"injected": True}

    async def drop_gateway(self, request: web.Request, body: dict[str, Any]) -> Any:
        await self.emu.drop_gateway(int(body.get("code", 4000)))
        return {"dropped": True}


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
    return {
        "now": emu.now().isoformat(),
        "bot": {"id": str(emu.bot_id), "connected": emu.bot_connected},
        "guilds": [_guild_state(emu, guild) for guild in emu.state.guilds.values()],
        "global_commands": [c["name"] for c in emu.state.commands.get(None, {}).values()],
    }


def _guild_state(emu: Emulator, guild: Guild) -> dict[str, Any]:
    """One guild as `GET /_control/state` shows it."""
    return {
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
