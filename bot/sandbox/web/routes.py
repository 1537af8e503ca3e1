"""The page's routes: the HTML/JS/CSS, its read endpoints, a clock jump, the demo, live events.

`GET /` and `GET /static/{file}` are the page (no key needed: no secret in them). The rest
is under `/_control/` and needs the key like the rest of the control API (guard.py).
Every endpoint is documented in docs/sandbox.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from bot.domain.localtime import BadTime, next_local_time, parse_hhmm
from bot.sandbox.emulator.control import resolve_user
from bot.sandbox.emulator.errors import json_response
from bot.sandbox.emulator.results import InteractionError
from bot.sandbox.web import views

if TYPE_CHECKING:
    from bot.sandbox.emulator.server import Emulator

STATIC = {
    "app.js": "text/javascript",
    "style.css": "text/css",
}
POLL_SECONDS = 0.15
KEEPALIVE_SECONDS = 15.0
NO_STORE = {"Cache-Control": "no-store"}


def read_static(name: str) -> bytes:
    return resources.files("bot.sandbox.web").joinpath("static", name).read_bytes()


def add_web_routes(app: web.Application, emu: Emulator) -> None:
    page = WebPage(emu)
    app.on_shutdown.append(page.shutdown)
    app.router.add_get("/", page.index)
    app.router.add_get("/static/{name}", page.static)
    app.router.add_get("/_control/page/world", _json(page.world))
    app.router.add_get("/_control/page/users/{user}", _json(page.person))
    app.router.add_get("/_control/page/users/{user}/channels/{channel}", _json(page.channel))
    app.router.add_get("/_control/page/users/{user}/commands", _json(page.commands))
    app.router.add_post("/_control/clock/jump", _json(page.jump))
    app.router.add_post("/_control/demo/play", _json(page.play_demo))
    app.router.add_get("/_control/events", page.events)


def _json(action: Any) -> Any:
    """A JSON handler; unknown names, bad values and refusals are a 400 with the reason."""

    async def handle(request: web.Request) -> web.StreamResponse:
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                loaded = json.loads(await request.read() or b"{}")
            except ValueError:
                return json_response({"error": "the body is not JSON"}, status=400)
            if not isinstance(loaded, dict):
                return json_response({"error": "the body must be a JSON object"}, status=400)
            body = loaded
        try:
            result = await action(request, body)
        except (InteractionError, KeyError, ValueError, PermissionError) as error:
            text = error.args[0] if isinstance(error, KeyError) and error.args else error
            return json_response({"error": str(text)}, status=400)
        return json_response(result, headers=NO_STORE)

    return handle


class WebPage:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.closing = asyncio.Event()
        self.demo_task: asyncio.Task[None] | None = None

    async def shutdown(self, app: web.Application) -> None:
        self.closing.set()
        if self.demo_task is not None and not self.demo_task.done():
            self.demo_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.demo_task

    # ----- the page itself --------------------------------------------------------------

    async def index(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=read_static("index.html"),
            content_type="text/html",
            charset="utf-8",
            headers={
                **NO_STORE,
                "Content-Security-Policy": (
                    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
                    "base-uri 'none'; frame-ancestors 'none'"
                ),
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:
            return json_response({"error": "no such file"}, status=404)
        return web.Response(
            body=read_static(name),
            content_type=STATIC[name],
            charset="utf-8",
            headers={**NO_STORE, "X-Content-Type-Options": "nosniff"},
        )

    # ----- read endpoints ---------------------------------------------------------------

    def _user(self, request: web.Request) -> int:
        return resolve_user(self.emu, request.match_info["user"])

    async def world(self, request: web.Request, body: dict[str, Any]) -> Any:
        return views.world_view(self.emu)

    async def person(self, request: web.Request, body: dict[str, Any]) -> Any:
        return views.person_view(self.emu, self._user(request))

    async def channel(self, request: web.Request, body: dict[str, Any]) -> Any:
        from bot.sandbox.emulator.control import resolve_channel

        channel_id = resolve_channel(self.emu, request.match_info["channel"])
        return views.channel_view(self.emu, self._user(request), channel_id)

    async def commands(self, request: web.Request, body: dict[str, Any]) -> Any:
        from bot.sandbox.emulator.control import resolve_channel

        channel = request.query.get("channel")
        if not channel:
            raise ValueError("give ?channel=ID (commands depend on where they are used)")
        return views.commands_view(
            self.emu, self._user(request), resolve_channel(self.emu, channel)
        )

    # ----- the clock and the demo -------------------------------------------------------

    async def jump(self, request: web.Request, body: dict[str, Any]) -> Any:
        """Move the clock to `to` (ISO-8601 with offset), or to a person's next local time."""
        now = self.emu.now()
        if "to" in body:
            target = datetime.fromisoformat(str(body["to"]))
            if target.tzinfo is None:
                raise ValueError("'to' needs a UTC offset, e.g. 2025-03-04T14:00:00+00:00")
        elif "user" in body:
            target = self._next_local(resolve_user(self.emu, body["user"]), body, now)
        else:
            raise ValueError("give 'to' (a time) or 'user' (and optionally 'local_time')")
        if target <= now:
            raise ValueError(f"the sandbox clock only moves forward (it is {now.isoformat()})")
        # Run what is due now first (a just-enrolled client gets their prompt time), so
        # that the jump lands on work that was planned before it.
        await self.emu.advance(timedelta(0))
        await self.emu.advance(target - self.emu.now())
        return {"now": self.emu.now().isoformat()}

    def _next_local(self, user_id: int, body: dict[str, Any], now: datetime) -> datetime:
        person = self.emu.page.person(user_id)
        zone_name = str(body.get("timezone") or (person.timezone if person else "UTC"))
        try:
            zone = ZoneInfo(zone_name)
            wall = parse_hhmm(str(body.get("local_time") or self.emu.page.checkin_time))
        except (ZoneInfoNotFoundError, BadTime) as error:
            raise ValueError(str(error)) from error
        # A minute past: what is due at 09:00 has been due for a whole minute then.
        return next_local_time(wall, zone, now) + timedelta(minutes=1)

    async def play_demo(self, request: web.Request, body: dict[str, Any]) -> Any:
        hooks = self.emu.page
        if hooks.demo is None:
            raise ValueError("this sandbox has no demo to play")
        if self.demo_task is not None and not self.demo_task.done():
            raise ValueError("the demo is already playing")
        demo = hooks.demo
        hooks.demo_status.state = "running"
        hooks.demo_status.failures = []

        async def play() -> None:
            try:
                failures = await demo()
            except Exception as error:  # the page shows it; the sandbox keeps serving
                failures = [f"the demo stopped: {type(error).__name__}"]
            hooks.demo_status.failures = failures
            hooks.demo_status.state = "failed" if failures else "passed"

        self.demo_task = asyncio.create_task(play(), name="sandbox-demo")
        return {"state": "running"}

    # ----- live events ------------------------------------------------------------------

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: a `change` (with new transcript lines) whenever anything moves.

        The emulator's world changes through many paths (bot REST calls, user actions,
        the clock); a cheap fingerprint polled a few times a second catches them all.
        """
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        sent = len(self.emu.transcript.entries)
        last: tuple[Any, ...] | None = None
        quiet = 0.0
        try:
            while not self.closing.is_set():
                mark = self._fingerprint()
                if mark != last:
                    entries = self.emu.transcript.entries[sent:]
                    sent += len(entries)
                    data = {"now": self.emu.now().isoformat(), "transcript": entries}
                    await response.write(f"event: change\ndata: {json.dumps(data)}\n\n".encode())
                    last, quiet = mark, 0.0
                elif quiet >= KEEPALIVE_SECONDS:
                    await response.write(b": keep-alive\n\n")
                    quiet = 0.0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.closing.wait(), POLL_SECONDS)
                quiet += POLL_SECONDS
        except ConnectionResetError:
            pass  # the page was closed or reloaded
        return response

    def _fingerprint(self) -> tuple[Any, ...]:
        emu = self.emu
        hooks = emu.page
        return (
            emu.now(),
            len(emu.transcript.entries),
            len(emu.state.messages),
            len(emu.requests),
            len(emu.state.users),
            sum(len(m["roles"]) + 1 for g in emu.state.guilds.values() for m in g.members.values()),
            len(emu.state.channels),
            hooks.demo_status.state,
        )
