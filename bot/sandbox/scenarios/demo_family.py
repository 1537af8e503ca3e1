"""Demo part "family": a family-therapy session for Alex, with Jordan (family) told only
with Alex's consent, and every notice to Jordan written to the accounting of disclosures.

1. the facilitator registers Jordan as Alex's family contact and gets a single-use code
   (shown only to the facilitator); Jordan links with it in #welcome;
2. Alex reads the consent summary (every element) and presses Confirm;
3. the facilitator schedules a session three days ahead at 18:00 program time: the first
   notice goes to Alex and Jordan at once; the clock moves to 24 h before and the
   reminder arrives; Jordan presses Confirm (the facilitator is told);
4. Alex revokes consent: Jordan's queued 1-hour reminder is cancelled at once and the
   facilitator is told; at 1 h before, the reminder reaches Alex only. The accounting
   holds one row per notice Jordan received (two), none for the stopped one.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, local_date
from bot.sandbox.scenario import ScenarioContext

ZONE = ZoneInfo("America/New_York")


def _custom_ids(message: dict[str, Any]) -> list[str]:
    """Button ids of a message: flat (summarised DMs) or in action rows (interactions)."""
    found: list[str] = []
    for item in message.get("components") or []:
        if item.get("custom_id"):
            found.append(str(item["custom_id"]))
        found.extend(_custom_ids(item))
    return found


def _result_ids(components: list[dict[str, Any]]) -> list[str]:
    return _custom_ids({"components": components})


async def _session_start(ctx: ScenarioContext) -> datetime:
    day = local_date(ctx.now(), ZONE) + timedelta(days=3)
    return at_local(day, time(18, 0), ZONE)


async def _enrolled(ctx: ScenarioContext, user_id: int) -> bool:
    services = ctx.bot.services if ctx.bot is not None else None
    return services is not None and await services.clients.get(user_id) is not None


async def run(ctx: ScenarioContext) -> None:
    facilitator, alex, jordan = ctx.user("facilitator"), ctx.user("client1"), ctx.user("family")
    staff, welcome = ctx.channel("staff-alerts"), ctx.channel("welcome")
    if not await _enrolled(ctx, alex.id):
        reply = await ctx.slash(facilitator, staff, "client enroll", member=alex)
        ctx.expect(not reply.is_error, "Alex is enrolled for the family part")

    ctx.step("family: the facilitator registers Jordan as Alex's family contact")
    reply = await ctx.slash(
        facilitator, staff, "family invite", client=alex, name="Jordan", relationship="parent"
    )
    ctx.require(reply.ephemeral, "the link code is shown only to the facilitator")
    code = re.search(r"\*\*([A-Z0-9-]+)\*\*", reply.text)
    contact = re.search(r"Family contact (\d+)", reply.text)
    if code is None or contact is None:
        ctx.require(False, f"the facilitator got an invite code: {reply.text!r}")
        return
    contact_id = int(contact[1])

    ctx.step("family: Jordan got the code in person and links their account")
    reply = await ctx.slash(jordan, welcome, "family link", code="WRONG-123")
    ctx.expect(reply.ephemeral and "didn't match" in reply.text, "a wrong code is refused")
    reply = await ctx.slash(jordan, welcome, "family link", code=code[1])
    ctx.expect(reply.ephemeral and "You're linked" in reply.text, "Jordan is linked")

    ctx.step("family: Alex reads every element of the consent and confirms")
    reply = await ctx.slash(alex, welcome, "family consent grant", contact=contact_id)
    ctx.expect(reply.ephemeral, "the consent summary is private")
    for element in (
        "Whose information",
        "Who shares",
        "What",
        "To whom",
        "Purpose",
        "Until",
        "Your right to revoke",
        "Your confirmation",
    ):
        ctx.expect(element in reply.text, f"the summary shows {element!r}")
    confirm = [c for c in _result_ids(reply.components) if ":consent:ok:" in c]
    ctx.require(confirm, "the summary has a Confirm button")
    saved = await ctx.click(alex, reply, confirm[0])
    ctx.expect("Saved" in saved.text, "the consent is saved on Confirm")

    start = await _session_start(ctx)
    local = start.astimezone(ZONE)
    reply = await ctx.slash(
        facilitator,
        staff,
        "family session schedule",
        client=alex,
        start=f"{local:%Y-%m-%d %H:%M}",
        duration=60,
        place="https://video.example.org/family-room",
    )
    ctx.expect(not reply.is_error and "Scheduled" in reply.text, "the session is scheduled")
    await ctx.settle()
    ctx.expect(len(ctx.dms(jordan)) == 1, "Jordan got the first notice")
    ctx.expect(len(ctx.dms(alex)) >= 1, "Alex got the first notice")

    await ctx.advance(start - timedelta(hours=24) - ctx.now())
    ctx.expect(len(ctx.dms(jordan)) == 2, "Jordan got the 24-hour reminder")
    notice = ctx.dms(jordan)[-1]
    rsvp = [c for c in _custom_ids(notice) if c.endswith(":yes")]
    ctx.require(rsvp, "the reminder has a Confirm button")
    answered = await ctx.click(jordan, notice, rsvp[0])
    ctx.expect(answered.ephemeral, "Jordan's answer is acknowledged privately")
    await ctx.settle()
    staff_texts = [str(m.get("content")) for m in ctx.channel_messages(staff)]
    ctx.expect(
        any("will be at family session" in t for t in staff_texts),
        "the facilitator sees Jordan's Confirm",
    )

    await _session_list(ctx)

    ctx.step("family: Alex revokes consent; Jordan's queued 1-hour reminder stops at once")
    reply = await ctx.slash(alex, welcome, "family consent revoke", contact=contact_id)
    ctx.expect(reply.ephemeral and "revoked" in reply.text, "the revocation is confirmed")
    await ctx.settle()
    staff_texts = [str(m.get("content")) for m in ctx.channel_messages(staff)]
    ctx.expect(any("revoked consent" in t for t in staff_texts), "the facilitator is told")

    await ctx.advance(start - timedelta(hours=1) - ctx.now())
    alex_notices = [m for m in ctx.dms(alex) if "family therapy session" in str(m.get("content"))]
    ctx.expect(len(alex_notices) == 3, "Alex got all three notices")
    ctx.expect(len(ctx.dms(jordan)) == 2, "after the revoke Jordan gets nothing more")
    for message in ctx.dms(jordan):
        content = str(message.get("content"))
        ctx.expect("42 CFR part 2" in content, "each notice carries the redisclosure statement")
        ctx.expect("Shared with written consent" in content, "and the consent's scope")
    await _check_accounting(ctx, alex.id, jordan.id)


async def _session_list(ctx: ScenarioContext) -> None:
    reply = await ctx.slash(
        ctx.user("facilitator"),
        ctx.channel("staff-alerts"),
        "family session list",
        client=ctx.user("client1"),
    )
    ctx.expect(
        reply.ephemeral and "Jordan (parent) will be there" in reply.text,
        "/family session list shows Jordan's answer",
    )


async def _check_accounting(ctx: ScenarioContext, alex_id: int, jordan_id: int) -> None:
    if ctx.bot is None:
        return
    db = ctx.bot.services.db
    sent = await db.fetchval(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'family_notice' AND status = 'sent' "
        "AND target_id = ?",
        (jordan_id,),
    )
    disclosed = await db.fetchval(
        "SELECT COUNT(*) FROM family_disclosures WHERE client_id = ? AND recipient_user_id = ?",
        (alex_id, jordan_id),
    )
    stopped = await db.fetchval(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'family_notice' AND target_id = ? "
        "AND status IN ('cancelled', 'blocked_consent')",
        (jordan_id,),
    )
    ctx.expect(sent == 2 and disclosed == 2, f"one disclosure per notice sent ({disclosed}/{sent})")
    ctx.expect(stopped == 1, "the notice after the revoke was stopped, not sent")
    reply = await ctx.slash(ctx.user("client1"), ctx.channel("welcome"), "family disclosures")
    ctx.expect(
        reply.ephemeral and "2 notice(s)" in reply.text, "Alex sees the accounting of disclosures"
    )
