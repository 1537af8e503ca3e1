"""The test world: the real bot, through simcord, in a program server.

``program_world()`` builds a guild with the roles (Facilitator, Client, Family, On-call,
Auditor), a cohort channel, a staff-alerts channel and a mod-log channel; a facilitator,
three clients in different time zones, a family member and a stranger; then starts the
real bot (real settings, a real migrated SQLite file, a :class:`FakeClock`) against it.
Scheduled work is run explicitly with ``world.run_due_work()`` or ``world.advance()``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import simcord
from aiolimiter import AsyncLimiter
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from bot.app import IopBot, create_bot
from bot.config import Settings
from bot.services.clock import FakeClock
from cogs.clients._welcome import WELCOME_FIRST_LINE

GUILD_ID = 1_300_000_000_000_000_001
DEFAULT_START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


DM_PREVIEW = "You have a new message."  # the default program.dm_preview


def dm_body(content: str) -> str:
    """A DM's text without its neutral first line (the lock-screen preview)."""
    head, _, rest = content.partition("\n")
    assert head == DM_PREVIEW, f"a DM must start with the neutral preview line: {content!r}"
    return rest


def unthrottled() -> AsyncLimiter:
    """simcord runs the bot on virtual loop time, where a real-time token bucket never
    refills; the global send rate is tested in tests/services/test_outbox.py and bench/."""
    return AsyncLimiter(1_000_000, 1)


@dataclass
class World:
    env: simcord.Env
    bot: IopBot
    clock: FakeClock
    guild: GuildHandle
    roles: dict[str, RoleHandle]
    staff: ChannelHandle
    mod_log: ChannelHandle
    cohort: ChannelHandle
    facilitator: MemberActor
    clients: list[MemberActor]
    family: MemberActor
    stranger: MemberActor
    settings: Settings
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> Any:
        return self.bot.services.db

    async def run_due_work(self) -> None:
        await self.bot.run_due_work()
        await self.env.settle()

    async def advance(self, delta: timedelta, *, step: timedelta | None = None) -> None:
        """Move the program clock, running due work at every ``step`` (default: once)."""
        target = self.clock.now() + delta
        step = step or delta
        while self.clock.now() < target:
            self.clock.set(min(target, self.clock.now() + step))
            await self.run_due_work()

    def open_commands_to_everyone(self) -> None:
        """Act as a server admin who overrode every command's default permissions.

        ``default_permissions`` is only a hint Discord's admins can change, so tests run
        with it lifted: every refusal a test sees comes from iopbot's own checks.
        """
        for command in self.env.backend.commands.get(GUILD_ID, {}).values():
            self.guild.set_command_permissions(int(command["id"]), {self.guild.default_role: True})

    async def restart(self) -> None:
        """A new bot process on the same database and world (like a crash + restart)."""
        fresh = create_bot(
            self.settings, clock=self.clock, autostart_jobs=False, send_limiter=unthrottled()
        )
        old = self.bot
        await self.env.settle()
        old.release_database()  # as the OS does when a process dies
        await self.env.restart_bot(fresh)
        await old.db.close()
        self.bot = fresh
        await self.env.settle()
        self.open_commands_to_everyone()

    def dms(self, member: MemberActor, *, welcome: bool = False) -> list[discord.Message]:
        """Messages in ``member``'s DM channel with the bot, oldest first.

        The one-time enrollment welcome is left out unless ``welcome=True`` (it is tested
        in tests/cogs/test_clients_welcome.py), so a test counts its own feature's DMs.
        """
        try:
            channel = member.user.dm_channel
        except Exception:
            return []
        return [m for m in channel.history() if welcome or WELCOME_FIRST_LINE not in m.content]

    def messages(self, channel: ChannelHandle) -> list[discord.Message]:
        return channel.history()

    async def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(await self.bot.services.db.fetchval(sql, params))

    async def table_snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows (for "the database is unchanged" assertions)."""
        db = self.bot.services.db
        names = [
            r[0]
            for r in await db.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: [tuple(r) for r in await db.fetchall(f'SELECT * FROM "{n}"')] for n in names}  # noqa: S608


def _settings(
    tmp_path: Path, ids: dict[str, int], cogs: Sequence[str], **overrides: Any
) -> Settings:
    data: dict[str, Any] = {
        "discord": {"token": "test-token", "guild_id": GUILD_ID, "message_content": True},
        "roles": {
            "facilitator": ids["Facilitator"],
            "client": ids["Client"],
            "family": ids["Family"],
            "on_call": ids["On-call"],
            "auditor": ids["Auditor"],
        },
        "channels": {"staff_alerts": ids["staff-alerts"], "mod_log": ids["mod-log"]},
        "database": {"path": str(tmp_path / "iopbot.sqlite3")},
        "cogs": {"enabled": list(cogs)},
        "program": {"name": "Test IOP", "timezone": "America/New_York"},
    }
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return Settings(**data)


@asynccontextmanager
async def program_world(
    tmp_path: Path,
    *,
    cogs: Sequence[str] = ("clients",),
    start: datetime = DEFAULT_START,
    settle_timeout: float = 10.0,
    open_commands: bool = True,
    **overrides: Any,
) -> AsyncIterator[World]:
    clock = FakeClock(start)
    # Intents are fixed when the bot object is built: ask for what the final settings say.
    message_content = overrides.get("discord", {}).get("message_content", True)
    provisional = Settings(
        discord={"guild_id": GUILD_ID, "message_content": message_content},
        cogs={"enabled": list(cogs)},
    )
    bot = create_bot(provisional, clock=clock, autostart_jobs=False, send_limiter=unthrottled())
    env = simcord.Env(bot, settle_timeout=settle_timeout)
    guild = env.create_guild("Test IOP", id=GUILD_ID)
    roles = {
        "Facilitator": guild.create_role(
            "Facilitator",
            permissions=discord.Permissions(
                manage_roles=True, manage_messages=True, moderate_members=True, manage_channels=True
            ),
        ),
        "Client": guild.create_role("Client"),
        "Family": guild.create_role("Family"),
        "On-call": guild.create_role("On-call", mentionable=True),
        "Auditor": guild.create_role("Auditor"),
    }
    # The bot's own role: the program admin lets it into the private channels.
    bot_role = guild.create_role("iopbot access")
    hidden = {
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        bot_role: discord.PermissionOverwrite(view_channel=True, send_messages=True),
    }
    staff_only = {**hidden, roles["Facilitator"]: discord.PermissionOverwrite(view_channel=True)}
    staff = guild.create_text_channel("staff-alerts", overwrites=staff_only)
    mod_log = guild.create_text_channel("mod-log", overwrites=staff_only)
    cohort = guild.create_text_channel(
        "cohort-a",
        overwrites={
            **staff_only,
            roles["Client"]: discord.PermissionOverwrite(view_channel=True),
        },
    )
    ids = {name: role.id for name, role in roles.items()}
    ids["staff-alerts"] = staff.id
    ids["mod-log"] = mod_log.id
    settings = _settings(tmp_path, ids, cogs, **overrides)
    bot.reconfigure(settings)
    world_ref: list[World] = []
    await env.start()
    try:
        assert bot.user is not None
        env.backend.add_member_role(GUILD_ID, bot.user.id, bot_role.id)
        facilitator = guild.add_member(
            env.create_user("dana"), roles=[roles["Facilitator"]], nick="Dana (facilitator)"
        )
        clients = [
            guild.add_member(env.create_user(name), roles=[roles["Client"]], nick=name.title())
            for name in ("alex", "sam", "riley")
        ]
        family = guild.add_member(env.create_user("jordan"), roles=[roles["Family"]], nick="Jordan")
        stranger = guild.add_member(env.create_user("stranger"))
        await env.settle()
        world = World(
            env=env,
            bot=bot,
            clock=clock,
            guild=guild,
            roles=roles,
            staff=staff,
            mod_log=mod_log,
            cohort=cohort,
            facilitator=facilitator,
            clients=clients,
            family=family,
            stranger=stranger,
            settings=settings,
        )
        world_ref.append(world)
        world.extra["bot_role"] = bot_role
        if open_commands:
            world.open_commands_to_everyone()
        yield world
    finally:
        await env.shutdown()
        await bot.db.close()
        if world_ref:
            await world_ref[0].bot.db.close()
