"""Demo part "safetyplan": Alex writes a personal safety plan in two short steps and looks
at it; everything is private (ephemeral).

* /safetyplan edit opens step 1 (warning signs, coping, distraction); it is saved on
  submit, and the reply's Continue button opens step 2 (people, professionals, safer
  surroundings), which starts from the program's crisis lines.
* /safetyplan show brings the whole plan back, only to Alex.
"""

from __future__ import annotations

from bot.sandbox.scenario import ScenarioContext

MODAL_PREFIX = "iop:safetyplan:modal:"
CONTINUE_ID = "iop:safetyplan:continue"

STEP1 = {
    "warning_signs": "Skipping meals, staying in bed, going quiet in group",
    "coping": "A walk around the block, a cold shower, my breathing app",
    "distraction": "Coffee with my cousin; the public library",
}
STEP2 = {
    "support": "My sister (in my phone as Sis), my sponsor Chris",
    "professionals": "My counselor at the program\n988: call or text any time",
    "environment": "My sister keeps my prescriptions and hands me a week at a time",
}


async def run(ctx: ScenarioContext) -> None:
    alex = ctx.user("client1")
    welcome = ctx.channel("welcome")
    shown = await ctx.slash(alex, welcome, "safetyplan edit")
    if not ctx.expect(shown.modal is not None, "/safetyplan edit opens the first step"):
        return
    first = await ctx.submit_modal(alex, f"{MODAL_PREFIX}1:{alex.id}", STEP1)
    ctx.expect(
        first.ephemeral and "Step 1 of 2 is saved" in first.text,
        "step 1 is saved and confirmed privately",
    )
    second = await ctx.click(alex, first, CONTINUE_ID)
    if not ctx.expect(second.modal is not None, "Continue opens the second step"):
        return
    done = await ctx.submit_modal(alex, f"{MODAL_PREFIX}2:{alex.id}", STEP2)
    ctx.expect(done.ephemeral and "saved" in done.text, "the whole plan is saved privately")

    show = await ctx.slash(alex, welcome, "safetyplan show")
    ctx.expect(show.ephemeral, "/safetyplan show answers privately")
    ctx.expect(
        all(text.split("\n")[0] in show.text for text in (*STEP1.values(), *STEP2.values())),
        "the plan shows all six parts in Alex's words",
    )
    ctx.expect(
        not any("Skipping meals" in str(m) for m in ctx.channel_messages(welcome)),
        "nothing of the plan is posted in a channel",
    )
