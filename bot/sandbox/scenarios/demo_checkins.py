"""Demo part "checkins": daily prompts at 09:00 in three time zones, a check-in with a
high craving, the facilitator's alert (acknowledged, answers viewed privately), and the
client's own history chart.

* The clock moves to each client's next local 09:00, earliest first; each gets one DM,
  "Your daily check-in is open.", with a Check in button.
* Alex (client1) presses the button; the form asks mood, craving, "used" (a choice), the
  safety question (a yes/no choice; Alex answers no) and a note. Craving 9: the private
  reply offers coping options and the "Talk to a facilitator" button.
* A "High craving" alert appears in staff-alerts (no answers in it); Dana acknowledges
  it and opens "View check-in", which only she sees.
* Alex runs /checkin history and gets the 30-day chart privately.
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
MODAL_PREFIX = "iop:checkin:modal:"
CLIENT_KEYS = ("client1", "client2", "client3")


def _ids(message: dict[str, Any]) -> list[str]:
    """Custom ids of a message's buttons (flat, as the control API shows them)."""
    found: list[str] = []
    for item in message.get("components") or []:
        for component in [item, *(item.get("components") or [])]:
            if component.get("custom_id"):
                found.append(str(component["custom_id"]))
    return found


def _questions(modal: dict[str, Any]) -> dict[str, str]:
    """``custom_id → "text" | "radio" | …`` for a form's questions (inside labels)."""
    kinds = {4: "text", 21: "radio", 22: "checkboxes", 23: "checkbox"}
    found: dict[str, str] = {}
    for row in modal.get("components") or []:
        for item in [row.get("component") or {}, *(row.get("components") or [])]:
            if item.get("custom_id"):
                found[str(item["custom_id"])] = kinds.get(int(item.get("type", 0)), "other")
    return found


def _prompts(ctx: ScenarioContext, user: WorldUser) -> list[dict[str, Any]]:
    return [m for m in ctx.dms(user) if m.get("content", "").endswith(f"\n{PROMPT}")]


def _next_nine(user: WorldUser, now: datetime) -> datetime:
    return next_local_time(parse_hhmm("09:00"), ZoneInfo(user.timezone), now)


async def _prompts_in_three_zones(ctx: ScenarioContext) -> None:
    clients = [ctx.user(key) for key in CLIENT_KEYS]
    before = {c.id: len(_prompts(ctx, c)) for c in clients}
    now = ctx.now()
    for instant, client in sorted(((_next_nine(c, now), c) for c in clients), key=lambda p: p[0]):
        if instant + timedelta(minutes=1) > ctx.now():
            ctx.step(f"{client.name}'s local 09:00 ({client.timezone}) comes")
            await ctx.advance(instant + timedelta(minutes=1) - ctx.now())
        await ctx.settle()
        got = len(_prompts(ctx, client)) - before[client.id]
        ctx.expect(got == 1, f"{client.name} got one check-in prompt at 09:00 {client.timezone}")


async def _alert_for(ctx: ScenarioContext, user: WorldUser) -> dict[str, Any] | None:
    staff = ctx.channel("staff-alerts")
    for message in reversed(ctx.channel_messages(staff)):
        embeds = message.get("embeds") or []
        text = " ".join(str(e.get("title", "")) + str(e.get("fields", "")) for e in embeds)
        if "craving" in text.lower() and str(user.id) in text:
            found: dict[str, Any] = message
            return found
    return None


async def run(ctx: ScenarioContext) -> None:
    alex = ctx.user("client1")
    dana = ctx.user("facilitator")
    await _prompts_in_three_zones(ctx)

    prompts = _prompts(ctx, alex)
    if not ctx.expect(prompts, "Alex has a check-in prompt to answer"):
        return
    shown = await ctx.click(alex, prompts[-1], OPEN_ID)
    if not ctx.expect(shown.modal is not None, "the Check in button opens the check-in form"):
        return
    form = shown.modal or {}
    questions = _questions(form)
    ctx.expect(
        questions.get("safety") == "radio" and questions.get("used") == "radio",
        "the form asks the safety question and 'used' as choices (radio buttons)",
    )
    ctx.expect(len(form.get("components") or []) <= 5, "the form stays within five questions")
    custom_id = str(form.get("custom_id", ""))
    ctx.expect(custom_id.startswith(MODAL_PREFIX), "the form's id carries who and which day")
    done = await ctx.submit_modal(
        alex,
        custom_id,
        {"mood": "5", "craving": "9", "used": "no", "safety": "no", "note": "rough evening"},
    )
    ctx.expect(done.ephemeral and "saved" in done.text, "Alex's check-in is confirmed privately")
    ctx.expect("streak" in done.text.lower(), "the confirmation shows the check-in streak")
    ctx.expect(
        "press the button below" in done.text and done.text.count("Thank you") <= 1,
        "a high craving gets coping options and the talk button, in one confirmation",
    )
    await ctx.advance(timedelta(minutes=1))

    alert = await _alert_for(ctx, alex)
    if alert is None:
        ctx.expect(False, "a high-craving alert reached staff-alerts")
        return
    ctx.expect("rough evening" not in str(alert), "the alert carries no answers")
    ack = next((i for i in _ids(alert) if i.startswith("iop:alert:ack:")), None)
    view = next((i for i in _ids(alert) if i.startswith("iop:checkin:view:")), None)
    if ack is not None:
        acked = await ctx.click(dana, alert, ack)
        ctx.expect(not acked.is_error, "Dana acknowledged the alert")
    ctx.expect(ack is not None, "the alert has an Acknowledge button")
    if view is not None:
        seen = await ctx.click(dana, alert, view)
        ctx.expect(
            seen.ephemeral and "Craving: 9/10" in seen.text, "Dana sees the answers privately"
        )

    history = await ctx.slash(alex, ctx.channel("welcome"), "checkin history")
    ctx.expect(not history.is_error, f"/checkin history answered: {history.text[:80]!r}")
    shown_to_alex = [
        m for m in ctx.emulator.ephemeral_messages(alex.id) if int(m["id"]) == history.message_id
    ]
    ctx.expect(
        any("checkins.png" in m["attachments"] for m in shown_to_alex),
        "Alex got the 30-day chart (PNG), privately",
    )
    ctx.expect(history.ephemeral, "the history is private (ephemeral)")
