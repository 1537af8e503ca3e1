"""Safety part "plan": the person presses "My safety plan" on the crisis reply they got by
DM. With no plan yet, the answer is private and offers to make one; once they have one
(`/safetyplan edit`, see demo_safetyplan), the same button shows it."""

from __future__ import annotations

from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios.smoke import button_ids

SAFETY_PLAN_ID = "iop:safetyplan:show"


async def run(ctx: ScenarioContext) -> None:
    client = ctx.user("client3")
    reply = next((m for m in reversed(ctx.dms(client)) if SAFETY_PLAN_ID in button_ids(m)), None)
    if reply is None:
        ctx.expect(False, "the crisis reply has the safety plan button")
        return
    shown = await ctx.click(client, reply, SAFETY_PLAN_ID)
    ctx.expect(
        shown.answered and not shown.is_error and shown.ephemeral,
        f"the safety plan button answers privately: {shown.text!r}",
    )
    ctx.expect("safety plan" in shown.text.lower(), "the answer is about their safety plan")
