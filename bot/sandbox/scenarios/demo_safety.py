"""Demo part "safety": AutoMod presets, a report, a warning, and a crisis phrase whose
urgent alert a facilitator acknowledges.

The sandbox runs with the message-content intent (the default), so the message listener
starts the crisis path; a server without the intent gets the same path through the AutoMod
crisis rule's alert. The `safety` scenario tells the rest of the safety net's story (a DM
to the bot, paging, a refused staff post, the outcome).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.scenario import ScenarioContext, ScenarioFailed
from bot.sandbox.world import WorldChannel

ACK_PREFIX = "iop:alert:ack:"


SEEDED = ("welcome", "staff-alerts", "mod-log")


def group_channels(ctx: ScenarioContext) -> list[WorldChannel]:
    """Cohort channels the groups part made (newest first), then the seeded welcome."""
    made = [
        WorldChannel(id=int(c["id"]), name=str(c["name"]))
        for c in ctx.emulator.state.guild_channels(ctx.world.guild_id)
        if c.get("type") == 0 and c.get("name") not in SEEDED
    ]
    return [*reversed(made), ctx.channel("welcome")]


async def post_in_group(
    ctx: ScenarioContext, user: str, text: str
) -> tuple[WorldChannel, dict[str, Any]]:
    """Post where ``user`` may post: their cohort channel if they can, else welcome."""
    for channel in group_channels(ctx):
        try:
            return channel, await ctx.post(user, channel, text)
        except PermissionError:
            continue
    raise ScenarioFailed(f"{user} can't post in any group channel")


async def run(ctx: ScenarioContext) -> None:
    facilitator = ctx.user("facilitator")
    staff = ctx.channel("staff-alerts")

    installed = await ctx.slash(facilitator, staff, "automod install")
    ctx.expect(not installed.is_error, f"/automod install worked: {installed.text!r}")

    # A report: client1 reports an unkind message by client2.
    _, unkind = await post_in_group(ctx, "client2", "nobody cares what you think, just leave")
    report = await ctx.context_menu("client1", unkind, "Report to facilitator")
    ctx.expect(report.ephemeral and "Thank you" in report.text, "the reporter is thanked privately")
    await ctx.advance(timedelta(minutes=1))
    reported = [
        m
        for m in ctx.channel_messages(staff)
        if any("reported" in e.get("title", "") for e in m["embeds"])
    ]
    ctx.expect(len(reported) == 1, "the staff channel has the report")
    ctx.expect(
        not any(ctx.user("client1").name in str(m) for m in ctx.dms("client2")),
        "the reported member is not told who reported",
    )

    # A moderation action: a private warning with its delivery status.
    warned = await ctx.slash(
        facilitator,
        staff,
        "mod warn",
        member=ctx.user("client2"),
        reason="Please keep to the group agreement: we speak to each other with respect.",
    )
    ctx.expect("delivered by DM" in warned.text, f"the warning was delivered: {warned.text!r}")

    # A crisis phrase, its private reply and the urgent alert, acknowledged.
    group, crisis = await post_in_group(ctx, "client3", "honestly I just want to die tonight")
    before = len(ctx.channel_messages(group))
    await ctx.advance(timedelta(minutes=1))
    ctx.expect(
        any("988" in m["content"] for m in ctx.dms("client3")),
        "the person got crisis resources privately",
    )
    after = ctx.channel_messages(group)
    ctx.expect(
        len(after) == before
        and any(m["id"] == crisis["id"] for m in after)
        and all(m["author_id"] != str(ctx.world.bot_user_id) for m in after[before - 1 :]),
        "the crisis message stays and nothing is posted publicly",
    )
    alert = next(
        (
            m
            for m in reversed(ctx.channel_messages(staff))
            if any(str(c.get("custom_id") or "").startswith(ACK_PREFIX) for c in m["components"])
        ),
        None,
    )
    if alert is None:
        raise ScenarioFailed("no urgent alert with an Acknowledge button reached staff")
    ack_id = next(
        str(c["custom_id"])
        for c in alert["components"]
        if str(c.get("custom_id") or "").startswith(ACK_PREFIX)
    )
    ack = await ctx.click(facilitator, alert, ack_id)
    ctx.expect(ack.answered and not ack.is_error, "the facilitator acknowledged the alert")
