"""Demo part "clients": the facilitator enrolls the three clients with `/client enroll`."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.emulator import InteractionResult
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser

CLIENT_KEYS = ("client1", "client2", "client3")


async def enroll(ctx: ScenarioContext, client: WorldUser) -> InteractionResult:
    """`/client enroll` for one client, as the facilitator, in staff-alerts."""
    reply = await ctx.slash(
        ctx.user("facilitator"),
        ctx.channel("staff-alerts"),
        "client enroll",
        member=client,
        timezone=client.timezone,
    )
    ctx.expect(reply.answered, f"/client enroll {client.name} was answered")
    ctx.expect(not reply.is_error, f"/client enroll {client.name} succeeded: {reply.text!r}")
    return reply


async def run(ctx: ScenarioContext) -> None:
    for key in CLIENT_KEYS:
        await enroll(ctx, ctx.user(key))
    await ctx.advance(timedelta(minutes=1))
    client_role = str(ctx.world.roles["client"])
    members = ctx.emulator.state.guilds[ctx.world.guild_id].members
    for key in CLIENT_KEYS:
        client = ctx.user(key)
        ctx.expect(
            client_role in members[client.id]["roles"],
            f"{client.name} has the client role (Member)",
        )
