"""Answering check-in interactions: the form (open, read a submitted one) and the chart.

The Discord side of ``_submit`` and ``_history``. A submitted form is read from the
interaction itself (:func:`handle_checkin_submit`, the cog's ``on_interaction`` listener),
so a form sent after a restart is not lost. The first response (a deferred, private
"thinking") goes out before any database work: the database lock can be held for seconds
by a large dispatcher batch, a backup or a purge, and Discord drops an interaction not
answered within 3 seconds.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any, cast

import discord

from bot.db.repositories.checkins import CheckinRepository
from bot.domain.checkins import ITEMS, AnswerErrors, parse_answers
from bot.domain.localtime import local_date
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from cogs.checkins._chart import render_chart
from cogs.checkins._modal import checkin_modal, parse_modal_custom_id, submitted_values
from cogs.checkins._render import History, history_text
from cogs.checkins._reply import confirmation_text, reply_view
from cogs.checkins._submit import require_client, save_checkin

log = logging.getLogger("iopbot.checkins")

NOT_YOUR_FORM = "This check-in form was opened by someone else. Please open your own."


async def open_checkin_modal(services: Services, interaction: discord.Interaction[Any]) -> None:
    """Show today's check-in form to an active client (prefilled if they already sent one)."""
    client = await require_client(services, interaction.user.id)
    today = local_date(services.clock.now(), client.timezone)
    existing = await CheckinRepository(services.db).on_date(client.user_id, today)
    modal = checkin_modal(services.settings.checkins, client.user_id, today, existing)
    await interaction.response.send_modal(modal)


async def handle_checkin_submit(services: Services, interaction: discord.Interaction[Any]) -> None:
    """Read, save and answer a submitted check-in form (any ``iop:checkin:modal:*``)."""
    data = cast(dict[str, Any], interaction.data or {})
    parsed = parse_modal_custom_id(str(data.get("custom_id", "")))
    if parsed is None:
        return
    user_id, form_day = parsed
    if user_id != interaction.user.id:
        raise UserError(NOT_YOUR_FORM)
    values = submitted_values(data.get("components") or [])
    # The questions this form showed (it may predate a change of [checkins] items).
    asked = [item for item in ITEMS if item in values]
    try:
        answers = parse_answers(
            mood=values.get("mood") or "",
            craving=values.get("craving") or "",
            used=values.get("used") or "",
            sleep=values.get("sleep"),
            note=values.get("note"),
            safety=values.get("safety"),
            asked=asked,
        )
    except AnswerErrors as exc:
        log.info(
            "checkin.rejected",
            extra={"person": services.key.pseudonym(user_id), "fields": len(exc.problems)},
        )
        raise UserError(exc.message()) from None
    await interaction.response.defer(ephemeral=True, thinking=True)
    client = await require_client(services, user_id)
    outcome = await save_checkin(services, client, answers, form_day=form_day)
    text = confirmation_text(services, outcome)
    view = reply_view(outcome)
    if view is None:
        await reply_ephemeral(interaction, text)
    else:
        await reply_ephemeral(interaction, text, view=view)


async def send_history(
    interaction: discord.Interaction[Any], history: History, *, own: bool
) -> None:
    """Reply privately with the chart (rendered off the event loop) and the table."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    title = "Your check-ins" if own else f"Check-ins: {shown_name(history.name)}"
    png = await asyncio.to_thread(
        render_chart, history.days, history.points, history.missed, title=title
    )
    await interaction.followup.send(
        history_text(history, own=own),
        file=discord.File(fp=io.BytesIO(png), filename="checkins.png"),
        ephemeral=True,
        allowed_mentions=discord.AllowedMentions.none(),
    )
