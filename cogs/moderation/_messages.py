"""Deleting a message (by the context menu, or by link or id): a case, never its content."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.moderation import parse_message_ref
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from cogs.moderation._cases import CaseRecorder


async def find_message(
    interaction: discord.Interaction[Any], ref: str, channel: discord.TextChannel | None
) -> discord.Message:
    """The message a facilitator named by link or id, or a :class:`UserError`."""
    channel_id, message_id = parse_message_ref(ref)
    guild = interaction.guild
    where: Any = (
        (guild.get_channel_or_thread(channel_id) if guild and channel_id else None)
        or channel
        or interaction.channel
    )
    if channel_id is not None and (where is None or where.id != channel_id):
        raise UserError("That link points to a channel I can't see in this server.")
    if not isinstance(where, discord.TextChannel | discord.Thread):
        raise UserError("Please give a message in a text channel of this server.")
    try:
        found: discord.Message = await where.fetch_message(message_id)
    except (discord.NotFound, discord.Forbidden):
        raise UserError(f"I couldn't find that message in {where.mention}.") from None
    return found


async def delete_message(
    services: Services,
    cases: CaseRecorder,
    interaction: discord.Interaction[Any],
    message: discord.Message,
) -> None:
    """Delete ``message`` (Discord first, then the case in its own transaction)."""
    if message.guild is None:
        raise UserError("I can only delete messages in the program's server.")
    author = message.author
    try:
        await message.delete()
    except discord.NotFound:
        raise UserError("That message was already deleted.") from None
    except discord.Forbidden:
        raise UserError("Discord didn't let me delete that message.") from None
    async with services.db.transaction() as tx:
        case_id = await cases.record(
            tx,
            actor_id=interaction.user.id,
            action="delete",
            member_id=author.id,
            channel_id=message.channel.id,
            message_id=message.id,
        )
    await reply_ephemeral(
        interaction, f"Case #{case_id}: deleted the message by {shown_name(author.display_name)}."
    )
