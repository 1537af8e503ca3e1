"""Browser tests: Playwright for Python driving Debian's Chromium against a live sandbox.

Browser downloads are impossible here, so Playwright is pointed at /usr/bin/chromium
(`apt-get install chromium`; .ci/run installs it). Without it the tests skip, except
in CI, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord.gateway
import discord.http
import pytest

from bot.sandbox.runner import Sandbox, running_sandbox

CHROMIUM = Path(os.environ.get("IOPBOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


def _need_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    _need_browser()
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    # The bot unloads its extensions on close, and discord.py then drops `cogs.*` from
    # sys.modules; tests collected earlier hold the old module objects, so put them back.
    modules = {n: m for n, m in sys.modules.items() if n == "cogs" or n.startswith("cogs.")}
    try:
        async with running_sandbox(start=START, db_path=tmp_path / "bot.sqlite3") as running:
            yield running
            assert running.emulator.unimplemented == []
            assert running.errors.messages == []
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
        sys.modules.update(modules)


@pytest.fixture
async def page(tmp_path: Path, sandbox: Sandbox) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        # A persistent context on a fresh folder: a clean profile for every test.
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            await context.close()
