"""Demo part "groups": a cohort, its agreement, a weekly session, attendance and hours.

The facilitator creates "Evening Group" (a private channel), adds the three clients
(enrolled by the clients part), and each accepts the group agreement (nobody can post in
the group before that, so the safety part's messages land in the group channel). A weekly session
is scheduled at 10:00 program time on today's weekday (tomorrow's if 10:00 is too close),
so the part ends early in the afternoon and later parts keep their time of day; the
clock moves through the
reminder, the start (Alex and Sam press "I'm here"), the facilitator's confirmation and
the end; then the facilitator reads the hours report and exports the CSV, and Alex sees
their own hours.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, local_date, parse_hhmm
from bot.domain.sessions import WEEKDAYS
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser

GROUP = "Evening Group"
CHANNEL = "evening-group"
START = "10:00"
MINUTES = 180


def _ids(message: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for component in message.get("components") or []:
        found.extend(_ids(component) if "components" in component else [])
        if component.get("custom_id"):
            found.append(str(component["custom_id"]))
    return found


def _find(ctx: ScenarioContext, channel_id: int, *, text: str, prefix: str) -> tuple[Any, str]:
    for message in reversed(ctx.channel_messages(channel_id)):
        if text in message.get("content", ""):
            for custom_id in _ids(message):
                if custom_id.startswith(prefix):
                    return message, custom_id
    return None, ""


async def _advance_to(ctx: ScenarioContext, instant: Any) -> None:
    if instant > ctx.now():
        await ctx.advance(instant - ctx.now())


async def run(ctx: ScenarioContext) -> None:
    facilitator = ctx.user("facilitator")
    staff = ctx.channel("staff-alerts")
    clients: list[WorldUser] = [ctx.user(k) for k in ("client1", "client2", "client3")]
    alex, sam, riley = clients

    reply = await ctx.slash(facilitator, staff, "group create", name=GROUP)
    ctx.require(reply.ephemeral and "Created" in reply.text, f"/group create: {reply.text!r}")
    for client in clients:
        reply = await ctx.slash(facilitator, staff, "group add", member=client, cohort=GROUP)
        ctx.expect("Added" in reply.text, f"{client.name} added to {GROUP}: {reply.text!r}")
    await ctx.settle()
    channel = ctx.channel(CHANNEL)

    for client in clients:
        message, accept_id = _find(
            ctx, channel.id, text=f"<@{client.id}>", prefix="iop:group:accept:"
        )
        ctx.require(
            message is not None, f"{client.name} got the group agreement with an Accept button"
        )
        reply = await ctx.click(client, message, accept_id)
        ctx.expect(
            reply.ephemeral and "Thank you" in reply.text,
            f"{client.name} accepted the agreement",
        )
    await ctx.post(alex, channel, "Hi everyone, glad to be here.")

    zone = ZoneInfo(ctx.bot.settings.program.timezone.key)
    day: date = local_date(ctx.now(), zone)
    if at_local(day, parse_hhmm(START), zone) - ctx.now() < timedelta(minutes=75):
        day += timedelta(days=1)
    reply = await ctx.slash(
        facilitator,
        staff,
        "session schedule",
        cohort=GROUP,
        weekday=WEEKDAYS[day.weekday()],
        start=START,
        duration=MINUTES,
    )
    ctx.expect("Scheduled" in reply.text, f"/session schedule: {reply.text!r}")
    starts = at_local(day, parse_hhmm(START), zone)

    await _advance_to(ctx, starts - timedelta(minutes=59))
    reminder, _ = _find(ctx, channel.id, text="Reminder", prefix="iop:group:here:")
    ctx.expect(reminder is not None, "a reminder was posted an hour before the session")

    await _advance_to(ctx, starts + timedelta(minutes=2))
    start, here_id = _find(ctx, channel.id, text="has started", prefix="iop:group:here:")
    ctx.require(start is not None, 'the start was marked with an "I\'m here" button')
    for client in (alex, sam):
        reply = await ctx.click(client, start, here_id)
        ctx.expect("marked as here" in reply.text, f'{client.name} pressed "I\'m here"')

    reply = await ctx.slash(
        facilitator, staff, "session attendance", cohort=GROUP, date=day.isoformat()
    )
    ctx.expect('said "I\'m here"' in reply.text, "the facilitator sees who is here")
    reply = await ctx.slash(
        facilitator,
        staff,
        "session attendance",
        cohort=GROUP,
        date=day.isoformat(),
        action="confirm",
    )
    ctx.expect("Confirmed 2" in reply.text, f"attendance confirmed: {reply.text!r}")

    await _advance_to(ctx, starts + timedelta(minutes=MINUTES + 2))
    ctx.expect(
        any("has ended" in m.get("content", "") for m in ctx.channel_messages(channel.id)),
        "the end of the session was marked",
    )

    reply = await ctx.slash(facilitator, staff, "hours report", cohort=GROUP)
    ctx.expect(reply.ephemeral and "hours for" in reply.text, "the hours report is private")
    ctx.expect(f"{riley.name}: 0 h" in reply.text, "Riley shows 0 hours (flagged under)")
    reply = await ctx.slash(facilitator, staff, "hours export", cohort=GROUP)
    ctx.expect(reply.ephemeral and "row(s)" in reply.text, "the CSV export is private")
    reply = await ctx.slash(alex, channel, "hours mine")
    ctx.expect(reply.ephemeral and "3 hours" in reply.text, "Alex sees their own 3 hours")
