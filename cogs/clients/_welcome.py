"""The enrollment welcome: one private DM to a newly enrolled client.

The sender puts the neutral ``program.dm_preview`` line first (a locked phone shows it);
then what the bot does for them and how crisis screening works (who sees alerts).
"""

from __future__ import annotations

from bot.config import Settings
from bot.db.database import Transaction
from bot.services.container import Services
from bot.services.notices import Notice
from bot.services.outbox import DM
from bot.services.screening import screening_notice

WELCOME_KIND = "client_welcome"
WELCOME_FIRST_LINE = "Welcome! Here is a short note about this space."


def welcome_text(settings: Settings) -> str:
    care_line = (
        [
            "To reach your care team privately, just send me a message here: only the "
            "program's facilitators read it, and they answer here.",
            "",
        ]
        if "careline" in settings.cogs.enabled
        else []
    )
    return "\n".join(
        [
            WELCOME_FIRST_LINE,
            "",
            f"You're now part of {settings.program.name} here. I'll send your daily check-in "
            "by DM, and your group space opens when a facilitator adds you to a group.",
            "",
            *care_line,
            screening_notice(settings),
            "",
            f"This space is staffed {settings.program.staffed_hours}. It is not a crisis "
            "service: use /help-now any time for crisis resources.",
        ]
    )


async def queue_welcome(services: Services, tx: Transaction, user_id: int) -> int | None:
    """Queue the welcome DM (once per person: a re-enrollment does not send it again)."""
    return await services.outbox.enqueue(
        tx,
        dedupe_key=f"welcome:{user_id}",
        kind=WELCOME_KIND,
        target=DM(user_id),
        notice=Notice(content=welcome_text(services.settings)),
        subject_user_id=user_id,
    )
