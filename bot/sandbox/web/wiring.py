"""Connects the page to a running sandbox: the seeded people and "Play the demo"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.sandbox.web.hooks import Person

if TYPE_CHECKING:
    from bot.sandbox.runner import Sandbox


def connect_page(sandbox: Sandbox) -> None:
    emulator = sandbox.emulator
    world = sandbox.world
    emulator.page.people = [
        Person(key=u.key, id=u.id, name=u.name, timezone=u.timezone) for u in world.users.values()
    ]
    emulator.page.checkin_time = str(sandbox.bot.services.settings.checkins.default_time)

    async def play_demo() -> list[str]:
        from bot.sandbox.scenario import ScenarioContext, ScenarioFailed
        from bot.sandbox.scenarios import SCENARIOS

        ctx = ScenarioContext(emulator, world, bot=sandbox.bot, clock=sandbox.clock)
        ctx.step("the demo starts (Play the demo, from the web page)")
        try:
            await SCENARIOS["demo"](ctx)
            await ctx.settle(0.3)
        except ScenarioFailed:
            pass  # the failure is in ctx.failures
        ctx.step("the demo ends" + (" with problems" if ctx.failures else ""))
        return list(ctx.failures)

    emulator.page.demo = play_demo
