"""Safety part "checkin_item": the next morning the person answers the daily check-in's
safety question "Yes". They get crisis resources and their safety plan button privately at
once, and an urgent alert pages the on-call role (no answers in it)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.localtime import next_local_time, parse_hhmm
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios.demo_checkins import OPEN_ID, PROMPT
from bot.sandbox.scenarios.smoke import button_ids

SAFETY_PLAN_ID = "iop:safetyplan:show"
ACK_PREFIX = "iop:alert:ack:"


async def run(ctx: ScenarioContext) -> None:
    client = ctx.user("client3")
    staff = ctx.channel("staff-alerts")
    on_call_role = ctx.world.roles["on_call"]
    nine = next_local_time(parse_hhmm("09:00"), ZoneInfo(client.timezone), ctx.now())
    ctx.step(f"{client.name}'s next local 09:00 ({client.timezone}) comes")
    await ctx.advance(nine + timedelta(minutes=1) - ctx.now())
    prompts = [m for m in ctx.dms(client) if str(m.get("content", "")).endswith(f"\n{PROMPT}")]
    if not ctx.expect(prompts, f"{client.name} has a check-in prompt"):
        return
    shown = await ctx.click(client, prompts[-1], OPEN_ID)
    form = shown.modal or {}
    if not ctx.expect(form, "the Check in button opens the form"):
        return
    posts_before = len(ctx.channel_messages(staff))
    done = await ctx.submit_modal(
        client,
        str(form.get("custom_id", "")),
        {"mood": "2", "craving": "3", "used": "no", "safety": "yes", "note": ""},
    )
    ctx.expect(done.ephemeral and "988" in done.text, "'Yes' gets crisis resources privately")
    ctx.expect(SAFETY_PLAN_ID in button_ids(done.to_json()), "the reply has the safety plan button")
    await ctx.advance(timedelta(seconds=30))
    new_posts = ctx.channel_messages(staff)[posts_before:]
    alert = next(
        (m for m in new_posts if any(b.startswith(ACK_PREFIX) for b in button_ids(m))), None
    )
    ctx.expect(alert is not None, "an urgent alert reached the staff channel")
    if alert is not None:
        ctx.expect(f"<@&{on_call_role}>" in alert["content"], "the alert pages the on-call role")
        ctx.expect("yes" not in str(alert.get("embeds")).lower(), "the alert has no answers")
