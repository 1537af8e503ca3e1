"""`CoreBase`: the emulator's shared state, clock and identity, and its lookups and checks.

The lowest layer of `EmulatorCore` (core.py): it owns the world (`State`), the gateway,
the rate limiter and the transcript, finds guilds and channels the way Discord answers
the bot (404s, 403s), and checks the bot's permissions. messages.py adds message
plumbing on top, core.py the bot's send path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

from bot.sandbox.emulator import payloads
from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.errors import (
    UNKNOWN_CHANNEL,
    missing_access,
    missing_permissions,
    not_found,
)
from bot.sandbox.emulator.gateway import Gateway, GatewayHooks
from bot.sandbox.emulator.payloads import THREAD_TYPES
from bot.sandbox.emulator.ratelimit import RateLimiter
from bot.sandbox.emulator.state import DM, JSON, Guild, State
from bot.sandbox.emulator.transcript import Transcript


def utc_now() -> datetime:
    return datetime.now(UTC)


class CoreBase:
    def __init__(
        self,
        *,
        token: str = "sandbox-token",  # noqa: S107 - the emulator's fake token
        now: Callable[[], datetime] = utc_now,
        bot_name: str = "iopbot",
    ) -> None:
        self._now = now
        self.token = token
        self.state = State(self.now)
        self.transcript = Transcript(self.now)
        self.limiter = RateLimiter()
        self.base_url = "http://127.0.0.1:0"
        self.bot_user = self.state.add_user(bot_name, bot=True)
        self.application_id = self.state.ids.next()
        self.owner_user = self.state.add_user("Sandbox owner")
        self.gateway = Gateway(
            GatewayHooks(
                token=lambda: self.token,
                ready_payload=self.ready_payload,
                guild_creates=self.guild_create_payloads,
                member_chunk=self.member_chunk,
                bot_user_id=lambda: self.bot_id,
            )
        )
        self.nonces: dict[tuple[int, int, str], tuple[int, datetime]] = {}
        self.requests: list[JSON] = []
        self.unimplemented: list[JSON] = []
        self.last_request_at = 0.0
        # Imported here: interactions needs the core's methods, the core owns it.
        from bot.sandbox.emulator.interactions import Interactions

        self.interactions = Interactions(self)

    # ----- time and identity ------------------------------------------------------------

    def now(self) -> datetime:
        """The sandbox clock (aware UTC)."""
        return self._now().astimezone(UTC)

    def set_clock(self, now: Callable[[], datetime]) -> None:
        self._now = now

    @property
    def bot_id(self) -> int:
        return int(self.bot_user["id"])

    @property
    def host_port(self) -> str:
        return self.base_url.removeprefix("http://")

    # ----- payloads (payloads.py) -------------------------------------------------------

    def ready_payload(self, session_id: str) -> JSON:
        return payloads.ready_payload(self, session_id)

    def guild_payload(self, guild: Guild) -> JSON:
        return payloads.guild_payload(guild)

    def guild_create_payloads(self) -> list[JSON]:
        return payloads.guild_create_payloads(self)

    def member_chunk(self, request: JSON) -> JSON:
        return payloads.member_chunk(self.state, request)

    def channel_payload(self, channel: JSON, *, in_guild_create: bool = False) -> JSON:
        return payloads.channel_payload(channel, in_guild_create=in_guild_create)

    def gateway_message(self, message: JSON) -> JSON:
        return payloads.gateway_message(self.state, message)

    # ----- lookups with Discord's errors ------------------------------------------------

    def guild_or_404(self, guild_id: int) -> Guild:
        guild = self.state.guilds.get(guild_id)
        if guild is None or self.bot_id not in guild.members:
            raise not_found(10004, "Guild")
        return guild

    def channel_or_404(self, channel_id: int) -> JSON:
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        if channel["type"] == DM:
            if channel.get("_bot_id") != str(self.bot_id):
                raise missing_access()
            return channel
        guild = self.state.guild_of_channel(channel)
        if guild is None or self.bot_id not in guild.members:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        return channel

    # ----- the bot's permissions --------------------------------------------------------

    def bot_channel_permissions(self, channel: JSON) -> int:
        guild = self.state.guild_of_channel(channel)
        if guild is None:
            return perm.VIEW_CHANNEL | perm.SEND_MESSAGES | perm.READ_MESSAGE_HISTORY
        return perm.channel_permissions(
            guild, self.effective_channel(channel), self.bot_id, self.now()
        )

    def effective_channel(self, channel: JSON) -> JSON:
        """Threads take their permissions from the parent channel."""
        if channel["type"] in THREAD_TYPES and channel.get("parent_id"):
            return self.state.channels.get(int(channel["parent_id"]), channel)
        return channel

    def require_channel_permissions(self, channel: JSON, needed: int) -> None:
        have = self.bot_channel_permissions(channel)
        if not have & perm.VIEW_CHANNEL:
            raise missing_access()
        if have & needed != needed:
            raise missing_permissions()

    def require_guild_permissions(self, guild: Guild, needed: int) -> None:
        have = perm.base_permissions(guild, self.bot_id)
        if have & needed != needed:
            raise missing_permissions()

    def dispatch_member_update(self, guild: Guild, member: JSON) -> None:
        data = copy.deepcopy(member)
        data["guild_id"] = str(guild.id)
        self.gateway.dispatch("GUILD_MEMBER_UPDATE", data)
