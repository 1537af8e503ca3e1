"""Named sandbox scenarios: `iopbot sandbox --scenario NAME`.

`demo` walks a program week by running, in order, the parts named in `DEMO_PARTS`.
Each part is an optional module `bot/sandbox/scenarios/demo_<part>.py` with
`async def run(ctx: ScenarioContext) -> None`; a part whose module is missing is skipped
with a note in the transcript, so features can add their part independently.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable

from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.scenarios.safety import run as run_safety
from bot.sandbox.scenarios.smoke import run as run_smoke

Scenario = Callable[[ScenarioContext], Awaitable[None]]

DEMO_PARTS = (
    "clients",
    "groups",
    "safety",
    "safetyplan",
    "checkins",
    "milestones",
    "family",
    "data",
)


def load_demo_part(part: str) -> Scenario | None:
    """The `run` coroutine of `demo_<part>.py`, or None when that module does not exist."""
    module_name = f"{__name__}.demo_{part}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        return None
    run: Scenario = module.run
    return run


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
    "safety": run_safety,
}
