"""Answering recovery-check interactions: the form (open a step, read a submitted one)
and the private trend chart. The Discord side of ``_submit`` and ``_history``.

A submitted step is read from the interaction itself (:func:`handle_step_submit`, the
cog's ``on_interaction`` listener), so a step sent after a restart is not lost. The first
response (a deferred, private "thinking") goes out before any database work.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import Any, cast

import discord

from bot.db.repositories.survey import SurveyRepository
from bot.domain.survey import StepErrors, first_open_step, parse_step, steps
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from cogs.survey._chart import render_trend
from cogs.survey._history import CHART_FILE, trend_series
from cogs.survey._modal import continue_view, parse_form_custom_id, step_modal, submitted_values
from cogs.survey._render import Trend, confirmation_text, step_saved_text, trend_text
from cogs.survey._spec import SurveySettings
from cogs.survey._submit import (
    FORM_CHANGED,
    FORM_TITLE,
    NOT_YOUR_FORM,
    PERIOD_OVER,
    period_now,
    require_client,
    save_step,
)

log = logging.getLogger("iopbot.survey")


async def open_form(
    services: Services,
    settings: SurveySettings,
    interaction: discord.Interaction[Any],
    *,
    step: int | None = None,
) -> None:
    """Show ``step`` of this period's form (a Continue button says which); without one,
    the first step with an unanswered question (step 1 once the response is complete)."""
    client = await require_client(services, interaction.user.id)
    period = period_now(services, settings, client)
    repo = SurveyRepository(services.db)
    response = await repo.response(client.user_id, period.label)
    chosen = {}
    if response is not None:
        chosen = {a.item_key: a.choice for a in await repo.answers(response.id)}
    items = settings.domain_items()
    parts = steps(items, settings.items_per_step)
    if step is None or not 0 <= step < len(parts):  # a crafted id is re-checked here
        step = first_open_step(parts, set(chosen))
    step = 0 if step is None else step
    modal = step_modal(
        client.user_id, period.label, step, len(parts), parts[step], chosen, title=FORM_TITLE
    )
    await interaction.response.send_modal(modal)


async def handle_step_submit(
    services: Services, settings: SurveySettings, interaction: discord.Interaction[Any]
) -> None:
    """Read, save and answer a submitted step (any ``iop:survey:form:*``)."""
    data = cast(dict[str, Any], interaction.data or {})
    parsed = parse_form_custom_id(str(data.get("custom_id", "")))
    if parsed is None:
        return
    user_id, period_label, step = parsed
    if user_id != interaction.user.id:
        raise UserError(NOT_YOUR_FORM)
    client = await require_client(services, user_id)
    items = settings.domain_items()
    parts = steps(items, settings.items_per_step)
    if step >= len(parts):
        raise UserError(FORM_CHANGED)
    period = period_now(services, settings, client)
    if period.label != period_label:
        raise UserError(PERIOD_OVER)
    values = submitted_values(data.get("components") or [])
    try:
        chosen = parse_step(parts[step], values)
    except StepErrors as exc:
        log.info(
            "survey.rejected",
            extra={"person": services.key.pseudonym(user_id), "fields": len(exc.problems)},
        )
        raise UserError(exc.message()) from None
    await interaction.response.defer(ephemeral=True, thinking=True)
    outcome = await save_step(services, settings, client, period, step, chosen)
    if outcome.scores is None:
        await reply_ephemeral(
            interaction,
            step_saved_text(step, len(parts), settings.frequency),
            view=continue_view(step + 1),
        )
        return
    await reply_ephemeral(interaction, confirmation_text(outcome.scores, settings, items))


async def send_trend(interaction: discord.Interaction[Any], trend: Trend, *, own: bool) -> None:
    """Reply privately with the chart (rendered off the event loop) and the table."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    text = trend_text(trend, own=own)
    if not trend.responses:
        await reply_ephemeral(interaction, text)
        return
    title = "Your recovery checks" if own else f"Recovery checks: {shown_name(trend.name)}"
    periods = [r.period for r in trend.responses]
    png = await asyncio.to_thread(render_trend, periods, trend_series(trend.responses), title=title)
    await reply_ephemeral(
        interaction, text, file=discord.File(fp=io.BytesIO(png), filename=CHART_FILE)
    )
