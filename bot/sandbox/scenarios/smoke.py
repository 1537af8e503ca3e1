"""The `smoke` scenario: the bot is logged in, answers a slash command, and sends a real
feature DM (the daily check-in prompt), whose button and form work.

* The facilitator enrolls Alex (client1, America/New_York) with `/client enroll`.
* The clock moves one minute (the check-in planner gives Alex the program's prompt time),
  then to one minute past Alex's next local prompt time (09:00 by default).
* Alex has exactly one DM, "Your daily check-in is open.", with a Check in button;
  pressing it opens the check-in form, and submitting it gets a private confirmation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.localtime import next_local_time, parse_hhmm
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser

PROMPT = "Your daily check-in is open."
OPEN_ID = "iop:checkin:open"
CALM_ANSWERS = {"mood": "7", "craving": "1", "used": "no", "safety": "no"}


def button_ids(message: dict[str, Any]) -> list[str]:
    """Custom ids of a message's buttons (flat, as the control API shows them)."""
    found: list[str] = []
    for item in message.get("components") or []:
        for component in [item, *(item.get("components") or [])]:
            if component.get("custom_id"):
                found.append(str(component["custom_id"]))
    return found


def next_prompt_at(ctx: ScenarioContext, client: WorldUser) -> datetime:
    wall = parse_hhmm(ctx.bot.services.settings.checkins.default_time)
    return next_local_time(wall, ZoneInfo(client.timezone), ctx.now())


async def run(ctx: ScenarioContext) -> None:
    from bot.sandbox.scenarios.demo_clients import enroll

    ctx.step("smoke: is the bot logged in?")
    ctx.require(ctx.emulator.bot_connected, "the bot is connected to the gateway")
    ctx.require(ctx.emulator.commands_for_guild(ctx.world.guild_id), "slash commands are synced")

    client = ctx.user("client1")
    reply = await enroll(ctx, client)
    ctx.require(reply.answered and not reply.is_error, "the bot answered /client enroll")
    await ctx.advance(timedelta(minutes=1))

    due = next_prompt_at(ctx, client)
    ctx.step(f"smoke: {client.name}'s local check-in time ({client.timezone}) comes")
    await ctx.advance(due + timedelta(minutes=1) - ctx.now())
    prompts = [m for m in ctx.dms(client) if m.get("content", "").endswith(f"\n{PROMPT}")]
    ctx.require(len(prompts) == 1, f"the bot sent {client.name} one check-in prompt by DM")
    prompt = prompts[0]
    ctx.require(OPEN_ID in button_ids(prompt), "the prompt has a Check in button")

    form = await ctx.click(client, prompt, OPEN_ID)
    modal = form.modal
    ctx.require(modal is not None, f"Check in opened the check-in form: {form.text!r}")
    if modal is None:  # (require stopped the scenario already)
        return
    saved = await ctx.submit_modal(client, str(modal["custom_id"]), CALM_ANSWERS)
    ctx.expect(
        saved.answered and not saved.is_error and "saved" in saved.text,
        f"the check-in was saved: {saved.text!r}",
    )
    ctx.expect(saved.ephemeral, "the confirmation is private")
