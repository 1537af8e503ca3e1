"""Restarting only the bot: Discord (the emulator) keeps its state, the bot its database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp

from bot.sandbox.runner import Sandbox
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios import SCENARIOS
from bot.sandbox.scenarios.smoke import PROMPT


async def _control(sandbox: Sandbox, method: str, path: str, body: Any) -> Any:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, f"{sandbox.emulator.base_url}{path}", json=body) as answer,
    ):
        return answer.status, await answer.json()


def _prompts(ctx: ScenarioContext) -> list[dict[str, Any]]:
    dms = ctx.dms(ctx.user("client1"))
    return [m for m in dms if str(m.get("content") or "").endswith(f"\n{PROMPT}")]


async def test_a_crashed_bot_comes_back_to_the_same_discord(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ctx = ScenarioContext(emu, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
    await SCENARIOS["smoke"](ctx)
    assert ctx.failures == []
    client = ctx.user("client1")
    dm_channel = emu.state.dm_channel_by_user[client.id]
    channels_before = set(emu.state.channels)
    old_bot = sandbox.bot
    old_tasks = list(sandbox.run.tasks) if sandbox.run is not None else []
    closed: list[bool] = []

    async def spy_close() -> None:
        closed.append(True)

    real_close = old_bot.close
    old_bot.close = spy_close  # a crash must not run the bot's shutdown code
    try:
        status, answer = await _control(sandbox, "POST", "/_control/bot/restart", {"crash": True})
    finally:
        old_bot.close = real_close
    assert status == 200 and answer["crash"] is True and answer["connected"] is True
    assert closed == []
    assert all(task.done() for task in old_tasks)
    assert sandbox.bot is not old_bot and sandbox.restarts == 1
    assert emu.gateway.identifies == 2

    # Discord's side is unchanged: the same DM channel, channels and messages.
    assert emu.state.dm_channel_by_user[client.id] == dm_channel
    assert set(emu.state.channels) == channels_before
    assert len(_prompts(ctx)) == 1
    # The new bot carries on from the database: the next day's prompt arrives in the
    # same DM channel, with no request refused.
    ctx.bot = sandbox.bot
    await ctx.advance(timedelta(days=1))
    prompts = _prompts(ctx)
    assert len(prompts) == 2 and prompts[-1]["channel_id"] == str(dm_channel)
    assert [r for r in emu.requests if r.get("status", 200) >= 400] == []
    assert sandbox.errors.messages == []


async def test_a_clean_restart_from_a_scenario(sandbox: Sandbox) -> None:
    emu = sandbox.emulator
    ctx = ScenarioContext(emu, sandbox.world, bot=sandbox.bot, clock=sandbox.clock)
    old_bot = ctx.bot
    new_bot = await ctx.restart_bot()
    assert new_bot is sandbox.bot is ctx.bot and new_bot is not old_bot
    assert old_bot.is_closed() and emu.gateway.identifies == 2
    reply = await ctx.slash(
        ctx.user("facilitator"), "staff-alerts", "client enroll", member=ctx.user("client2")
    )
    assert reply.answered and not reply.is_error
    assert any("the bot restarts" in str(e.get("note")) for e in emu.transcript.entries)


async def test_member_roles_change_through_the_control_api(sandbox: Sandbox) -> None:
    world, emu = sandbox.world, sandbox.emulator
    family = world.user("family")
    status, answer = await _control(
        sandbox,
        "PUT",
        f"/_control/members/{family.id}/roles",
        {"guild_id": world.guild_id, "roles": ["Member"]},  # the client role's name
    )
    assert status == 200 and answer["roles"] == [str(world.roles["client"])]
    member = sandbox.bot.get_guild(world.guild_id).get_member(family.id)
    assert [r.id for r in member.roles if not r.is_default()] == [world.roles["client"]]
    status, answer = await _control(
        sandbox,
        "PUT",
        f"/_control/members/{family.id}/roles",
        {"guild_id": world.guild_id, "roles": ["no such role"]},
    )
    assert status == 400 and "no such role" in answer["error"]
    assert emu.state.guilds[world.guild_id].members[family.id]["roles"] == [
        str(world.roles["client"])
    ]
