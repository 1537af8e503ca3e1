"""`Emulator`: the HTTP server (REST, gateway, control API) and the Python-level API.

emulator = Emulator(token="sandbox-token")
await emulator.start()            # port 0 picks a free port
discord.http.Route.BASE = f"{emulator.base_url}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)

The Python API comes from world_api.py (building and reading the world) and user_api.py
(acting as a user); this module adds serving, the REST plumbing and the clock, network
and rate-limit controls.
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

from bot.sandbox.emulator import (
    routes_channels,
    routes_core,
    routes_events,
    routes_guilds,
    routes_interactions,
)
from bot.sandbox.emulator.contract import ContractCheck, ContractLog, load_contract
from bot.sandbox.emulator.core import utc_now
from bot.sandbox.emulator.errors import ApiError, json_response, no_content
from bot.sandbox.emulator.ratelimit import InjectedLimit
from bot.sandbox.emulator.routing import Call, Route, Router, parse_body
from bot.sandbox.emulator.state import JSON, iso
from bot.sandbox.emulator.user_api import UserApi
from bot.sandbox.emulator.world_api import WorldApi

log = logging.getLogger(__name__)

ClockDriver = Callable[[timedelta], Awaitable[None]]
BotRestarter = Callable[..., Awaitable[Any]]
ALL_ROUTES = (
    routes_core.ROUTES
    + routes_channels.ROUTES
    + routes_guilds.ROUTES
    + routes_events.ROUTES
    + routes_interactions.ROUTES
)


class Emulator(UserApi, WorldApi):
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
        self.contract = ContractLog(load_contract())
        self.clock_driver: ClockDriver | None = None
        self.bot_restarter: BotRestarter | None = None
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
        if found is not None:
            for secret in ("interaction_token", "webhook_token"):
                if secret in found[1]:
                    entry["path"] = entry["path"].replace(found[1][secret], "{token}")
        checked = ContractCheck(self.contract, request, path, entry)
        response = await self._serve(request, path, entry, found, checked)
        checked.response(response)
        return response

    async def _serve(
        self,
        request: web.Request,
        path: str,
        entry: JSON,
        found: tuple[Route, dict[str, str]] | None,
        checked: ContractCheck,
    ) -> web.StreamResponse:
        if found is None:
            return self._unimplemented(entry, request)
        route, params = found
        entry["route"] = f"{route.method} {route.template}"
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
        response = await self._call(route.handler, request, params, entry, checked)
        response.headers.update(decision.headers)
        response.headers["Via"] = "1.1 google"
        return response

    async def _call(
        self,
        handler: Any,
        request: web.Request,
        params: dict[str, str],
        entry: JSON,
        checked: ContractCheck,
    ) -> web.Response:
        try:
            body, files = await parse_body(request)
            checked.body(body)
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

    # ----- clock, network and limits ----------------------------------------------------

    def set_clock_driver(self, driver: ClockDriver) -> None:
        """`advance(delta)` awaits `driver(delta)` (moves the bot's clock, runs due work)."""
        self.clock_driver = driver

    def set_bot_restarter(self, restarter: BotRestarter) -> None:
        """`restart_bot(crash=...)` awaits `restarter(crash=...)` (the sandbox runner's)."""
        self.bot_restarter = restarter

    async def restart_bot(self, *, crash: bool = False) -> Any:
        """Stop the bot (cleanly, or as a crash) and start it again; Discord's state stays."""
        if self.bot_restarter is None:
            raise RuntimeError("no bot restarter registered; the sandbox runner sets one")
        bot = await self.bot_restarter(crash=crash)
        await self.settle()
        return bot

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
            "contract": self.contract.to_json(),
            "rate_limited": self.rate_limit_counts(),
            "total": len(self.requests),
        }
