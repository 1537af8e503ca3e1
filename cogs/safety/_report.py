""" "Report to facilitator": one staff-channel post per report, a jump link and ids only.

The reported member is never told, and nothing about the report is posted where they can
see it; facilitators (the only ones who see the staff channel) see who reported.
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

import discord

from bot.db.repositories.safety import SafetyRepository
from bot.domain.crisis import detect_crisis
from bot.services.container import Services
from bot.services.crisis import handle_crisis_text
from bot.services.errors import UserError
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget

log = logging.getLogger("iopbot.safety")

REPORT_KIND = "member_report"

THANKS = (
    "Thank you for letting us know. A facilitator will look at it. The person you reported "
    "won't be told who reported it."
)
THANKS_CRISIS = (
    " If you're worried about someone's safety right now, `/help-now` lists crisis resources "
    "you can share or use."
)
ALREADY = "You already reported this message, thank you. A facilitator has it."


def cooldown_message(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return (
        "Thank you for looking out for the group. You've just sent a report, so please wait "
        f"{seconds} seconds before sending another. If someone is in danger, tell a "
        "facilitator directly or use `/help-now`."
    )


def report_embed(
    report_id: int, message: discord.Message, reporter_id: int, *, crisis: bool
) -> dict[str, Any]:
    author = message.author
    fields: list[dict[str, Any]] = [
        {"name": "Message by", "value": f"<@{author.id}> (`{author.id}`)", "inline": True},
        {"name": "Channel", "value": f"<#{message.channel.id}>", "inline": True},
        {"name": "Jump to message", "value": message.jump_url},
        {"name": "Reported by (facilitators only)", "value": f"<@{reporter_id}>"},
    ]
    if crisis:
        fields.append(
            {
                "name": "Crisis language",
                "value": "Yes: an urgent alert was raised and they were sent resources privately.",
            }
        )
    return {
        "title": "🚩 Message reported",
        "description": f"Report #{report_id}. Please look at the message and follow up.",
        "fields": fields,
        "color": 0xF0AD4E,
    }


async def file_report(
    services: Services, reporter: discord.abc.User, message: discord.Message
) -> str:
    """Record the report and queue the staff post (and the crisis path); the reply text."""
    if message.guild is None:
        raise UserError("Only messages in the program's server can be reported.")
    if message.author.id == reporter.id:
        raise UserError("That's your own message, so there's nothing to report.")
    if message.author.bot:
        raise UserError(
            "That message is from a bot. If something about it worries you, please tell a "
            "facilitator."
        )
    staff_id = services.settings.channels.staff_alerts
    if staff_id is None:
        raise UserError(
            "Reports can't reach the facilitators right now (no staff channel is set up). "
            "Please tell a facilitator directly."
        )
    author = message.author
    safety = services.settings.safety
    match = (
        detect_crisis(message.content, safety.crisis_terms, safety.crisis_idioms)
        if message.content
        else None
    )
    crisis = match is not None
    now = services.clock.now()
    cooldown = timedelta(seconds=services.settings.security.report_cooldown_seconds)
    async with services.db.transaction() as tx:
        repo = SafetyRepository(services.db)
        if await repo.already_reported(tx, reporter.id, message.id):
            return ALREADY
        last = await repo.last_report_at(tx, reporter.id)
        # A report of crisis language always goes through: safety comes before the limit.
        if not crisis and last is not None and now - last < cooldown:
            raise UserError(cooldown_message(last + cooldown - now))
        report_id = await repo.add_report(
            tx,
            reporter_id=reporter.id,
            reported_user_id=author.id,
            channel_id=message.channel.id,
            message_id=message.id,
            crisis=crisis,
            now=now,
        )
        if report_id is None:
            return ALREADY
        await services.outbox.enqueue(
            tx,
            dedupe_key=f"report:{report_id}",
            kind=REPORT_KIND,
            target=ChannelTarget(staff_id),
            notice=Notice(embeds=(report_embed(report_id, message, reporter.id, crisis=crisis),)),
            subject_user_id=author.id,
        )
        if match is not None:
            client = await services.clients.get_in(tx, author.id)
            await handle_crisis_text(
                services,
                tx,
                user_id=author.id,
                display_name=client.display_name if client else author.display_name,
                source="report",
                source_ref=message.id,
                severity=match.severity,
                category=match.category,
                channel_id=message.channel.id,
            )
    log.info("report.filed", extra={"report_id": report_id, "crisis": crisis})
    return THANKS + (THANKS_CRISIS if crisis else "")
