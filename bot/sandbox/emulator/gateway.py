"""The gateway websocket: HELLO, heartbeats, IDENTIFY/READY, RESUME, member chunks, dispatch.

Frames are plain-text JSON (discord.py accepts them even when it asked for zlib-stream).
Each session keeps its dispatched events, so a RESUME after a dropped socket replays what
the bot missed, and a bad session gets INVALID_SESSION.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, RESUME, REQUEST_MEMBERS = 0, 1, 2, 3, 6, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41250

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
GUILD_SCHEDULED_EVENTS = 1 << 16
AUTOMOD_CONFIGURATION = 1 << 20
AUTOMOD_EXECUTION = 1 << 21


def required_intent(event: str, *, dm: bool) -> int:
    if event.startswith("MESSAGE_"):
        return DIRECT_MESSAGES if dm else GUILD_MESSAGES
    if event.startswith("GUILD_MEMBER_"):
        return GUILD_MEMBERS
    if event.startswith("GUILD_SCHEDULED_EVENT_"):
        return GUILD_SCHEDULED_EVENTS
    if event.startswith("AUTO_MODERATION_RULE_"):
        return AUTOMOD_CONFIGURATION
    if event == "AUTO_MODERATION_ACTION_EXECUTION":
        return AUTOMOD_EXECUTION
    if event.startswith(("GUILD_", "CHANNEL_", "THREAD_")) and event != "GUILD_MEMBERS_CHUNK":
        return GUILDS
    return 0


@dataclass
class Session:
    id: str
    intents: int
    seq: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    queue: asyncio.Queue[dict[str, Any]] | None = None


@dataclass
class GatewayHooks:
    """What the gateway needs from the emulator (kept narrow to avoid a cycle)."""

    token: Callable[[], str]
    ready_payload: Callable[[str], dict[str, Any]]
    guild_creates: Callable[[], list[dict[str, Any]]]
    member_chunk: Callable[[dict[str, Any]], dict[str, Any]]
    bot_user_id: Callable[[], int]


class Gateway:
    def __init__(self, hooks: GatewayHooks) -> None:
        self.hooks = hooks
        self.sessions: dict[str, Session] = {}
        self.sockets: set[web.WebSocketResponse] = set()
        self.identifies = 0
        self.resumes = 0
        self.connected = asyncio.Event()

    @property
    def is_connected(self) -> bool:
        return any(s.queue is not None for s in self.sessions.values())

    def dispatch(self, event: str, data: dict[str, Any], *, dm: bool = False) -> None:
        """Send a DISPATCH event to every session that has the intent for it."""
        for session in self.sessions.values():
            needed = required_intent(event, dm=dm)
            if needed and not session.intents & needed:
                continue
            payload = self._visible(event, data, session, dm=dm)
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": payload}
            session.history.append(frame)
            del session.history[:-1000]
            if session.queue is not None:
                session.queue.put_nowait(frame)

    def _visible(
        self, event: str, data: dict[str, Any], session: Session, *, dm: bool
    ) -> dict[str, Any]:
        payload = copy.deepcopy(data)
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or session.intents & MESSAGE_CONTENT:
            return payload
        bot_id = str(self.hooks.bot_user_id())
        mentioned = any(m.get("id") == bot_id for m in payload.get("mentions", []))
        own = payload.get("author", {}).get("id") == bot_id
        if not (dm or mentioned or own):
            for key in ("content", "embeds", "attachments", "components"):
                if key in payload:
                    payload[key] = "" if key == "content" else []
        return payload

    async def close_all(self, code: int = 4000) -> None:
        """Drop every socket (the bot will try to RESUME, as after a network blip)."""
        for ws in list(self.sockets):
            await ws.close(code=code, message=b"emulator closed the connection")

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.sockets.add(ws)
        outbound: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sender = asyncio.create_task(self._send_loop(ws, outbound))
        session: Session | None = None
        try:
            outbound.put_nowait({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                session = await self._on_frame(ws, frame, outbound, session)
        finally:
            self.sockets.discard(ws)
            if session is not None and session.queue is outbound:
                session.queue = None
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return ws

    async def _send_loop(
        self, ws: web.WebSocketResponse, outbound: asyncio.Queue[dict[str, Any]]
    ) -> None:
        while True:
            frame = await outbound.get()
            if ws.closed:
                return
            await ws.send_str(json.dumps(frame))

    async def _on_frame(
        self,
        ws: web.WebSocketResponse,
        frame: dict[str, Any],
        outbound: asyncio.Queue[dict[str, Any]],
        session: Session | None,
    ) -> Session | None:
        op = frame.get("op")
        raw = frame.get("d")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if op == HEARTBEAT:
            outbound.put_nowait({"op": HEARTBEAT_ACK, "d": None})
        elif op == IDENTIFY:
            if not self._token_ok(data.get("token")):
                await ws.close(code=4004, message=b"Authentication failed.")
                return session
            return self._identify(data, outbound)
        elif op == RESUME:
            return await self._resume(ws, data, outbound)
        elif op == REQUEST_MEMBERS and session is not None:
            self.dispatch("GUILD_MEMBERS_CHUNK", self.hooks.member_chunk(data))
        elif op != PRESENCE:
            log.debug("gateway: ignoring op %s", op)
        return session

    def _token_ok(self, token: object) -> bool:
        text = str(token or "").removeprefix("Bot ")
        return secrets.compare_digest(text, self.hooks.token())

    def _identify(self, data: dict[str, Any], outbound: asyncio.Queue[dict[str, Any]]) -> Session:
        self.identifies += 1
        session = Session(id=secrets.token_hex(16), intents=int(data.get("intents", 0)))
        self.sessions.clear()
        self.sessions[session.id] = session
        session.queue = outbound
        self.dispatch("READY", self.hooks.ready_payload(session.id))
        for guild in self.hooks.guild_creates():
            self.dispatch("GUILD_CREATE", guild)
        self.connected.set()
        return session

    async def _resume(
        self,
        ws: web.WebSocketResponse,
        data: dict[str, Any],
        outbound: asyncio.Queue[dict[str, Any]],
    ) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or not self._token_ok(data.get("token")):
            outbound.put_nowait({"op": INVALID_SESSION, "d": False})
            return None
        self.resumes += 1
        seen = int(data.get("seq") or 0)
        for frame in session.history:
            if frame["s"] > seen:
                outbound.put_nowait(frame)
        session.queue = outbound
        self.dispatch_to(session, "RESUMED", {})
        return session

    def dispatch_to(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.history.append(frame)
        if session.queue is not None:
            session.queue.put_nowait(frame)
