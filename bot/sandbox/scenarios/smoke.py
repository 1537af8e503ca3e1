"""The `smoke` scenario: the bot is logged in, answers a slash command, and sends a DM."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.scenario import ScenarioContext


async def run(ctx: ScenarioContext) -> None:
    from bot.sandbox.scenarios.demo_clients import enroll

    ctx.step("smoke: is the bot logged in?")
    ctx.require(ctx.emulator.bot_connected, "the bot is connected to the gateway")
    ctx.require(ctx.emulator.commands_for_guild(ctx.world.guild_id), "slash commands are synced")

    client = ctx.user("client1")
    await enroll(ctx, client)
    await ctx.advance(timedelta(minutes=1))
    ctx.expect(ctx.dms(client), f"the bot sent {client.name} a DM")
