"""The ``iopbot`` command: run, migrate, check-config, sync, invite-url, backup, restore,
verify-audit, crisis-scan, setup, doctor, sandbox."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import logging
import pkgutil
import secrets
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import discord

from bot import cli_data, cli_setup
from bot.config import ConfigError, Settings, load_settings, summarize
from bot.db.database import Database
from bot.db.lock import DatabaseInUse
from bot.db.migrate import MigrationError, current_version, load_migrations, migrate
from bot.files import restrict_umask

if TYPE_CHECKING:
    from bot.cogbase import IopCog

DEFAULT_CONFIG = Path("config.toml")
MISSING_CREDENTIALS_HELP = """\
No Discord token is set, so iopbot can't connect to Discord.

Set it in the environment (never in a file you share):
    export IOPBOT_DISCORD__TOKEN='your-bot-token'
then run `iopbot run --config config.toml` again.

To try iopbot without a Discord application, run the offline sandbox:
    iopbot sandbox
"""
API_BASE_REFUSED = """\
discord.api_base is set, but iopbot connects to Discord with a real token.

That key exists only for the offline sandbox (`iopbot sandbox` sets it itself); with it the
bot would send its token to another host. Remove discord.api_base from the config (or
unset IOPBOT_DISCORD__API_BASE) and start again.
"""
START_CONFIG_HELP = """\
{config} is present, but no Discord token is set, so iopbot did not start.

It looks like a real setup: set the token in the environment
    export IOPBOT_DISCORD__TOKEN='your-bot-token'
and run `iopbot start` again. To try the offline sandbox instead, run `iopbot sandbox`.
"""
BASE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
)


def _config_path(args: argparse.Namespace) -> Path | None:
    path: Path | None = args.config
    if path is None:
        path = DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None
    return path


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(_config_path(args))


def refuses_api_base(settings: Settings) -> bool:
    """With a real token, a configured ``api_base`` is refused (printed); True if so."""
    if settings.discord.api_base:
        print(API_BASE_REFUSED, file=sys.stderr)
        return True
    return False


def _print_config_error(exc: ConfigError) -> int:
    print("Configuration problems:", file=sys.stderr)
    for line in exc.problems:
        print(f"  {line}", file=sys.stderr)
    return 1


def cmd_check_config(args: argparse.Namespace) -> int:
    from bot.app import unknown_cogs

    settings = _settings(args)
    unknown = unknown_cogs(settings)
    if unknown:
        return _print_config_error(
            ConfigError([f"cogs.enabled: unknown cog '{name}'" for name in unknown])
        )
    print("Configuration OK")
    for line in summarize(settings):
        print(f"  {line}")
    return 0


async def _migrate(settings: Settings, status_only: bool) -> int:
    db = Database(settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms)
    await db.connect()
    try:
        known = load_migrations()
        newest = known[-1].version if known else 0
        if status_only:
            version = await current_version(db)
            pending = [m for m in known if m.version > version]
            print(f"database: {settings.database.path}")
            print(f"schema version: {version} (code knows {newest})")
            for m in pending:
                print(f"  pending: {m.version:04d}_{m.name}")
            if not pending:
                print("  up to date")
            return 0
        applied = await migrate(db)
        for m in applied:
            print(f"applied {m.version:04d}_{m.name}")
        print(f"schema version: {await current_version(db)}" + ("" if applied else " (no change)"))
        return 0
    except MigrationError as exc:
        print(f"migration error: {exc}", file=sys.stderr)
        return 1
    finally:
        await db.close()


def cmd_migrate(args: argparse.Namespace) -> int:
    return asyncio.run(_migrate(_settings(args), args.status))


def cog_classes(settings: Settings) -> list[type[IopCog]]:
    """The IopCog classes of the enabled cogs (imported, never instantiated)."""
    from bot.app import cog_modules
    from bot.cogbase import IopCog

    found: list[type[IopCog]] = []
    for package_name in cog_modules(settings):
        package = importlib.import_module(package_name)
        modules = [package] + [
            importlib.import_module(info.name)
            for info in pkgutil.iter_modules(package.__path__, f"{package_name}.")
        ]
        for module in modules:
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, IopCog) and cls is not IopCog and cls not in found:
                    found.append(cls)
    return found


def required_permissions(settings: Settings) -> discord.Permissions:
    """The union of what the enabled cogs declare they need."""
    needed = discord.Permissions(BASE_PERMISSIONS.value)
    for cls in cog_classes(settings):
        needed.value |= cls.required_permissions.value
    return needed


def expected_command_names(settings: Settings) -> set[str]:
    """Top-level slash command names the enabled cogs declare on their classes."""
    names: set[str] = set()
    for cls in cog_classes(settings):
        if cls.__cog_is_app_commands_group__:
            names.add(str(cls.__cog_group_name__))
            continue
        names.update(command.name for command in cls.__cog_app_commands__)
    return names


def cmd_invite_url(args: argparse.Namespace) -> int:
    settings = _settings(args)
    app_id = args.application_id or settings.discord.application_id
    if app_id is None:
        print(
            "invite-url: set discord.application_id in the config (the Application ID on the "
            "Discord developer portal) or pass --application-id.",
            file=sys.stderr,
        )
        return 1
    permissions = required_permissions(settings)
    url = discord.utils.oauth_url(
        app_id,
        permissions=permissions,
        guild=discord.Object(settings.discord.guild_id)
        if settings.discord.guild_id
        else discord.utils.MISSING,
        scopes=("bot", "applications.commands"),
    )
    print(url)
    return 0


def _token(settings: Settings) -> str | None:
    token = settings.discord.token
    return token.get_secret_value() if token else None


# Exit codes of `iopbot run` (docs/DEPLOY.md): systemd restarts on any of them except
# the ones a restart can't fix (RestartPreventExitStatus there).
EXIT_OK = 0
EXIT_LOGIN = 1  # Discord refused the token / another bot process holds the database
EXIT_NO_TOKEN = 2
EXIT_DATABASE = 3  # the database can't be opened or migrated
EXIT_UNEXPECTED = 70  # anything else that stopped the bot (EX_SOFTWARE)


async def _run_bot(settings: Settings) -> int:
    """Run until Discord disconnects us for good or SIGTERM/SIGINT asks us to stop.

    A fatal error ends with one line on stderr and a distinct exit code; the traceback
    goes to the JSON log under the same reference code.
    """
    from bot.app import create_bot

    token = _token(settings) or ""
    bot = create_bot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        running = asyncio.create_task(bot.start(token), name="bot")
        stopping = asyncio.create_task(stop.wait(), name="stop-signal")
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stopping.done():
            logging.getLogger("iopbot.cli").info("shutdown.requested")
            await bot.close()
        stopping.cancel()
        try:
            await running
        except discord.LoginFailure:
            print("Discord refused the token. Check IOPBOT_DISCORD__TOKEN.", file=sys.stderr)
            return EXIT_LOGIN
        except DatabaseInUse as exc:
            print(f"run: {exc}; stop it first.", file=sys.stderr)
            return EXIT_LOGIN
        except (MigrationError, sqlite3.Error, OSError) as exc:
            ref = _log_fatal(exc)
            print(
                f"iopbot stopped: the database could not be opened or upgraded "
                f"({type(exc).__name__}, ref {ref}); see the log.",
                file=sys.stderr,
            )
            return EXIT_DATABASE
        except Exception as exc:
            ref = _log_fatal(exc)
            print(
                f"iopbot stopped: unexpected {type(exc).__name__} (ref {ref}); "
                "the log has the details under that ref.",
                file=sys.stderr,
            )
            return EXIT_UNEXPECTED
    logging.getLogger("iopbot.cli").info("shutdown.complete")
    return EXIT_OK


def _log_fatal(exc: BaseException) -> str:
    ref = secrets.token_hex(2).upper()
    logging.getLogger("iopbot.cli").critical(
        "bot.fatal", exc_info=(type(exc), exc, exc.__traceback__), extra={"ref": ref}
    )
    return ref


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if _token(settings) is None:
        print(MISSING_CREDENTIALS_HELP, file=sys.stderr)
        return 2
    if refuses_api_base(settings):
        return 2
    from bot.logsetup import configure_logging

    configure_logging(
        settings.logging.level,
        json_format=settings.logging.json_format,
        secrets=[
            _token(settings) or "",
            key.get_secret_value() if (key := settings.security.key) else "",
        ],
    )
    return asyncio.run(_run_bot(settings))


async def _sync(settings: Settings) -> int:
    from bot.app import create_bot

    token = _token(settings) or ""
    bot = create_bot(settings, autostart_jobs=False)
    async with bot:
        await bot.login(token)
        await bot.sync_commands(force=True)
    print(f"Slash commands synced to server {settings.discord.guild_id}.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if _token(settings) is None:
        print(MISSING_CREDENTIALS_HELP, file=sys.stderr)
        return 2
    if refuses_api_base(settings):
        return 2
    if settings.discord.guild_id is None:
        print("sync: set discord.guild_id first.", file=sys.stderr)
        return 1
    return asyncio.run(_sync(settings))


def cmd_crisis_scan(args: argparse.Namespace) -> int:
    from bot import crisis_scan

    return crisis_scan.main(args.file, _settings(args).safety)


def cmd_start(args: argparse.Namespace) -> int:
    """The main job: the real bot when a token is configured, else the offline sandbox."""
    settings = _settings(args)
    if _token(settings) is not None:
        return cmd_run(args)
    config = _config_path(args)
    if config is not None:
        print(START_CONFIG_HELP.format(config=config), file=sys.stderr)
        return 2
    from bot.sandbox import cli as sandbox_cli

    print(
        "No Discord token is set (IOPBOT_DISCORD__TOKEN), so iopbot starts the offline "
        "sandbox: a local Discord emulator with a demo program. Ctrl-C stops it.",
        file=sys.stderr,
    )
    sandbox_args = build_parser().parse_args(["sandbox"])
    return int(asyncio.run(sandbox_cli.main(sandbox_args)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iopbot", description="A Discord bot for Intensive Outpatient Programs."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "--config",
            type=Path,
            default=None,
            help="TOML config file (default: ./config.toml if present)",
        )
        return p

    add("start", "Run the bot if a token is set, otherwise the offline sandbox.").set_defaults(
        func=cmd_start
    )
    add("run", "Connect to Discord and run the bot.").set_defaults(func=cmd_run)
    p = add("migrate", "Create or upgrade the database schema.")
    p.add_argument("--status", action="store_true", help="show the schema version only")
    p.set_defaults(func=cmd_migrate)
    add("check-config", "Validate the configuration and print a summary.").set_defaults(
        func=cmd_check_config
    )
    add("sync", "Sync slash commands to the program's server now.").set_defaults(func=cmd_sync)
    p = add("invite-url", "Print the OAuth2 URL that invites the bot with what it needs.")
    p.add_argument("--application-id", type=int, default=None)
    p.set_defaults(func=cmd_invite_url)
    p = add("backup", "Copy the database with SQLite's online backup (safe while running).")
    p.add_argument("path", type=Path)
    p.set_defaults(func=lambda a: cli_data.cmd_backup(_settings(a), a))
    p = add("restore", "Restore a backup into the configured database (bot must be stopped).")
    p.add_argument("path", type=Path)
    p.add_argument("--force", action="store_true", help="replace an existing database")
    p.set_defaults(func=lambda a: cli_data.cmd_restore(_settings(a), a))
    add(
        "verify-audit",
        "Check the audit trail's and the accounting of disclosures' hash chains.",
    ).set_defaults(func=lambda a: cli_data.cmd_verify_audit(_settings(a), a))
    p = add("crisis-scan", "Run the crisis detector over JSON lines (text field); - is stdin.")
    p.add_argument("file", help="JSON lines file with a text field, or - for stdin")
    p.set_defaults(func=cmd_crisis_scan)
    cli_setup.add_commands(add)
    from bot.sandbox import cli as sandbox_cli

    p = sub.add_parser(
        "sandbox",
        help="Run the real bot against an offline Discord emulator (no token needed).",
    )
    sandbox_cli.add_arguments(p)
    p.set_defaults(func=lambda a: asyncio.run(sandbox_cli.main(a)))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        return _print_config_error(exc)


if __name__ == "__main__":
    raise SystemExit(main())
