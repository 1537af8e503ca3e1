"""``iopbot setup`` and ``iopbot doctor``: REST only (a logged-in client, no gateway).

Both take the token from the environment. The Python entry points (``run_setup``,
``run_doctor``) accept ``api_base`` so the sandbox and tests can point them at the
offline emulator; the CLI never does (a real token only ever goes to Discord).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

import discord
import tomlkit

from bot.config import Settings, load_settings
from bot.config_writer import (
    Key,
    apply_changes,
    changes,
    current_value,
    read_document,
    write_document,
)
from bot.db.database import Database
from bot.guild_setup import (
    CHANNEL_NAMES,
    ROLE_NAMES,
    SetupRefused,
    apply_plan,
    plan_setup,
)
from bot.services.clock import SystemClock
from bot.services.doctor import CheckLine, GuildView, commands_check, guild_checks, intent_checks
from bot.services.doctor_local import database_checks, database_file_check

Chooser = Callable[[list[tuple[int, str]]], int | None]
LOGIN_REFUSED_FIX = (
    "Discord refused it; copy a new one from the developer portal (your app → Bot → "
    "Reset Token) into IOPBOT_DISCORD__TOKEN"
)


class GuildNotFound(Exception):
    pass


@contextlib.asynccontextmanager
async def rest_client(token: str, api_base: str | None) -> AsyncIterator[discord.Client]:
    """A client logged in over REST (``login`` also fetches the application's info)."""
    if api_base:
        from bot.app import point_discord_at

        point_discord_at(api_base)
    discord.VoiceClient.warn_nacl = False  # never joins voice (as IopBot)
    discord.VoiceClient.warn_dave = False
    client = discord.Client(intents=discord.Intents(guilds=True))
    try:
        await client.login(token)
        yield client
    finally:
        await client.close()


async def fetch_view(client: discord.Client, guild_id: int) -> GuildView:
    try:
        guild = await client.fetch_guild(guild_id)
    except (discord.NotFound, discord.Forbidden):
        raise GuildNotFound(guild_id) from None
    if client.user is None:
        raise RuntimeError("fetch_view needs a logged-in client")
    me = await guild.fetch_member(client.user.id)
    channels = {c.id: c for c in await guild.fetch_channels()}
    return GuildView(guild=guild, me=me, channels=channels)


async def choose_guild(client: discord.Client, choose: Chooser | None, out: TextIO) -> int | None:
    guilds = [(g.id, g.name) async for g in client.fetch_guilds(limit=200)]
    if not guilds:
        print(
            "The bot is in no server yet: invite it with the URL `iopbot invite-url` prints.",
            file=out,
        )
        return None
    if len(guilds) == 1:
        return guilds[0][0]
    picked = choose(guilds) if choose is not None else None
    if picked is None:
        print("The bot is in several servers; pass --guild-id with one of:", file=out)
        for guild_id, name in guilds:
            print(f"  {guild_id}  {name}", file=out)
    return picked


def ask_on_terminal(guilds: list[tuple[int, str]]) -> int | None:
    """Number the bot's servers and read a choice from the terminal."""
    for number, (guild_id, name) in enumerate(guilds, 1):
        print(f"  {number}. {name} ({guild_id})")
    answer = input("Set up which server? (number) ").strip()
    if answer.isdigit() and 1 <= int(answer) <= len(guilds):
        return guilds[int(answer) - 1][0]
    return None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def run_setup(
    settings: Settings,
    *,
    config_path: Path,
    guild_id: int | None = None,
    dry_run: bool = False,
    out: TextIO = sys.stdout,
    choose: Chooser | None = None,
    api_base: str | None = None,
) -> int:
    """Create or adopt the program's roles and channels; write their ids to the config."""
    token = settings.discord.token
    if token is None:
        print("setup: set IOPBOT_DISCORD__TOKEN first (the bot's token).", file=out)
        return 2
    doc = read_document(config_path)
    async with rest_client(token.get_secret_value(), api_base) as client:
        target = guild_id or settings.discord.guild_id
        if target is None:
            target = await choose_guild(client, choose, out)
            if target is None:
                return 1
        try:
            view = await fetch_view(client, target)
        except GuildNotFound:
            print(f"setup: the bot is not in server {target}; invite it first.", file=out)
            return 1
        roles = {k: _int_or_none(current_value(doc, ("roles", k))) for k in ROLE_NAMES}
        channels = {k: _int_or_none(current_value(doc, ("channels", k))) for k in CHANNEL_NAMES}
        try:
            plan = plan_setup(view, roles, channels, settings.cogs.enabled)
        except SetupRefused as refused:
            print(f"setup: {refused}", file=out)
            return 1
        print(f"Server: {view.guild.name} ({view.guild.id})", file=out)
        if not dry_run:
            await apply_plan(plan, view.me)
        wanted: dict[Key, int] = {("discord", "guild_id"): view.guild.id}
        if client.application_id is not None:
            wanted[("discord", "application_id")] = client.application_id
        wanted.update({("roles", k): v for k, v in plan.role_ids.items()})
        wanted.update(
            {("channels", k): v for k, v in plan.channel_ids.items() if k in CHANNEL_NAMES}
        )
    return _finish_setup(plan.lines(), plan.problems, doc, wanted, config_path, dry_run, out)


def _finish_setup(
    lines: list[str],
    problems: list[str],
    doc: tomlkit.TOMLDocument,
    wanted: dict[Key, int],
    config_path: Path,
    dry_run: bool,
    out: TextIO,
) -> int:
    updates = changes(doc, wanted)
    creating = [line for line in lines if line.startswith("create ")]
    for line in lines:
        print(f"  {line}", file=out)
    for (section, name), value in updates.items():
        print(f"  {config_path}: set {section}.{name} = {value}", file=out)
    if dry_run:
        print("Dry run: nothing was changed.", file=out)
    elif not creating and not updates:
        print(f"No changes: the server and {config_path} already match.", file=out)
    elif updates:
        apply_changes(doc, updates)
        write_document(config_path, doc)
        print(f"Done: {len(creating)} created, {config_path} updated.", file=out)
    else:
        print(f"Done: {len(creating)} created.", file=out)
    for problem in problems:
        print(f"✗ {problem}", file=out)
    return 1 if problems else 0


async def server_lines(client: discord.Client, settings: Settings) -> list[CheckLine]:
    from bot.cli import expected_command_names, required_permissions

    guild_id = settings.discord.guild_id
    if guild_id is None:
        return [CheckLine(False, "discord.guild_id", "not configured; run `iopbot setup`")]
    try:
        view = await fetch_view(client, guild_id)
    except GuildNotFound:
        return [
            CheckLine(
                False,
                f"server {guild_id}",
                "the bot is not in it; invite it with the URL `iopbot invite-url` prints",
            )
        ]
    lines = [CheckLine(True, f"server: {view.guild.name}")]
    lines += guild_checks(view, settings, required_permissions(settings))
    if client.application_id is not None:
        synced = await client.http.get_guild_commands(client.application_id, guild_id)
        lines.append(
            commands_check(expected_command_names(settings), [str(c["name"]) for c in synced])
        )
    return lines


async def local_lines(settings: Settings, now: datetime) -> list[CheckLine]:
    missing = database_file_check(settings.database.path)
    if missing is not None:
        return [missing]
    db = Database(settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms)
    await db.connect()
    try:
        return await database_checks(db, settings, now)
    finally:
        await db.close()


async def run_doctor(
    settings: Settings,
    *,
    out: TextIO = sys.stdout,
    api_base: str | None = None,
    now: datetime | None = None,
) -> int:
    """Print every check ✓/✗ with its fix; 0 only when all pass."""
    lines: list[CheckLine] = []
    token = settings.discord.token
    if token is None:
        lines.append(CheckLine(False, "token", "set IOPBOT_DISCORD__TOKEN (the bot's token)"))
    else:
        try:
            async with rest_client(token.get_secret_value(), api_base) as client:
                name = client.user.name if client.user else "?"
                lines.append(CheckLine(True, f"token accepted (bot @{name})"))
                lines += intent_checks(client.application_flags, settings)
                lines += await server_lines(client, settings)
        except discord.LoginFailure:
            lines.append(CheckLine(False, "token", LOGIN_REFUSED_FIX))
    lines += await local_lines(settings, now or SystemClock().now())
    for line in lines:
        print(line.render(), file=out)
    failed = sum(not line.ok for line in lines)
    if failed:
        print(f"{failed} of {len(lines)} checks failed.", file=out)
        return 1
    print(f"All {len(lines)} checks passed.", file=out)
    return 0


def cmd_setup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli import DEFAULT_CONFIG, refuses_api_base

    if refuses_api_base(settings):
        return 2
    chooser = ask_on_terminal if sys.stdin.isatty() else None
    return asyncio.run(
        run_setup(
            settings,
            config_path=args.config or DEFAULT_CONFIG,
            guild_id=args.guild_id,
            dry_run=args.dry_run,
            choose=chooser,
        )
    )


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli import refuses_api_base

    if refuses_api_base(settings):
        return 2
    return asyncio.run(run_doctor(settings))


def _setup_settings(args: argparse.Namespace) -> Settings:
    """Setup may be the first thing run: a config file that does not exist yet is fine."""
    from bot.cli import DEFAULT_CONFIG

    path: Path = args.config or DEFAULT_CONFIG
    return load_settings(path if path.is_file() else None)


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from bot.cli import _settings

    p = add("setup", "Create or adopt the program's roles and channels; write their ids.")
    p.add_argument("--guild-id", type=int, default=None, help="the server to set up")
    p.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    p.set_defaults(func=lambda a: cmd_setup(_setup_settings(a), a))
    p = add("doctor", "Check everything the running program needs; exit 0 if all pass.")
    p.set_defaults(func=lambda a: cmd_doctor(_settings(a), a))
