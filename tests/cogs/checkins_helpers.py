"""Shared helpers for the check-in cog tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from simcord.actors import MemberActor

from tests.harness import World, dm_body

PROMPT = "Your daily check-in is open."

GOOD = {"mood": "6", "craving": "2", "used": "no", "safety": "no", "note": ""}
# A form that asks about sleep (and so leaves the note out: five questions at most).
WITH_SLEEP = {"items": ["mood", "craving", "used", "safety", "sleep"]}


def quiet_kicks(w: World) -> None:
    """Send queued notices only from ``run_due_work`` (in the test's own task).

    The outbox's "send now" kick runs the dispatcher in a background task; under
    simcord's virtual loop time, the send limiter shared between that task and the test's
    own ``run_due_work`` can wait on a virtual timer nobody advances. Tests dispatch
    explicitly instead.
    """
    w.bot.services.outbox.on_due_now(None)


async def enroll(w: World, member: MemberActor, zone: str = "America/New_York") -> None:
    quiet_kicks(w)
    result = await w.facilitator.slash(w.cohort, "client enroll", member=member, timezone=zone)
    assert result.ephemeral, result
    await w.run_due_work()  # the planner adopts the new client


def prompts(w: World, member: MemberActor) -> list[Any]:
    return [m for m in w.dms(member) if dm_body(m.content) == PROMPT]


async def breathe(w: World) -> None:
    """Let the bot's send limiter and Discord's buckets refill (simcord's clock, not the
    program's): tests send far faster than real life does."""
    await w.env.advance_time(6)


async def advance(w: World, delta: timedelta, *, step: timedelta | None = None) -> None:
    """Move the program clock by ``delta``, running due work every ``step``."""
    target = w.clock.now() + delta
    step = step or delta
    while w.clock.now() < target:
        await breathe(w)
        w.clock.set(min(target, w.clock.now() + step))
        await w.run_due_work()


def form_ids(modal: dict[str, Any]) -> list[str]:
    """The custom ids of a form's questions, in order (labels and action rows)."""
    ids: list[str] = []
    for row in modal.get("components") or []:
        for item in [row.get("component") or {}, *(row.get("components") or [])]:
            if item.get("custom_id"):
                ids.append(str(item["custom_id"]))
    return ids


async def submit(w: World, member: MemberActor, **answers: str) -> Any:
    """Open /checkin today and send it: good answers for the questions the form asks
    (``[checkins] items``), overridden by ``answers``."""
    await breathe(w)
    shown = await member.slash(w.cohort, "checkin today")
    assert shown.modal is not None, shown.response
    asked = form_ids(shown.modal)
    defaults = {**GOOD, "sleep": "7.5"}
    values = {**{k: v for k, v in defaults.items() if k in asked}, **answers}
    return await member.submit_modal(shown, values)


def reply_text(result: Any) -> str:
    response = result.response
    if response is not None and response.content:
        return str(response.content)
    followups = result.followups
    return str(followups[-1].content) if followups else ""


async def jump_to(w: World, instant: datetime) -> None:
    """Set the clock to ``instant`` (forward only) and run due work there."""
    assert instant >= w.clock.now()
    await breathe(w)
    w.clock.set(instant)
    await w.run_due_work()


async def make_cohort(w: World, members: list[MemberActor]) -> int:
    """Put ``members`` into a cohort whose channel is ``w.cohort`` (no groups cog needed)."""
    from bot.db.repositories.cohorts import CohortRepository

    repo = CohortRepository(w.db)
    now = w.clock.now()
    async with w.db.transaction() as tx:
        cohort_id = await repo.create(
            tx,
            guild_id=w.guild.id,
            name="Cohort A",
            channel_id=w.cohort.id,
            created_by=w.facilitator.id,
            now=now,
        )
        for member in members:
            await repo.join(
                tx, cohort_id=cohort_id, user_id=member.id, added_by=w.facilitator.id, now=now
            )
    return cohort_id
