"""Persistent buttons: "My safety plan" (anywhere, DMs too), "Make my safety plan" and the
form's Continue. They work after a restart (registered in ``cog_load``)."""

from __future__ import annotations

from typing import Any

import discord

from bot.services.components import FixedButton
from bot.services.container import Services
from bot.services.errors import UserError, guarded, reply_ephemeral
from cogs.safetyplan._common import (
    CONTINUE_CUSTOM_ID,
    EDIT_CUSTOM_ID,
    NOT_A_CLIENT,
    SHOW_CUSTOM_ID,
    parts,
    repo,
)
from cogs.safetyplan._modal import open_plan_step
from cogs.safetyplan._render import NO_PLAN, NO_PLAN_NOT_CLIENT, plan_embed, resources_lines


def _services(interaction: discord.Interaction[Any]) -> Services:
    services: Services = interaction.client.services
    return services


def make_plan_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Make my safety plan",
            custom_id=EDIT_CUSTOM_ID,
            style=discord.ButtonStyle.primary,
        )
    )
    view.stop()
    return view


async def show_own_plan(
    services: Services, interaction: discord.Interaction[Any], *, from_button: bool
) -> None:
    """The caller's own plan, privately; or, without one, how to make it.

    Someone who is not an enrolled client and has no plan is refused kindly by the
    command; the button (which sits on crisis replies) answers them with the crisis
    resources instead of a refusal.
    """
    user_id = interaction.user.id
    plan = await repo(services).get(user_id)
    if plan is not None and not plan.is_empty:
        embed = plan_embed(plan, parts(services), title="My safety plan", own=True)
        await reply_ephemeral(interaction, "Here is your safety plan.", embed=embed)
        return
    client = await services.clients.get(user_id)
    if client is not None and client.is_active:
        await reply_ephemeral(interaction, NO_PLAN, view=make_plan_view())
        return
    if not from_button:
        raise UserError(NOT_A_CLIENT)
    resources = [(r.name, r.contact) for r in services.settings.safety.resources]
    await reply_ephemeral(interaction, f"{NO_PLAN_NOT_CLIENT}\n{resources_lines(resources)}")


class ShowPlanButton(FixedButton, template=r"iop:safetyplan:show"):
    custom_id_value = SHOW_CUSTOM_ID
    label = "My safety plan"
    style = discord.ButtonStyle.secondary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await show_own_plan(_services(interaction), interaction, from_button=True)


class EditPlanButton(FixedButton, template=r"iop:safetyplan:edit"):
    custom_id_value = EDIT_CUSTOM_ID
    label = "Make my safety plan"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_plan_step(_services(interaction), interaction, 0)


class ContinuePlanButton(FixedButton, template=r"iop:safetyplan:continue"):
    custom_id_value = CONTINUE_CUSTOM_ID
    label = "Continue"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_plan_step(_services(interaction), interaction, 1)


DYNAMIC_ITEMS = (ShowPlanButton, EditPlanButton, ContinuePlanButton)
