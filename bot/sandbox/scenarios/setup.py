"""The `setup` scenario: from an empty server to a working program.

Before the bot starts (``prepare_setup``): the server holds only the bot. `iopbot setup`'s
code runs against the emulator over REST, creating the roles and staff channels and
writing a ``config.toml`` beside the sandbox database; the demo's people join with the
new roles; the bot starts from that config.

Then (``run``): the `smoke` flow (enroll, daily prompt, check-in form); a second setup run
must report no changes; after a backup, `iopbot doctor` must pass every check.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.cli_data import backup_database
from bot.cli_setup import run_doctor, run_setup
from bot.config import CogSettings, DatabaseSettings, DiscordSettings, Settings, load_settings
from bot.guild_setup import CHANNEL_NAMES
from bot.sandbox.demo_world import add_people
from bot.sandbox.emulator import Emulator
from bot.sandbox.scenario import ScenarioContext, ScenarioFailed
from bot.sandbox.scenarios.smoke import run as run_smoke
from bot.sandbox.world import World

CONFIG_NAME = "config.toml"
NO_CHANGES = "No changes:"


def sandbox_settings(config: Path, emulator: Emulator, db_path: Path) -> Settings:
    """The config setup wrote, plus what only the sandbox sets (token, emulator, db)."""
    from bot.sandbox.runner import TOKEN, available_cogs

    written = load_settings(config)
    return written.model_copy(
        update={
            "discord": written.discord.model_copy(
                update={"token": SecretStr(TOKEN), "api_base": emulator.api_base}
            ),
            "database": DatabaseSettings(path=db_path),
            "cogs": CogSettings(enabled=available_cogs()),
        }
    )


async def prepare_setup(
    emulator: Emulator, world: World, db_path: Path
) -> tuple[Settings, dict[str, Any]]:
    from bot.sandbox.runner import TOKEN, available_cogs

    config = db_path.parent / CONFIG_NAME
    first = Settings(
        discord=DiscordSettings(token=SecretStr(TOKEN)),
        cogs=CogSettings(enabled=available_cogs()),
    )
    out = io.StringIO()
    code = await run_setup(first, config_path=config, out=out, api_base=emulator.api_base)
    if code != 0:
        raise ScenarioFailed(f"setup on the empty server failed:\n{out.getvalue()}")
    settings = sandbox_settings(config, emulator, db_path)
    for key in ("facilitator", "client", "family", "on_call", "auditor"):
        role_id = getattr(settings.roles, key)
        if role_id is not None:
            world.roles[key] = role_id
    for key, name in CHANNEL_NAMES.items():
        channel_id = getattr(settings.channels, key, None)
        if channel_id is not None:
            world.channels[name] = channel_id
    add_people(emulator, world)
    return settings, {"config_path": config, "setup_output": out.getvalue()}


async def run(ctx: ScenarioContext) -> None:
    config: Path = ctx.extra["config_path"]
    for line in str(ctx.extra.get("setup_output", "")).splitlines():
        ctx.step(f"setup: {line.strip()}")
    ctx.require(ctx.has_channel("staff-alerts"), "setup created #staff-alerts")
    ctx.require(ctx.has_channel("mod-log"), "setup created #mod-log")

    await run_smoke(ctx)

    settings: Settings = ctx.bot.services.settings
    api_base = ctx.emulator.api_base
    out = io.StringIO()
    code = await run_setup(settings, config_path=config, out=out, api_base=api_base)
    for line in out.getvalue().splitlines():
        ctx.step(f"setup again: {line.strip()}")
    ctx.expect(code == 0 and NO_CHANGES in out.getvalue(), "a second setup run changes nothing")

    await backup_database(settings, config.with_name("backup.sqlite3"), ctx.now())
    out = io.StringIO()
    code = await run_doctor(settings, out=out, api_base=api_base, now=ctx.now())
    for line in out.getvalue().splitlines():
        ctx.step(f"doctor: {line}")
    ctx.expect(code == 0, f"doctor passes after setup:\n{out.getvalue()}")
