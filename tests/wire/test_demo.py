"""The whole demo against the emulator: it passes, and every DM it sends opens with a
neutral first line (what a locked phone shows: no program name, no clinical words)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import discord.gateway
import discord.http
import pytest

from bot.domain.language import reveals_treatment
from bot.sandbox.runner import Sandbox, running_sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios import SCENARIOS
from tests.wire.conftest import assert_contract_kept

START = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with running_sandbox(start=START, db_path=tmp_path / "bot.sqlite3") as running:
            yield running
            assert_contract_kept(running.emulator)
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_every_dm_the_demo_sends_has_a_neutral_first_line(sandbox: Sandbox) -> None:
    ctx = ScenarioContext(sandbox.emulator, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
    await SCENARIOS["demo"](ctx)
    assert ctx.failures == []
    settings = sandbox.bot.settings
    sent = [
        entry
        for entry in sandbox.emulator.transcript.entries
        if entry["kind"] == "dm" and entry.get("event") == "send"
    ]
    assert len(sent) >= 10  # prompts, celebrations, family notices, crisis resources, export
    for entry in sent:
        first_line = (entry.get("content") or "").split("\n", 1)[0]
        assert first_line == settings.program.dm_preview, entry.get("content")
        assert reveals_treatment(first_line, settings.program.name) == []
