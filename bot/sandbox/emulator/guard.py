"""Who may talk to the emulator: a check on every request before any handler runs.

The emulator listens on 127.0.0.1, but any web page the user has open can send requests
there, and a DNS-rebinding page can even read the answers. So:

* every request must name the emulator itself in `Host` (127.0.0.1 or localhost on the
  emulator's port); a rebinding page's `Host` is its own domain;
* a request with an `Origin` header (browsers add it; the bot never does) must come from
  the emulator's own page; the REST API and the gateway, which only the local bot uses,
  refuse any request that carries an `Origin` at all;
* the control API (`/_control/...`) needs the per-run key in `X-Sandbox-Key`, and a
  request body must be `Content-Type: application/json` (a cross-site form cannot send
  that without a preflight the emulator never grants).

The page itself (`/`, `/static/...`) holds no secret and needs no key: it reads the key
from the address it was opened with (`/?key=...`).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sandbox.emulator.errors import json_response

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
KEY_HEADER = "X-Sandbox-Key"
CONTROL_PREFIX = "/_control"
BOT_ONLY_PREFIXES = ("/api/", "/gateway")
LOCAL_NAMES = ("127.0.0.1", "localhost")


def new_key() -> str:
    """A fresh random control key (URL-safe, about 128 bits)."""
    return secrets.token_urlsafe(16)


class Guard:
    def __init__(self, key: str, port: Callable[[], int]) -> None:
        if not key:
            raise ValueError("the sandbox control key must not be empty")
        self.key = key
        self._port = port

    def local_hosts(self) -> set[str]:
        port = self._port()
        return {f"{name}:{port}" for name in LOCAL_NAMES}

    def local_origins(self) -> set[str]:
        return {f"http://{host}" for host in self.local_hosts()}

    def refusal(self, request: web.Request) -> str | None:
        """Why this request is refused, or None when it may go on."""
        host = request.headers.get("Host", "")
        if host.casefold() not in self.local_hosts():
            return "the Host header must name this sandbox (127.0.0.1 or localhost, its port)"
        origin = request.headers.get("Origin")
        path = request.path
        if origin is not None:
            if path.startswith(BOT_ONLY_PREFIXES):
                return "the Discord API and gateway answer only the local bot (no Origin)"
            if origin.casefold() not in self.local_origins():
                return "requests from other web pages are refused (Origin)"
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            given = request.headers.get(KEY_HEADER, "")
            if not secrets.compare_digest(given.encode(), self.key.encode()):
                return f"the control API needs the sandbox key in the {KEY_HEADER} header"
            if _has_body(request) and request.content_type != "application/json":
                return "a control API request body must be Content-Type: application/json"
        return None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            status = 415 if "Content-Type" in reason else 403
            return json_response({"error": reason}, status=status)
        return await handler(request)


def _has_body(request: web.Request) -> bool:
    if request.content_length is not None:
        return request.content_length > 0
    return request.body_exists
