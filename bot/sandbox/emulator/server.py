"""`Emulator`: the HTTP server (REST, gateway, control API) and the Python-level API.

emulator = Emulator(token="sandbox-token")
await emulator.start()            # port 0 picks a free port
discord.http.Route.BASE = f"{emulator.base_url}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)
"""

from __future__ import annotations

import asyncio
import copy
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator import (
    routes_channels,
    routes_core,
    routes_events,
    routes_guilds,
    routes_interactions,
)
from bot.sandbox.emulator.automod import apply_automod
from bot.sandbox.emulator.core import EmulatorCore, utc_now
from bot.sandbox.emulator.errors import ApiError, json_response, no_content
from bot.sandbox.emulator.ratelimit import InjectedLimit
from bot.sandbox.emulator.results import InteractionResult
from bot.sandbox.emulator.routing import Call, Router, parse_body
from bot.sandbox.emulator.state import JSON, Guild, iso
from bot.sandbox.emulator.views import BOT_PERMISSIONS, summarise

log = logging.getLogger(__name__)

ClockDriver = Callable[[timedelta], Awaitable[None]]
ALL_ROUTES = (
    routes_core.ROUTES
    + routes_channels.ROUTES
    + routes_guilds.ROUTES
    + routes_events.ROUTES
    + routes_interactions.ROUTES
)


class Emulator(EmulatorCore):
    def __init__(
        self,
        *,
        token: str = "sandbox-token",  # noqa: S107 - the emulator's fake token
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        now: Callable[[], datetime] = utc_now,
        bot_name: str = "iopbot",
    ) -> None:
        super().__init__(token=token, now=now, bot_name=bot_name)
        self.host = host
        self.port = port
        self.latency = latency
        self.router = Router(list(ALL_ROUTES))
        self.clock_driver: ClockDriver | None = None
        self._runner: web.AppRunner | None = None

    # ----- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        from bot.sandbox.emulator.control import add_control_routes

        app = web.Application(client_max_size=25 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self.gateway.handle)
        app.router.add_route(
            "GET", "/attachments/{channel_id}/{attachment_id}/{name}", self._attachment
        )
        add_control_routes(app, self)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_route("*", "/api/{tail:.*}", self._unknown_api)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        sockets: Any = getattr(site._server, "sockets", None)
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        self.base_url = f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        await self.gateway.close_all(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def api_base(self) -> str:
        """What `discord.api_base` should be set to (discord.py adds `/api/v10`)."""
        return self.base_url

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_control"

    # ----- REST plumbing ----------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        self.last_request_at = time.monotonic()
        path = "/" + request.match_info["tail"]
        entry: JSON = {"at": iso(self.now()), "method": request.method, "path": path}
        self.requests.append(entry)
        found = self.router.match(request.method, path)
        if found is None:
            return self._unimplemented(entry, request)
        route, params = found
        entry["route"] = f"{route.method} {route.template}"
        for secret in ("interaction_token", "webhook_token"):
            if secret in params:
                entry["path"] = entry["path"].replace(params[secret], "{token}")
        if route.needs_auth and not self._authorised(request):
            entry["status"] = 401
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        major = ":".join(params.get(name, "") for name in route.major)
        decision = self.limiter.check(
            route.rule,
            major,
            self.token,
            method=request.method,
            path=path,
            exempt=route.global_exempt,
        )
        if not decision.allowed:
            entry["status"] = 429
            entry["rate_limited"] = "global" if decision.is_global else "bucket"
            body = {
                "message": "You are being rate limited.",
                "retry_after": decision.retry_after,
                "global": decision.is_global,
                "code": 0,
            }
            return json_response(body, status=429, headers=decision.headers)
        response = await self._call(route.handler, request, params, entry)
        response.headers.update(decision.headers)
        response.headers["Via"] = "1.1 google"
        return response

    async def _call(
        self, handler: Any, request: web.Request, params: dict[str, str], entry: JSON
    ) -> web.Response:
        try:
            body, files = await parse_body(request)
            result = await handler(
                self, Call(request=request, params=params, body=body, files=files)
            )
        except ApiError as error:
            entry["status"] = error.status
            entry["error_code"] = error.code
            return json_response(error.body(), status=error.status)
        if isinstance(result, web.Response):
            entry["status"] = result.status
            return result
        if result is None:
            entry["status"] = 204
            return no_content()
        entry["status"] = 200
        return json_response(result)

    def _authorised(self, request: web.Request) -> bool:
        given = request.headers.get("Authorization", "")
        return secrets.compare_digest(given, f"Bot {self.token}")

    def _unimplemented(self, entry: JSON, request: web.Request) -> web.Response:
        entry["status"] = 404
        entry["unimplemented"] = True
        self.unimplemented.append({"method": request.method, "path": entry["path"]})
        log.warning("emulator: unimplemented route %s %s", request.method, entry["path"])
        return json_response({"message": "404: Not Found", "code": 0}, status=404)

    async def _unknown_api(self, request: web.Request) -> web.Response:
        entry: JSON = {"at": iso(self.now()), "method": request.method, "path": request.path}
        self.requests.append(entry)
        return self._unimplemented(entry, request)

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.state.attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return json_response({"message": "404: Not Found", "code": 0}, status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # ----- world building ---------------------------------------------------------------

    def create_user(self, name: str, *, bot: bool = False) -> JSON:
        return copy.deepcopy(self.state.add_user(name, bot=bot))

    def create_guild(
        self, name: str, *, owner_id: int | None = None, bot_permissions: int = BOT_PERMISSIONS
    ) -> Guild:
        """A guild owned by `owner_id` (the sandbox owner by default), with the bot in it.

        Like inviting a bot, this adds its managed role with `bot_permissions`.
        """
        owner = owner_id or int(self.owner_user["id"])
        guild = self.state.add_guild(name, owner)
        self.state.add_member(guild, owner)
        bot_role = self.state.add_role(
            guild, str(self.bot_user["global_name"]), permissions=bot_permissions, managed=True
        )
        bot_role["tags"] = {"bot_id": self.bot_user["id"]}
        self.state.add_member(guild, self.bot_id, [int(bot_role["id"])])
        if self.gateway.is_connected:
            self.gateway.dispatch("GUILD_CREATE", self.guild_create_payloads()[-1])
        return guild

    def create_role(
        self, guild_id: int, name: str, *, permissions: int = 0, **options: Any
    ) -> JSON:
        guild = self.state.guilds[guild_id]
        if "position" not in options:
            # Like an admin would: new roles go just below the bot's own role.
            bot_role = max(
                (guild.roles[int(r)] for r in guild.members[self.bot_id]["roles"]),
                key=lambda r: int(r["position"]),
            )
            options["position"] = int(bot_role["position"])
            bot_role["position"] = int(bot_role["position"]) + 1
        role = self.state.add_role(guild, name, permissions=permissions, **options)
        self.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild_id), "role": role})
        return copy.deepcopy(role)

    def create_channel(
        self,
        guild_id: int,
        name: str,
        *,
        kind: int = 0,
        overwrites: list[JSON] | None = None,
        topic: str | None = None,
    ) -> JSON:
        guild = self.state.guilds[guild_id]
        channel = self.state.add_channel(guild, name, kind=kind, overwrites=overwrites, topic=topic)
        self.gateway.dispatch("CHANNEL_CREATE", self.channel_payload(channel))
        return self.channel_payload(channel)

    def add_member(self, guild_id: int, user: int | str, *, roles: list[int] | None = None) -> JSON:
        """Make a user (id, or a new user by name) a member with `roles`; GUILD_MEMBER_ADD."""
        guild = self.state.guilds[guild_id]
        user_id = user if isinstance(user, int) else int(self.state.add_user(user)["id"])
        for role_id in roles or []:
            if role_id not in guild.roles:
                raise KeyError(f"no role {role_id} in guild {guild_id}")
        member = self.state.add_member(guild, user_id, roles)
        self.gateway.dispatch(
            "GUILD_MEMBER_ADD", {**copy.deepcopy(member), "guild_id": str(guild_id)}
        )
        return copy.deepcopy(member)

    def remove_member(self, guild_id: int, user_id: int) -> None:
        guild = self.state.guilds[guild_id]
        member = guild.members.pop(user_id)
        self.gateway.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": str(guild_id), "user": member["user"]}
        )

    def set_member_roles(self, guild_id: int, user_id: int, roles: list[int]) -> JSON:
        guild = self.state.guilds[guild_id]
        member = guild.members[user_id]
        member["roles"] = [str(r) for r in roles]
        self.dispatch_member_update(guild, member)
        return copy.deepcopy(member)

    def set_dms_open(self, user_id: int, is_open: bool) -> None:
        """Close (or reopen) a user's DMs: the bot's sends then fail with 403/50007."""
        if is_open:
            self.state.dms_closed.discard(user_id)
        else:
            self.state.dms_closed.add(user_id)

    async def post_message(self, user_id: int, channel_id: int, content: str) -> JSON:
        """A user posts in a channel (or their DM with the bot); the bot gets MESSAGE_CREATE.

        Enabled AutoMod keyword rules run first; a blocked post returns
        `{"automod_blocked": true, ...}` and is not stored.
        """
        channel = self.state.channels[channel_id]
        guild = self.state.guild_of_channel(channel)
        if guild is not None:
            allowed = perm.channel_permissions(
                guild, self.effective_channel(channel), user_id, self.now()
            )
            if allowed & perm.SEND_MESSAGES != perm.SEND_MESSAGES:
                raise PermissionError(
                    f"user {user_id} cannot send messages in {channel.get('name')}"
                )
        if apply_automod(self, channel, user_id, content):
            return {"automod_blocked": True, "channel_id": channel["id"], "content": content}
        author = self.state.users[user_id]
        message = self.build_message(channel, author, {"content": content}, [])
        self.deliver(channel, message)
        return copy.deepcopy(message)

    def dm_channel_for(self, user_id: int) -> JSON:
        return self.channel_payload(self.state.dm_channel(user_id, self.bot_user))

    # ----- reading state ----------------------------------------------------------------

    def find_channel(self, guild_id: int, name: str) -> JSON | None:
        wanted = name.lstrip("#")
        for channel in self.state.guild_channels(guild_id):
            if channel.get("name") == wanted:
                return self.channel_payload(channel)
        return None

    def channel_label(self, channel_id: int) -> str:
        return self.state.channel_label(channel_id)

    def user_name(self, user_id: int) -> str:
        return self.state.display_name(user_id)

    def channel_messages(self, channel_id: int) -> list[JSON]:
        return [summarise(m) for m in self.state.messages_in(channel_id)]

    def dm_messages(self, user_id: int) -> list[JSON]:
        channel_id = self.state.dm_channel_by_user.get(user_id)
        return [] if channel_id is None else self.channel_messages(channel_id)

    def ephemeral_messages(self, user_id: int) -> list[JSON]:
        return [
            summarise(s.data)
            for s in self.state.messages.values()
            if s.ephemeral and s.recipient_id == user_id and not s.deleted
        ]

    def commands_for_guild(self, guild_id: int | None) -> list[JSON]:
        return [copy.deepcopy(c) for c in self.state.commands.get(guild_id, {}).values()]

    @property
    def bot_connected(self) -> bool:
        return self.gateway.is_connected

    def rate_limit_counts(self) -> dict[str, int]:
        statuses = [r.get("rate_limited") for r in self.requests]
        return {"global": statuses.count("global"), "bucket": statuses.count("bucket")}

    def messages_sent(self, channel_id: int) -> int:
        return len(self.state.messages_in(channel_id))

    # ----- actions as users -------------------------------------------------------------

    async def slash(
        self,
        user_id: int,
        channel_id: int,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        check_visibility: bool = True,
    ) -> InteractionResult:
        return await self.interactions.slash(
            user_id, channel_id, command, options or {}, check_visibility=check_visibility
        )

    async def click(
        self, user_id: int, message_id: int, custom_id: str, *, values: list[str] | None = None
    ) -> InteractionResult:
        return await self.interactions.click(user_id, message_id, custom_id, values=values)

    async def submit_modal(
        self, user_id: int, custom_id: str, values: dict[str, Any]
    ) -> InteractionResult:
        return await self.interactions.submit_modal(user_id, custom_id, values)

    async def context_menu(self, user_id: int, message_id: int, name: str) -> InteractionResult:
        return await self.interactions.context_menu(user_id, message_id, name)

    # ----- clock, network and limits ----------------------------------------------------

    def set_clock_driver(self, driver: ClockDriver) -> None:
        """`advance(delta)` awaits `driver(delta)` (moves the bot's clock, runs due work)."""
        self.clock_driver = driver

    async def advance(self, delta: timedelta) -> None:
        if self.clock_driver is None:
            raise RuntimeError("no clock driver registered; the sandbox runner sets one")
        await self.clock_driver(delta)
        await self.settle()

    async def settle(self, seconds: float = 0.2, *, limit: float = 10.0) -> None:
        """Wait until no REST request arrived for `seconds` (at most `limit` seconds)."""
        started = time.monotonic()
        await asyncio.sleep(0.01)
        while time.monotonic() - started < limit:
            quiet = time.monotonic() - self.last_request_at
            if quiet >= seconds:
                return
            await asyncio.sleep(min(seconds - quiet, 0.05) + 0.001)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket server-side; discord.py reconnects and RESUMEs."""
        await self.gateway.close_all(code=code)

    def inject_rate_limit(
        self,
        method: str,
        path_contains: str,
        *,
        retry_after: float = 0.5,
        is_global: bool = False,
        count: int = 1,
    ) -> None:
        """The next `count` matching requests get a 429 (discord.py waits and retries)."""
        self.limiter.inject(InjectedLimit(method, path_contains, retry_after, is_global, count))

    def set_latency(self, seconds: float) -> None:
        self.latency = max(seconds, 0.0)

    def request_log(self) -> JSON:
        return {
            "requests": copy.deepcopy(self.requests),
            "unimplemented": copy.deepcopy(self.unimplemented),
            "rate_limited": self.rate_limit_counts(),
            "total": len(self.requests),
        }
