"""The `smoke` scenario: the bot is logged in, answers a slash command, and sends a DM."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser


async def run(ctx: ScenarioContext) -> None:
    from bot.sandbox.scenarios.demo_clients import enroll

    ctx.step("smoke: is the bot logged in?")
    ctx.require(ctx.emulator.bot_connected, "the bot is connected to the gateway")
    ctx.require(ctx.emulator.commands_for_guild(ctx.world.guild_id), "slash commands are synced")

    client = ctx.user("client1")
    await enroll(ctx, client)
    await ctx.advance(timedelta(minutes=1))
    if not ctx.dms(client):
        await queue_welcome_dm(ctx, client)
        await ctx.advance(timedelta(minutes=1))
    ctx.expect(ctx.dms(client), f"the bot sent {client.name} a DM")


async def queue_welcome_dm(ctx: ScenarioContext, client: WorldUser) -> None:
    """Queue a DM through the bot's own outbox (the path every notice takes)."""
    from bot.services.notices import Notice
    from bot.services.outbox import DM

    ctx.step(f"smoke: the sandbox queues a welcome DM to {client.name} in the bot's outbox")
    services = ctx.bot.services
    async with services.db.transaction() as tx:
        await services.outbox.enqueue(
            tx,
            dedupe_key=f"sandbox:smoke:{client.id}",
            kind="sandbox.smoke",
            target=DM(client.id),
            notice=Notice(content="Welcome to Sunrise Recovery IOP. This is a sandbox message."),
        )
