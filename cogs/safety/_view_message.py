""" "View message": a facilitator opens what raised a crisis alert when it isn't in a channel
they can see (a DM to the bot, a check-in note). Facilitators only (checked in code), the
answer is ephemeral, and every opening is an audit row. The words are fetched from Discord
(DMs) or read from the check-in at that moment; nothing is copied or stored.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.safety import CrisisEvent, SafetyRepository
from bot.services.components import IdButton
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral

log = logging.getLogger("iopbot.safety")

GONE = "That message is no longer available (it was deleted, or the record was removed)."


def quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines() or [""])


async def _words(interaction: discord.Interaction[Any], event: CrisisEvent) -> str | None:
    services: Services = interaction.client.services
    if event.source == "checkin_note" and event.source_ref is not None:
        checkin = await CheckinRepository(services.db).get(event.source_ref)
        return checkin.note if checkin is not None else None
    if event.source == "dm" and event.channel_id is not None and event.source_ref is not None:
        channel = interaction.client.get_partial_messageable(
            event.channel_id, type=discord.ChannelType.private
        )
        try:
            message = await channel.fetch_message(event.source_ref)
        except discord.HTTPException as exc:
            log.warning("crisis.view_unavailable", extra={"event_id": event.id, "code": exc.code})
            return None
        return str(message.content)
    return None


class ViewMessageButton(IdButton, template=r"iop:crisis:view:(?P<id>\d+)"):
    prefix = "iop:crisis:view:"
    label = "View message"
    style = discord.ButtonStyle.secondary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        facilitator = services.perms.require_facilitator(interaction)
        event = await SafetyRepository(services.db).get_event(self.item_id)
        if event is None:
            await reply_ephemeral(interaction, GONE)
            return
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx,
                actor_id=facilitator.id,
                action="crisis.view_message",
                subject_user_id=event.user_id,
                crisis_event_id=event.id,
                source=event.source,
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        words = await _words(interaction, event)
        if words is None:
            await reply_ephemeral(interaction, GONE)
            return
        where = "a DM to the bot" if event.source == "dm" else "a check-in note"
        stamp = f"<t:{int(event.created_at.timestamp())}:f>"
        await reply_ephemeral(
            interaction,
            f"From <@{event.user_id}>, in {where} ({stamp}). Only you see this; the opening "
            f"is recorded in the audit trail.\n{quoted(words)}"[:2000],
        )
