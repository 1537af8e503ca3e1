"""Persistent buttons: open the check-in, view one (facilitators), ask to talk."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.repositories.checkins import CheckinRepository
from bot.domain.text import shown_name
from bot.services.components import FixedButton, IdButton
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral
from cogs.checkins._interactions import open_checkin_modal
from cogs.checkins._planner import OPEN_CUSTOM_ID
from cogs.checkins._render import checkin_text
from cogs.checkins._reply import TALK_CUSTOM_ID
from cogs.checkins._submit import ask_to_talk, require_client

log = logging.getLogger("iopbot.checkins")


def _services(interaction: discord.Interaction[Any]) -> Services:
    services: Services = interaction.client.services
    return services


class OpenCheckinButton(FixedButton, template=r"iop:checkin:open"):
    custom_id_value = OPEN_CUSTOM_ID
    label = "Check in"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_checkin_modal(_services(interaction), interaction)


class ViewCheckinButton(IdButton, template=r"iop:checkin:view:(?P<id>\d+)"):
    prefix = "iop:checkin:view:"
    label = "View check-in"
    style = discord.ButtonStyle.secondary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = _services(interaction)
        facilitator = services.perms.require_facilitator(interaction)
        checkin = await CheckinRepository(services.db).get(self.item_id)
        if checkin is None:
            await reply_ephemeral(
                interaction, "That check-in is no longer stored (deleted or past retention)."
            )
            return
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx,
                actor_id=facilitator.id,
                action="checkin.view_answers",
                subject_user_id=checkin.user_id,
                checkin_id=checkin.id,
            )
        client = await services.clients.get(checkin.user_id)
        name = shown_name(client.display_name) if client else f"member {checkin.user_id}"
        await reply_ephemeral(interaction, checkin_text(name, checkin))


class TalkButton(FixedButton, template=r"iop:checkin:talk"):
    custom_id_value = TALK_CUSTOM_ID
    label = "Talk to a facilitator"
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services = _services(interaction)
        client = await require_client(services, interaction.user.id)
        raised = await ask_to_talk(services, client)
        text = (
            "I've let the facilitators know privately that you'd like to talk. Someone will "
            "reach out to you."
            if raised
            else "The facilitators already know you'd like to talk; someone will reach out."
        )
        await reply_ephemeral(interaction, text)


DYNAMIC_ITEMS = (OpenCheckinButton, ViewCheckinButton, TalkButton)
