"""The moderation cog's part of a member's data rights: export, delete, retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.cogbase import DeletionReport
from bot.db.repositories.moderation import ModerationRepository
from bot.services.container import Services
from cogs.moderation._spec import CASE_DAYS


async def export_moderation(repo: ModerationRepository, user_id: int) -> dict[str, Any]:
    cases = await repo.cases_for(user_id, limit=10_000)
    return {
        "moderation_cases": [
            {
                "id": c.id,
                "action": c.action,
                "reason": c.reason,
                "duration_seconds": c.duration_seconds,
                "channel_id": c.channel_id,
                "message_id": c.message_id,
                "created_at": c.created_at.isoformat(),
            }
            for c in cases
            if c.action != "note"
        ],
        "facilitator_notes": {
            "count": await repo.count_notes_for(user_id),
            "why_not_included": "private facilitator notes; ask the program for a copy",
        },
    }


async def delete_moderation(
    services: Services, repo: ModerationRepository, user_id: int
) -> DeletionReport:
    async with services.db.transaction() as tx:
        notes = await repo.delete_notes_for(tx, user_id)
    days = CASE_DAYS.days(services.settings)
    return DeletionReport(
        removed={"mod_notes": notes},
        kept={
            "mod_cases": (
                "moderation cases (ids, action, reason, time) are the program's record of "
                f"actions taken in its server; kept {days} days, then purged"
            ),
        },
    )


async def purge_moderation(services: Services, repo: ModerationRepository) -> dict[str, int]:
    days = CASE_DAYS.days(services.settings)
    cutoff = services.clock.now() - timedelta(days=days)
    async with services.db.transaction() as tx:
        return await repo.purge_before(tx, cutoff)
