"""The one writer of a client's time zone; it re-plans every prompt schedule.

    from bot.services.timezones import set_client_timezone

    async with services.db.transaction() as tx:
        await set_client_timezone(services, tx, user_id, zone, now)

``/me timezone``, ``/checkin settings`` and a re-enrollment in another zone all go through
here (the enrollment stores the zone of a new client only), so every registered prompt
schedule (:mod:`bot.services.prompts`: check-ins, the survey, ...) moves in the same
transaction as the zone. (Before, ``/me timezone`` left the old prompt instant in place and
the planner re-planned only when it came due, from then: a move from New York to Tokyo
after the day's prompt skipped Tokyo's next day.)

The re-plan never loses a period: when the latest prompt time in the (new) zone has passed
but its period was never prompted and the late cut-off has not come, that prompt is kept
and sent at once (late). Otherwise it is the next local prompt time after now. A period
already prompted is never prompted twice (``prompt_periods``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db.database import Transaction
from bot.services.container import Services


async def set_client_timezone(
    services: Services, tx: Transaction, user_id: int, zone: ZoneInfo, now: datetime
) -> dict[str, datetime | None]:
    """Store ``zone`` for the client and re-plan every schedule; schedule -> next prompt."""
    await services.clients.set_timezone(tx, user_id, zone, now)
    return await services.prompts.replan_all(tx, user_id, now)
