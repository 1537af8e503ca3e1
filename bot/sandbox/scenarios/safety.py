"""The `safety` scenario: crisis language in a DM to the bot reaches a person at once, and
keeps reaching one when the staff channel refuses the post.

1. Riley (client3) is enrolled and gets the welcome DM, which explains crisis screening.
2. Riley DMs the bot crisis language (no privileged intent is needed for DMs).
3. Riley gets a private reply: a neutral first line, resources, an honest word that it is
   outside staffed hours (the sandbox starts at 08:00 in New York), and "My safety plan".
4. The urgent alert reaches staff-alerts at once and mentions the on-call role; its
   "View message" button shows the DM to a facilitator (ephemeral, audit-logged).
5. An admin removes the bot's Send Messages in staff-alerts. Fifteen sandbox minutes later
   the re-page is refused (403/50013): the failure is recorded and logged at error level,
   and the on-call facilitator gets the alert by DM anyway.
6. The facilitator acknowledges from that DM and records the outcome "Reached the person";
   re-paging stops.

The check-in safety item answered "yes" and the safety plan join this story as optional
parts (`bot/sandbox/scenarios/safety_<part>.py`, see `LATER_PARTS`), written by the
features that own them; a missing part is skipped with a note in the transcript.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.scenario import ScenarioContext, ScenarioFailed, load_part
from bot.sandbox.scenarios.demo_clients import enroll
from bot.sandbox.scenarios.smoke import button_ids

CRISIS_DM = "i cant do this anymore. im going to kill myself tonight"
SAFETY_PLAN_ID = "iop:safetyplan:show"
VIEW_PREFIX = "iop:crisis:view:"
ACK_PREFIX = "iop:alert:ack:"
REACHED_SUFFIX = ":reached"
# Parts other features add to this story (after the DM path above).
LATER_PARTS = ("checkin_item", "plan")  # safety_plan.py is written


def _with_button(messages: list[dict[str, Any]], prefix: str) -> dict[str, Any] | None:
    for message in reversed(messages):
        if any(b.startswith(prefix) for b in button_ids(message)):
            found: dict[str, Any] = message
            return found
    return None


def _button(message: dict[str, Any], prefix: str, suffix: str = "") -> str:
    return next(b for b in button_ids(message) if b.startswith(prefix) and b.endswith(suffix))


async def run(ctx: ScenarioContext) -> None:
    client = ctx.user("client3")
    facilitator = ctx.user("facilitator")
    staff = ctx.channel("staff-alerts")
    on_call_role = ctx.world.roles["on_call"]

    await enroll(ctx, client)
    await ctx.advance(timedelta(minutes=1))
    welcome = ctx.dms(client)
    ctx.expect(
        welcome and "checked automatically" in welcome[0]["content"],
        "the enrollment welcome explains crisis screening",
    )

    # 2-3. A DM to the bot, and the private reply.
    before = len(ctx.dms(client))
    await ctx.post_dm(client, CRISIS_DM)
    await ctx.settle()
    await ctx.advance(timedelta(seconds=30))
    replies = [m for m in ctx.dms(client)[before:] if m["author_id"] != str(client.id)]
    # The crisis reply is the one with the safety-plan button (with the care line on, the
    # DM also gets the care line's automatic reply, in either order).
    reply = next((m for m in replies if SAFETY_PLAN_ID in button_ids(m)), None)
    if reply is None:
        raise ScenarioFailed("the person got no private reply to their DM")
    preview = ctx.bot.services.settings.program.dm_preview
    first_line = reply["content"].splitlines()[0]
    ctx.expect("988" in reply["content"], "the reply lists crisis resources")
    ctx.expect(first_line == preview, f"the reply's first line is neutral: {first_line!r}")
    ctx.expect("until later" in reply["content"], "the reply says staff may see it later")
    ctx.expect(SAFETY_PLAN_ID in button_ids(reply), "the reply has the safety plan button")

    # 4. The urgent alert, paged at once, and View message.
    alert = _with_button(ctx.channel_messages(staff), ACK_PREFIX)
    if alert is None:
        raise ScenarioFailed("no urgent alert reached the staff channel")
    ctx.expect(f"<@&{on_call_role}>" in alert["content"], "the alert pages the on-call role")
    ctx.expect(CRISIS_DM not in str(alert), "the alert carries no message text")
    view = await ctx.click(facilitator, alert, _button(alert, VIEW_PREFIX))
    ctx.expect(view.ephemeral and "kill myself" in view.text, "View message shows the DM")
    alert_id = int(_button(alert, ACK_PREFIX).removeprefix(ACK_PREFIX))

    # 5. The staff channel refuses the re-page; the on-call facilitator still hears of it.
    bot_id = ctx.world.bot_user_id
    ctx.expected_errors += ["alert.post_failed", "alerts.channel_access"]
    ctx.set_overwrite(staff, bot_id, allow=perm.VIEW_CHANNEL, deny=perm.SEND_MESSAGES)
    posts_before = len(ctx.channel_messages(staff))
    dms_before = len(ctx.dms(facilitator))
    await ctx.advance(timedelta(minutes=15))
    ctx.expect(len(ctx.channel_messages(staff)) == posts_before, "the re-page was refused")
    failures = await ctx.bot.services.alert_repo.failures_since(ctx.now() - timedelta(hours=1))
    ctx.expect(
        [(f.alert_id, f.error_code) for f in failures] == [(alert_id, 50013)],
        f"the refused post is recorded for /alerts status: {failures!r}",
    )
    fallback = _with_button(ctx.dms(facilitator)[dms_before:], ACK_PREFIX)
    if fallback is None:
        raise ScenarioFailed("the on-call facilitator got no DM about the refused alert")
    ctx.expect(
        fallback["content"].splitlines()[0] == preview,
        "the fallback DM's first line is neutral",
    )

    # 6. Acknowledge from the DM and record the outcome.
    ack = await ctx.click(facilitator, fallback, _button(fallback, ACK_PREFIX))
    ctx.expect(ack.ephemeral and "What happened?" in ack.text, "acknowledging asks the outcome")
    outcome = await ctx.click(
        facilitator, ack, _button(ack.to_json(), "iop:alert:outcome:", REACHED_SUFFIX)
    )
    ctx.expect(not outcome.is_error, f"the outcome was recorded: {outcome.text!r}")
    recorded = await ctx.bot.services.alert_repo.get(alert_id)
    ctx.expect(
        recorded is not None and recorded.outcome == "reached" and recorded.acknowledged_at,
        "the alert shows who acknowledged and the outcome",
    )
    ctx.set_overwrite(staff, bot_id, allow=perm.VIEW_CHANNEL | perm.SEND_MESSAGES)
    pages = recorded.page_count if recorded else 0
    await ctx.advance(timedelta(minutes=30))
    again = await ctx.bot.services.alert_repo.get(alert_id)
    ctx.expect(again is not None and again.page_count == pages, "re-paging stopped")

    for name in LATER_PARTS:
        part = load_part(f"{__package__}.safety_{name}")
        if part is None:
            ctx.step(f"safety part {name!r} is not written yet; skipped")
            continue
        ctx.step(f"--- safety part: {name} ---")
        await part(ctx)
        await ctx.settle()
