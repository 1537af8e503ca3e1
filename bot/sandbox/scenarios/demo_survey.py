"""Demo part "survey": Alex answers the weekly recovery check two weeks running, the
second week harder; Dana sees the alert (no answers in it) and the trend chart.

* Alex's DM "This week's recovery check is open ..." has a Start button; the form comes in
  three short steps of choices (radio buttons), each saved on submit, with a Continue
  button between them.
* A week later (the next Monday 10:00 in Alex's zone) a new prompt comes; this time
  cravings, sleep, mood and risky places are worse: the risk score rises from 2 to 10.
* "Risk score rose since the last recovery check" appears in staff-alerts without any
  answer; Dana opens "View recovery check" (only she sees it) and runs /survey view,
  which answers privately with the trend chart.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.localtime import parse_hhmm
from bot.domain.recurrence import Cadence
from bot.domain.survey_periods import SurveyCadence, next_prompt
from bot.sandbox.emulator.results import InteractionResult
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser

PROMPT = "recovery check is open"
OPEN_ID = "iop:survey:open"
STEP_PREFIX = "iop:survey:step:"
FORM_PREFIX = "iop:survey:form:"
WEEKLY = SurveyCadence(Cadence.weekly(0), parse_hhmm("10:00"))  # the default [survey]

FIRST_WEEK = {
    "alcohol_days": "0",
    "drug_days": "0",
    "cravings": "1",
    "sleep": "0",
    "mood": "1",
    "risky_places": "0",
    "conflict": "0",
    "confidence": "2",
    "recovery_activity": "2",
    "support": "2",
    "satisfaction": "2",
}
# The second week: urges most days, poor sleep, low mood, time near risky places.
SECOND_WEEK = FIRST_WEEK | {"cravings": "3", "sleep": "2", "mood": "3", "risky_places": "2"}
PRIVATE_WORDS = ("Most days", "3 or 4 days", "Several times")


def _ids(message: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for item in message.get("components") or []:
        for component in [item, *(item.get("components") or [])]:
            if component.get("custom_id"):
                found.append(str(component["custom_id"]))
    return found


def _prompts(ctx: ScenarioContext, user: WorldUser) -> list[dict[str, Any]]:
    return [m for m in ctx.dms(user) if PROMPT in m.get("content", "")]


async def _answer(
    ctx: ScenarioContext, alex: WorldUser, prompt: dict[str, Any], values: dict[str, str]
) -> InteractionResult | None:
    """Start from the prompt's button and go through every step."""
    shown = await ctx.click(alex, prompt, OPEN_ID)
    for _ in range(5):
        form = shown.modal
        if not ctx.expect(form is not None, "the button opens the next step of the form"):
            return None
        custom_id = str((form or {}).get("custom_id", ""))
        ctx.expect(custom_id.startswith(FORM_PREFIX), "the form's id carries who, period, step")
        ctx.expect(len((form or {}).get("components") or []) <= 5, "at most five questions")
        asked = _ids_in_form(form or {})
        done = await ctx.submit_modal(alex, custom_id, {k: values[k] for k in asked})
        reply = _reply(done)
        following = [i for i in _ids(reply) if i.startswith(STEP_PREFIX)]
        if not following:
            return done
        ctx.expect(done.ephemeral and "saved" in done.text, "each step is saved privately")
        shown = await ctx.click(alex, reply, following[0])
    return None


def _reply(result: InteractionResult) -> dict[str, Any]:
    """The visible reply: the last follow-up (after a deferral) or the response itself."""
    if result.followups:
        return result.followups[-1]
    return {"id": result.message_id, "components": result.components}


def _ids_in_form(modal: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for row in modal.get("components") or []:
        for item in [row.get("component") or {}, *(row.get("components") or [])]:
            if item.get("custom_id"):
                found.append(str(item["custom_id"]))
    return found


def _rise_alert(ctx: ScenarioContext, user: WorldUser) -> dict[str, Any] | None:
    for message in reversed(ctx.channel_messages(ctx.channel("staff-alerts"))):
        embeds = message.get("embeds") or []
        text = " ".join(str(e.get("title", "")) + str(e.get("fields", "")) for e in embeds)
        if "Risk score rose" in text and str(user.id) in text:
            found: dict[str, Any] = message
            return found
    return None


async def _next_week(ctx: ScenarioContext, alex: WorldUser) -> None:
    due = next_prompt(WEEKLY, ZoneInfo(alex.timezone), ctx.now()).prompt_at
    ctx.step(f"a week on: {alex.name}'s Monday 10:00 ({alex.timezone}) comes")
    await ctx.advance(due + timedelta(minutes=1) - ctx.now())
    await ctx.settle()


async def run(ctx: ScenarioContext) -> None:
    alex = ctx.user("client1")
    dana = ctx.user("facilitator")
    prompts = _prompts(ctx, alex)
    if not prompts:  # not prompted yet this week: wait for Alex's Monday 10:00
        await _next_week(ctx, alex)
        prompts = _prompts(ctx, alex)
    if not ctx.expect(prompts, "Alex has a recovery-check prompt"):
        return
    ctx.expect(OPEN_ID in _ids(prompts[-1]), "the prompt has a Start button")
    first = await _answer(ctx, alex, prompts[-1], FIRST_WEEK)
    ctx.expect(first is not None and "saved" in first.text, "week 1 is saved, privately")

    before = len(_prompts(ctx, alex))
    await _next_week(ctx, alex)
    prompts = _prompts(ctx, alex)
    if not ctx.expect(len(prompts) == before + 1, "a new prompt comes the next week"):
        return
    second = await _answer(ctx, alex, prompts[-1], SECOND_WEEK)
    ctx.expect(
        second is not None and second.ephemeral and "risk 10/15" in second.text,
        "week 2 is saved with its scores, shown only to Alex",
    )
    await ctx.advance(timedelta(minutes=1))

    alert = _rise_alert(ctx, alex)
    if not ctx.expect(alert is not None, "a 'risk score rose' alert reached staff-alerts"):
        return
    ctx.expect(
        not any(word in str(alert) for word in PRIVATE_WORDS), "the alert carries no answers"
    )
    view = next((i for i in _ids(alert or {}) if i.startswith("iop:survey:view:")), None)
    if ctx.expect(view is not None, "the alert has a View recovery check button"):
        seen = await ctx.click(dana, alert or {}, view or "")
        ctx.expect(seen.ephemeral and "Most days" in seen.text, "Dana sees the answers privately")

    trend = await ctx.slash(dana, ctx.channel("staff-alerts"), "survey view", member=alex)
    ctx.expect(not trend.is_error, f"/survey view answered: {trend.text[:80]!r}")
    shown = [
        m for m in ctx.emulator.ephemeral_messages(dana.id) if int(m["id"]) == trend.message_id
    ]
    ctx.expect(
        any("recovery-check.png" in m["attachments"] for m in shown),
        "Dana gets Alex's trend chart (PNG), privately",
    )
    ctx.expect(trend.ephemeral, "the trend is private (ephemeral)")
