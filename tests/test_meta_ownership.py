"""Issue 16 item 5: export and delete cover every row a client has, whatever cogs are on.

Each cog is enabled alone (with the core cogs, which always load) and used the way a
program would use it for one client (Alex): enrolled, checked in (with words that start
the crisis path), a family contact, a group, a sobriety date, a warning, a report. Then
every table is scanned for Alex's id in any integer column:

* each table holding it is exported: owned by a loaded cog, or a core table that
  ``bot/services/userdata.py`` exports itself;
* after the deletion, only tables the deletion report names as kept still hold it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.extensions import CORE_COGS
from bot.sandbox.runner import available_cogs
from bot.services.userdata import data_cogs, delete_everywhere, gather_export
from tests.harness import World, program_world

# Tables bot/services/userdata.py exports (sections) and deletes itself, whatever is loaded.
CORE_EXPORTED = {
    "outbox": "notices",
    "audit_log": "audit_trail",
    "crisis_events": "crisis_events",
    "prompt_schedules": "prompts",  # the prompt service's tables (#19 item 1)
    "prompt_periods": "prompts",
}
# Rows about the request itself (ids and counts), kept by design (docs/DATA.md).
CORE_BOOKKEEPING = {"data_requests"}


async def holding(w: World, user_id: int) -> dict[str, int]:
    """Table -> rows with ``user_id`` in any integer column."""
    found: dict[str, int] = {}
    tables = await w.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (table,) in tables:
        columns = [r["name"] for r in await w.db.fetchall(f'PRAGMA table_info("{table}")')]
        where = " OR ".join(f'"{c}" = ?' for c in columns)
        n = await w.db.fetchval(
            f'SELECT COUNT(*) FROM "{table}" WHERE {where}',  # noqa: S608 - names from the schema
            [user_id] * len(columns),
        )
        if n:
            found[table] = int(n)
    return found


async def use_everything(w: World) -> None:
    """What a program does for Alex; each step may be refused when its cog is off."""
    alex = w.clients[0]
    fac = w.facilitator
    await fac.slash(w.staff, "client enroll", member=alex)
    steps: list[tuple[Any, str, dict[str, Any]]] = [
        (alex, "sobriety set", {"date": "2026-01-01"}),
        (alex, "milestones public", {"choice": "on"}),
        (fac, "family invite", {"client": alex, "name": "Jordan", "relationship": "parent"}),
        (fac, "group create", {"name": "Alpha"}),
        (fac, "group add", {"member": alex, "cohort": "Alpha"}),
        (fac, "mod warn", {"member": alex, "reason": "ownership test"}),
        (fac, "mod note", {"member": alex, "note": "ownership test"}),
    ]
    for actor, command, options in steps:
        channel = w.cohort if actor is alex else w.staff
        try:
            await actor.slash(channel, command, **options)
        except Exception:  # noqa: S112 - the command is not registered with this cog set
            continue
    try:
        shown = await alex.slash(w.cohort, "checkin today")
    except Exception:
        shown = None
    if shown is not None and shown.modal is not None:
        await alex.submit_modal(
            shown, {"mood": "2", "craving": "8", "used": "no", "safety": "no", "note": "kms"}
        )
    posted = await alex.send(w.cohort, "kms")
    try:
        await w.clients[1].context_menu(w.cohort, "Report to facilitator", posted)
        await alex.context_menu(w.cohort, "Report to facilitator", posted)
    except Exception:  # noqa: S110 - the safety cog is off
        pass
    await w.env.settle()
    await w.advance(timedelta(days=1), step=timedelta(hours=6))


@pytest.mark.parametrize("cog", [c for c in available_cogs() if c not in CORE_COGS])
async def test_export_and_delete_cover_every_table_holding_the_client(tmp_path, cog):
    async with program_world(tmp_path, cogs=(*CORE_COGS, cog)) as w:
        alex = w.clients[0]
        await use_everything(w)
        before = await holding(w, alex.id)
        assert "clients" in before  # the scenario ran
        owned = {t for c in data_cogs(w.bot) for t in c.owned_tables}
        uncovered = sorted(
            t
            for t in before
            if t not in owned and t not in CORE_EXPORTED and t not in CORE_BOOKKEEPING
        )
        assert uncovered == [], f"with only {cog}: tables holding the client nobody exports"
        document = await gather_export(w.bot, w.bot.services, alex.id)
        for table, section in CORE_EXPORTED.items():
            if table in before and table != "audit_log":
                assert section in document["sections"], (cog, table)
        outcome = await delete_everywhere(
            w.bot, w.bot.services, alex.id, requested_by=w.facilitator.id
        )
        assert outcome.complete
        after = await holding(w, alex.id)
        allowed = set(outcome.report.kept) | CORE_BOOKKEEPING
        left = sorted(t for t in after if t not in allowed)
        assert left == [], f"with only {cog}: rows left after the deletion: {after}"
