"""Named sandbox scenarios: `iopbot sandbox --scenario NAME`.

`demo` walks a program week by running, in order, the parts named in `DEMO_PARTS` (one
per registered extension with a demo part, bot/extensions.py).
Each part is an optional module `bot/sandbox/scenarios/demo_<part>.py` with
`async def run(ctx: ScenarioContext) -> None`; a part whose module is missing is skipped
with a note in the transcript, so features can add their part independently.
"""

from __future__ import annotations

from bot.extensions import DEMO_PARTS
from bot.sandbox.runner import Prepare
from bot.sandbox.scenario import Scenario, ScenarioContext, load_part
from bot.sandbox.scenarios.safety import run as run_safety
from bot.sandbox.scenarios.setup import prepare_setup
from bot.sandbox.scenarios.setup import run as run_setup
from bot.sandbox.scenarios.smoke import run as run_smoke


def load_demo_part(part: str) -> Scenario | None:
    """The `run` coroutine of `demo_<part>.py`, or None when that module does not exist."""
    return load_part(f"{__name__}.demo_{part}")


async def run_demo(ctx: ScenarioContext) -> None:
    for part in DEMO_PARTS:
        run = load_demo_part(part)
        if run is None:
            ctx.step(f"demo part {part!r} is not written yet; skipped")
            continue
        ctx.step(f"--- demo part: {part} ---")
        await run(ctx)
        await ctx.settle()


SCENARIOS: dict[str, Scenario] = {
    "smoke": run_smoke,
    "demo": run_demo,
    "setup": run_setup,
    "safety": run_safety,
}
# Scenarios that build the bot's settings themselves (before the bot starts).
PREPARE: dict[str, Prepare] = {"setup": prepare_setup}
