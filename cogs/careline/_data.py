"""The care line's data contract: export, delete (the staff thread too) and the purge."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import discord
from discord.ext import commands

from bot.cogbase import DeletionReport
from bot.services.container import Services
from cogs.careline._common import repo
from cogs.careline._spec import CARELINE_DAYS
from cogs.careline._threads import CareThreads

log = logging.getLogger("iopbot.careline")

FROM = {"in": "you", "out": "care team", "note": "care team note"}


async def export_for(services: Services, user_id: int) -> dict[str, Any]:
    r = repo(services)
    conversations = await r.conversations_for(user_id)
    messages = await r.messages_for(user_id)
    if not conversations and not messages:
        return {}
    return {
        "careline_conversations": [
            {
                "id": c.id,
                "opened_at": c.opened_at.isoformat(),
                "closed_at": c.closed_at.isoformat() if c.closed_at else None,
            }
            for c in conversations
        ],
        "careline_messages": [
            {
                "conversation_id": m.conversation_id,
                "from": FROM[m.direction],
                "text": m.text,
                "files": [{"name": f.get("name"), "type": f.get("type")} for f in m.attachments],
                "at": m.created_at.isoformat(),
            }
            for m in messages
        ],
    }


async def delete_for(
    bot: commands.Bot, services: Services, threads: CareThreads, user_id: int
) -> DeletionReport:
    """The rows, then the Discord thread (it holds copies of the words)."""
    thread = await repo(services).thread_for(user_id)
    async with services.db.transaction() as tx:
        removed = await repo(services).delete_for(tx, user_id)
    report = DeletionReport(removed=removed)
    if thread is None:
        return report
    threads.forget(thread.thread_id)
    try:
        await bot.http.delete_channel(thread.thread_id, reason="member data deleted")
    except discord.NotFound:
        pass  # already gone
    except discord.HTTPException:
        log.warning("careline.thread_delete_failed", extra={"thread_id": thread.thread_id})
        report.kept["careline thread"] = (
            "the staff thread in Discord could not be deleted by the bot; a facilitator must "
            "delete it by hand"
        )
    return report


async def purge_expired(services: Services) -> dict[str, int]:
    cutoff = services.clock.now() - timedelta(days=CARELINE_DAYS.days(services.settings))
    async with services.db.transaction() as tx:
        return await repo(services).purge_before(tx, cutoff)
