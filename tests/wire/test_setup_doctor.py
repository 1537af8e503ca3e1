"""`iopbot setup` and `iopbot doctor` over the wire, against the emulator's empty world."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import discord.gateway
import discord.http
import pytest
from pydantic import SecretStr

from bot.cli import build_parser
from bot.cli_data import backup_database
from bot.cli_setup import run_doctor, run_setup
from bot.config import CogSettings, DiscordSettings, Settings
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.sandbox import cli as sandbox_cli
from bot.sandbox.demo_world import seed_empty_world
from bot.sandbox.emulator import Emulator
from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.views import BOT_PERMISSIONS
from bot.sandbox.runner import available_cogs
from bot.sandbox.scenarios.setup import sandbox_settings

TOKEN = "setup-token"


@dataclass
class Server:
    emulator: Emulator
    guild_id: int
    config: Path

    async def setup(self, *, dry_run: bool = False, config: Path | None = None) -> tuple[int, str]:
        out = io.StringIO()
        first = Settings(
            discord=DiscordSettings(token=SecretStr(TOKEN)),
            cogs=CogSettings(enabled=available_cogs()),
        )
        code = await run_setup(
            first,
            config_path=config or self.config,
            dry_run=dry_run,
            out=out,
            api_base=self.emulator.api_base,
        )
        return code, out.getvalue()

    def role_names(self) -> list[str]:
        return [r["name"] for r in self.emulator.state.guilds[self.guild_id].roles.values()]

    def channel_names(self) -> list[str]:
        return [c["name"] for c in self.emulator.state.guild_channels(self.guild_id)]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    emulator = Emulator(token=TOKEN)
    await emulator.start()
    world = seed_empty_world(emulator)
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield Server(emulator, world.guild_id, tmp_path / "config.toml")
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        await emulator.stop()


async def test_setup_creates_then_reports_no_changes(server: Server) -> None:
    code, out = await server.setup()
    assert code == 0, out
    assert {"Facilitator", "Member", "Guest", "On-call", "Auditor"} <= set(server.role_names())
    assert {"staff-alerts", "mod-log"} <= set(server.channel_names())
    guild = server.emulator.state.guilds[server.guild_id]
    assert not any(r["hoist"] for r in guild.roles.values())
    written = server.config.read_text()
    assert "# your program's server id" in written  # the example's comments are kept
    assert oct(server.config.stat().st_mode & 0o777) == "0o600"

    requests_before = len(server.emulator.requests)
    code, out = await server.setup()
    assert code == 0
    assert "No changes: the server and" in out
    assert server.config.read_text() == written
    made = [r for r in server.emulator.requests[requests_before:] if r["method"] != "GET"]
    assert made == []


async def test_staff_channels_are_private_to_staff(server: Server) -> None:
    await server.setup()
    settings = sandbox_settings(server.config, server.emulator, server.config.with_suffix(".db"))
    state = server.emulator.state
    guild = state.guilds[server.guild_id]
    channel = state.channels[settings.channels.staff_alerts or 0]
    member = server.emulator.add_member(server.guild_id, "Alex", roles=[settings.roles.client])
    alex = int(member["user"]["id"])
    now = server.emulator.now()
    assert perm.channel_permissions(guild, channel, alex, now) == 0
    bot_can = perm.channel_permissions(guild, channel, server.emulator.bot_id, now)
    assert bot_can & perm.SEND_MESSAGES and bot_can & perm.EMBED_LINKS


async def test_dry_run_changes_nothing(server: Server) -> None:
    roles_before = server.role_names()
    code, out = await server.setup(dry_run=True)
    assert code == 0
    assert "create role @Facilitator (roles.facilitator)" in out
    assert "create channel #staff-alerts (channels.staff_alerts, staff only)" in out
    assert "Dry run: nothing was changed." in out
    assert server.role_names() == roles_before
    assert not server.config.exists()


async def test_setup_adopts_by_name_and_never_renames(server: Server) -> None:
    member = server.emulator.create_role(server.guild_id, "member")
    mod_log = server.emulator.create_channel(server.guild_id, "mod-log", topic="ours")
    server.config.write_text("# our own notes\n[roles]\nfamily = 12345  # an old id\n")
    server.config.chmod(0o640)
    code, out = await server.setup()
    assert code == 0, out
    assert f"adopt role @member ({member['id']}) as roles.client" in out
    assert f"adopt channel #mod-log ({mod_log['id']}) as channels.mod_log" in out
    assert server.role_names().count("Member") == 0  # adopted, not recreated or renamed
    assert server.channel_names().count("mod-log") == 1
    text = server.config.read_text()
    assert text.startswith("# our own notes\n")
    assert "# an old id" in text and "12345" not in text  # stale id replaced, comment kept
    assert server.config.stat().st_mode & 0o777 == 0o640  # its mode is kept


async def test_setup_says_how_to_fix_the_role_order(server: Server) -> None:
    guild = server.emulator.state.guilds[server.guild_id]
    server.emulator.create_role(server.guild_id, "Guest")  # just below the bot's role...
    bot_role = max(guild.roles.values(), key=lambda r: int(r["position"]))
    guest = next(r for r in guild.roles.values() if r["name"] == "Guest")
    guest["position"], bot_role["position"] = bot_role["position"], guest["position"]
    code, out = await server.setup()
    assert code == 1
    assert (
        "✗ role order: @iopbot must be above @Guest to give those roles; in Server Settings → "
        "Roles, drag @iopbot above @Guest" in out
    )
    assert server.config.is_file()  # the ids are still written


async def test_setup_without_manage_roles_says_what_is_missing(tmp_path: Path) -> None:
    emulator = Emulator(token=TOKEN)
    await emulator.start()
    old_base = discord.http.Route.BASE
    try:
        emulator.create_guild("Locked", bot_permissions=BOT_PERMISSIONS & ~perm.MANAGE_ROLES)
        server = Server(emulator, 0, tmp_path / "config.toml")
        code, out = await server.setup()
    finally:
        discord.http.Route.BASE = old_base
        await emulator.stop()
    assert code == 1
    assert "setup: the bot lacks Manage Roles in Locked" in out
    assert not server.config.exists()


async def _doctor(server: Server, settings: Settings) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_doctor(
        settings, out=out, api_base=server.emulator.api_base, now=server.emulator.now()
    )
    return code, out.getvalue()


async def test_doctor_passes_then_names_a_removed_permission(server: Server) -> None:
    from bot.app import create_bot

    await server.setup()
    db_path = server.config.with_name("iopbot.sqlite3")
    settings = sandbox_settings(server.config, server.emulator, db_path)
    settings = settings.model_copy(
        update={"discord": settings.discord.model_copy(update={"token": SecretStr(TOKEN)})}
    )
    db = Database(db_path)
    await db.connect()
    await migrate(db)
    await db.close()
    code, out = await _doctor(server, settings)
    assert code == 1
    assert "✗ last backup: none recorded: run `iopbot backup PATH`" in out
    assert "/client" in out and "not synced; run `iopbot sync`" in out

    bot = create_bot(settings, autostart_jobs=False)
    async with bot:
        await bot.login(TOKEN)
        await bot.sync_commands(force=True)
    await backup_database(settings, db_path.with_name("b.sqlite3"), server.emulator.now())
    code, out = await _doctor(server, settings)
    assert code == 0, out
    assert out.rstrip().endswith("checks passed.")

    # An admin takes Send Messages away from the bot in #staff-alerts.
    staff = server.emulator.state.channels[settings.channels.staff_alerts or 0]
    bot_id = str(server.emulator.bot_id)
    own = next(o for o in staff["permission_overwrites"] if o["id"] == bot_id)
    own["allow"] = str(int(own["allow"]) & ~perm.SEND_MESSAGES)
    own["deny"] = str(perm.SEND_MESSAGES)
    code, out = await _doctor(server, settings)
    assert code == 1
    assert (
        "✗ channels.staff_alerts: the bot lacks Send Messages, Embed Links in #staff-alerts: "
        "allow them for the bot in the channel's permissions (Edit Channel → Permissions)"
        in out.splitlines()
    )
    assert "1 of " in out, out


async def test_doctor_refused_token_and_missing_database(server: Server, tmp_path: Path) -> None:
    settings = Settings(
        discord=DiscordSettings(token=SecretStr("wrong"), guild_id=server.guild_id),
        database={"path": tmp_path / "none.sqlite3"},  # type: ignore[arg-type]
    )
    code, out = await _doctor(server, settings)
    assert code == 1
    assert "✗ token: Discord refused it; copy a new one from the developer portal" in out
    assert "no database there; run `iopbot migrate`" in out
    assert not (tmp_path / "none.sqlite3").exists()


async def test_sandbox_setup_scenario_exits_zero(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["sandbox", "--scenario", "setup", "--quiet", "--db", str(tmp_path / "s.sqlite3")]
    )
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        assert await sandbox_cli.main(args) == 0
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
    assert (tmp_path / "config.toml").is_file()
    assert os.stat(tmp_path / "config.toml").st_mode & 0o077 == 0


async def test_with_several_servers_setup_asks_or_lists_them(server: Server) -> None:
    second = server.emulator.create_guild("Second Program")
    first = Settings(discord=DiscordSettings(token=SecretStr(TOKEN)))
    out = io.StringIO()
    code = await run_setup(
        first, config_path=server.config, out=out, api_base=server.emulator.api_base
    )
    assert code == 1
    assert "pass --guild-id with one of:" in out.getvalue()
    assert f"  {second.id}  Second Program" in out.getvalue()
    assert not server.config.exists()

    offered: list[list[tuple[int, str]]] = []

    def pick_second(guilds: list[tuple[int, str]]) -> int | None:
        offered.append(guilds)
        return second.id

    out = io.StringIO()
    code = await run_setup(
        first,
        config_path=server.config,
        out=out,
        choose=pick_second,
        api_base=server.emulator.api_base,
    )
    assert code == 0, out.getvalue()
    assert len(offered[0]) == 2
    assert f"guild_id = {second.id}" in server.config.read_text()
    assert "Facilitator" not in server.role_names()  # the first server is untouched
