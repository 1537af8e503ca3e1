"""Shared helpers for the recovery-check (survey) cog tests."""

from __future__ import annotations

from typing import Any

from simcord.actors import MemberActor

from bot.domain.survey import DEFAULT_ITEMS
from tests.cogs.checkins_helpers import breathe, form_ids
from tests.harness import World, dm_body

PROMPT = "This week's recovery check is open: a few short questions, about two minutes."
OPEN_ID = "iop:survey:open"
STEP_PREFIX = "iop:survey:step:"
KEYS = [i.key for i in DEFAULT_ITEMS]
CALM = {k: "0" for k in KEYS} | {"confidence": "3", "recovery_activity": "2", "support": "3"}
# A harder week: cravings, poor sleep, low mood and risky places up (risk 2 -> 8).
HARDER = CALM | {"cravings": "2", "sleep": "2", "mood": "2", "risky_places": "2"}


def survey_prompts(w: World, member: MemberActor) -> list[Any]:
    return [m for m in w.dms(member) if dm_body(m.content) == PROMPT]


def ids(message: Any) -> list[str]:
    """The custom ids of a message's buttons (a discord.Message or a response payload)."""
    found: list[str] = []
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else row.children
        for c in children:
            custom_id = c["custom_id"] if isinstance(c, dict) else c.custom_id
            if custom_id:
                found.append(custom_id)
    return found


async def answer_all(w: World, member: MemberActor, values: dict[str, str]) -> list[Any]:
    """/survey open, then every step with ``values`` (Continue between steps)."""
    results = []
    await breathe(w)
    shown = await member.slash(w.cohort, "survey open")
    while True:
        assert shown.modal is not None, shown.response
        asked = form_ids(shown.modal)
        done = await member.submit_modal(shown, {k: values[k] for k in asked})
        results.append(done)
        following = [i for i in ids(done.response) if i.startswith(STEP_PREFIX)]
        if not following:
            return results
        await breathe(w)
        shown = await member.click(done.response, custom_id=following[0])
