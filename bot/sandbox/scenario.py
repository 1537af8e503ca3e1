"""What a sandbox scenario sees: the seeded world, the bot, and actions taken as users.

A scenario is `async def run(ctx: ScenarioContext) -> None`. It acts through the same
Python API the control endpoints use, so everything goes over the real wire: the bot
receives gateway events and answers over HTTP exactly as it would against Discord.

    await ctx.slash(ctx.user("facilitator"), ctx.channel("staff-alerts"),
                    "client enroll", member=ctx.user("client1"), timezone="America/New_York")
    ctx.expect(reply.ephemeral, "enroll answers privately")
    await ctx.advance(timedelta(hours=1))
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.sandbox.world import World, WorldChannel, WorldUser

if TYPE_CHECKING:
    from typing import TypeAlias

    from bot.sandbox.emulator import Emulator, InteractionResult

    UserRef: TypeAlias = WorldUser | str | int
    ChannelRef: TypeAlias = WorldChannel | str | int
    MessageRef: TypeAlias = dict[str, Any] | int | str | InteractionResult

log = logging.getLogger(__name__)


class ScenarioFailed(AssertionError):
    """Raised by `ScenarioContext.require` when a scenario cannot sensibly continue."""


class ScenarioContext:
    """The seeded world plus the actions a scenario can take, each recorded as a step."""

    def __init__(
        self,
        emulator: Emulator,
        world: World,
        *,
        bot: Any = None,
        clock: Any = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.emulator = emulator
        self.world = world
        self.bot = bot
        self.clock = clock
        # What the sandbox prepared for this scenario (e.g. the config `setup` wrote).
        self.extra: dict[str, Any] = extra or {}
        self.failures: list[str] = []
        # Errors the scenario provokes on purpose (substrings of "logger: message"); the
        # runner does not count them as failures. Check that they happened yourself.
        self.expected_errors: list[str] = []

    # ----- the seeded world -------------------------------------------------------------

    def user(self, key_or_name: str) -> WorldUser:
        """A seeded user by key ("facilitator", "client1".."client3", "family") or name."""
        return self.world.user(key_or_name)

    def channel(self, name: str) -> WorldChannel:
        """A guild channel by name, looked up now (parts may have created it)."""
        channel = self.emulator.find_channel(self.world.guild_id, name)
        if channel is None:
            raise KeyError(f"no channel named {name!r} in the sandbox guild")
        return WorldChannel(id=int(channel["id"]), name=str(channel["name"]))

    def has_channel(self, name: str) -> bool:
        return self.emulator.find_channel(self.world.guild_id, name) is not None

    def now(self) -> datetime:
        """The sandbox clock's current instant (aware UTC)."""
        return self.emulator.now()

    # ----- actions ----------------------------------------------------------------------

    def step(self, note: str) -> None:
        """Write a `{"kind": "step"}` line to the transcript saying what happens next."""
        self.emulator.transcript.step(note)

    async def slash(
        self, user: UserRef, channel: ChannelRef, command: str, **options: Any
    ) -> InteractionResult:
        """Invoke `/command` ("group create" for subcommands) as `user` in `channel`.

        Option values may be plain values, or a WorldUser / WorldChannel (sent as ids
        with resolved data, like Discord does).
        """
        who = self._user(user)
        where = self._channel_id(channel)
        self.step(f"{who.name} runs /{command} {_describe(options)}".rstrip())
        return await self.emulator.slash(who.id, where, command, _plain_options(options))

    async def click(self, user: UserRef, message: MessageRef, custom_id: str) -> InteractionResult:
        """Press the button (or pick the select option) `custom_id` on `message` as `user`."""
        who = self._user(user)
        self.step(f"{who.name} clicks {custom_id!r}")
        return await self.emulator.click(who.id, _message_id(message), custom_id)

    async def select(
        self, user: UserRef, message: MessageRef, custom_id: str, values: list[str]
    ) -> InteractionResult:
        """Choose `values` in the select menu `custom_id` on `message` as `user`."""
        who = self._user(user)
        self.step(f"{who.name} picks {values!r} in {custom_id!r}")
        return await self.emulator.click(who.id, _message_id(message), custom_id, values=values)

    async def submit_modal(
        self, user: UserRef, custom_id: str, values: dict[str, str]
    ) -> InteractionResult:
        """Submit the modal `custom_id` last shown to `user`; values by input custom_id or label."""
        who = self._user(user)
        self.step(f"{who.name} submits the form {custom_id!r}")
        return await self.emulator.submit_modal(who.id, custom_id, values)

    async def context_menu(
        self, user: UserRef, message: MessageRef, name: str
    ) -> InteractionResult:
        """Run the message context-menu command `name` on `message` as `user`."""
        who = self._user(user)
        self.step(f"{who.name} uses the message menu {name!r}")
        return await self.emulator.context_menu(who.id, _message_id(message), name)

    async def post(self, user: UserRef, channel: ChannelRef, text: str) -> dict[str, Any]:
        """Post `text` in `channel` as `user` (the bot gets MESSAGE_CREATE)."""
        who = self._user(user)
        where = self._channel_id(channel)
        self.step(f"{who.name} posts a message in {self._channel_name(where)}")
        return await self.emulator.post_message(who.id, where, text)

    async def post_dm(self, user: UserRef, text: str) -> dict[str, Any]:
        """Send `text` to the bot by DM as `user` (the bot gets MESSAGE_CREATE, no intent)."""
        who = self._user(user)
        self.step(f"{who.name} sends the bot a DM")
        channel_id = int(self.emulator.dm_channel_for(who.id)["id"])
        return await self.emulator.post_message(who.id, channel_id, text)

    def set_overwrite(
        self, channel: ChannelRef, target_id: int, *, allow: int = 0, deny: int = 0, kind: int = 1
    ) -> None:
        """Change a channel's permission overwrite for a member (kind 1) or role (kind 0)."""
        where = self._channel_id(channel)
        self.step(f"an admin changes permissions in {self._channel_name(where)}")
        self.emulator.set_channel_overwrite(where, target_id, allow=allow, deny=deny, kind=kind)

    async def advance(self, delta: timedelta) -> None:
        """Move the sandbox clock forward by `delta` and run the bot's due work once."""
        self.step(f"the clock moves forward {delta}")
        await self.emulator.advance(delta)

    async def restart_bot(self, *, crash: bool = False) -> Any:
        """Stop the bot and start a new one on the same database; Discord keeps its state.

        `crash=True` cancels the bot's tasks with none of its shutdown code running, as if
        the process were killed. `ctx.bot` is the new bot afterwards.
        """
        self.step("the bot crashes and starts again" if crash else "the bot restarts")
        self.bot = await self.emulator.restart_bot(crash=crash)
        return self.bot

    async def set_roles(self, user: UserRef, roles: list[str]) -> None:
        """Replace `user`'s roles with the seeded roles named (keys like "client")."""
        who = self._user(user)
        self.step(f"{who.name}'s roles become {', '.join(roles) or 'none'}")
        ids = [self.world.roles[name] for name in roles]
        self.emulator.set_member_roles(self.world.guild_id, who.id, ids)
        await self.settle()

    async def settle(self, seconds: float = 0.2) -> None:
        """Give the bot a moment to finish background sends."""
        await self.emulator.settle(seconds)

    # ----- reading what the bot did -----------------------------------------------------

    def dms(self, user: UserRef) -> list[dict[str, Any]]:
        """Every message in `user`'s DM channel with the bot, oldest first."""
        return self.emulator.dm_messages(self._user(user).id)

    def channel_messages(self, channel: ChannelRef) -> list[dict[str, Any]]:
        """Every message in a guild channel, oldest first."""
        return self.emulator.channel_messages(self._channel_id(channel))

    # ----- checks -----------------------------------------------------------------------

    def expect(self, condition: object, message: str) -> bool:
        """Record a failure (and keep going) when `condition` is falsy."""
        if condition:
            return True
        self.failures.append(message)
        self.emulator.transcript.step(f"EXPECTATION FAILED: {message}")
        log.warning("scenario expectation failed: %s", message)
        return False

    def require(self, condition: object, message: str) -> None:
        """Like `expect`, but stop the scenario when it fails."""
        if not self.expect(condition, message):
            raise ScenarioFailed(message)

    # ----- helpers ----------------------------------------------------------------------

    def _user(self, user: UserRef) -> WorldUser:
        if isinstance(user, WorldUser):
            return user
        if isinstance(user, int):
            for known in self.world.users.values():
                if known.id == user:
                    return known
            return WorldUser(key=str(user), id=user, name=self.emulator.user_name(user))
        return self.world.user(user)

    def _channel_id(self, channel: ChannelRef) -> int:
        if isinstance(channel, WorldChannel):
            return channel.id
        if isinstance(channel, int):
            return channel
        return self.channel(channel).id

    def _channel_name(self, channel_id: int) -> str:
        return self.emulator.channel_label(channel_id)


def _message_id(message: MessageRef) -> int:
    if isinstance(message, dict):
        return int(message["id"])
    if isinstance(message, int | str):
        return int(message)
    if message.message_id is None:
        raise ValueError("this interaction response has no message")
    return message.message_id


def _plain_options(options: dict[str, Any]) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for name, value in options.items():
        if isinstance(value, WorldUser | WorldChannel):
            plain[name] = value.id
        else:
            plain[name] = value
    return plain


def _describe(options: dict[str, Any]) -> str:
    parts = []
    for name, value in options.items():
        shown = value.name if isinstance(value, WorldUser | WorldChannel) else value
        parts.append(f"{name}:{shown}")
    return " ".join(parts)


Scenario = Callable[[ScenarioContext], Awaitable[None]]


def load_part(module_name: str) -> Scenario | None:
    """The ``run`` coroutine of an optional scenario part module, or None when the module
    does not exist (features add their parts independently)."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None
    run: Scenario = module.run
    return run
