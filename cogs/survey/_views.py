"""Persistent buttons: open (or continue) the recovery check, and view one response
(facilitators). They work after a restart (registered in ``cog_load``)."""

from __future__ import annotations

from typing import Any

import discord

from bot.db.repositories.survey import SurveyRepository
from bot.services.components import FixedButton, IdButton
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral
from cogs.survey._interactions import open_form
from cogs.survey._modal import STEP_PREFIX
from cogs.survey._planner import OPEN_CUSTOM_ID
from cogs.survey._render import answers_text
from cogs.survey._spec import SPEC
from cogs.survey._submit import VIEW_PREFIX


def _services(interaction: discord.Interaction[Any]) -> Services:
    services: Services = interaction.client.services
    return services


class OpenSurveyButton(FixedButton, template=r"iop:survey:open"):
    custom_id_value = OPEN_CUSTOM_ID
    label = "Start"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = _services(interaction)
        await open_form(services, SPEC.section_of(services.settings), interaction)


class ContinueButton(IdButton, template=r"iop:survey:step:(?P<id>\d{1,2})"):
    """Continue to the next step (``item_id`` is the 0-based step)."""

    prefix = STEP_PREFIX
    label = "Continue"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = _services(interaction)
        await open_form(
            services, SPEC.section_of(services.settings), interaction, step=self.item_id
        )


class ViewSurveyButton(IdButton, template=r"iop:survey:view:(?P<id>\d+)"):
    prefix = VIEW_PREFIX
    label = "View recovery check"
    style = discord.ButtonStyle.secondary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = _services(interaction)
        facilitator = services.perms.require_facilitator(interaction)
        repo = SurveyRepository(services.db)
        response = await repo.get(self.item_id)
        if response is None:
            await reply_ephemeral(
                interaction, "That recovery check is no longer stored (deleted or past retention)."
            )
            return
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx,
                actor_id=facilitator.id,
                action="survey.view_answers",
                subject_user_id=response.user_id,
                response_id=response.id,
            )
        client = await services.clients.get(response.user_id)
        name = client.display_name if client else f"member {response.user_id}"
        items = SPEC.section_of(services.settings).domain_items()
        text = answers_text(name, response, await repo.answers(response.id), items)
        await reply_ephemeral(interaction, text)


DYNAMIC_ITEMS = (OpenSurveyButton, ContinueButton, ViewSurveyButton)
