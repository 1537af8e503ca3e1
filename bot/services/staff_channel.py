"""Can the bot post alerts in the staff channel? (start-up check and ``/alerts status``).

Computed from ``channel.permissions_for(guild.me)`` by the doctor's checks: the bot must
view the channel, send messages, embed links (the alert is an embed) and mention the
on-call role (the role is mentionable, or the bot has Mention @everyone, @here and All
Roles).
"""

from __future__ import annotations

import discord

from bot.config import Settings
from bot.services.doctor import ALERT_POST, channel_line, on_call_mention_line


def alert_channel_problems(guild: discord.Guild, settings: Settings) -> list[str]:
    """One line per missing piece, naming the exact permission; empty when all is well.

    The doctor's own checks (``bot/services/doctor.py``) for the staff channel and the
    on-call mention, so ``iopbot doctor``, start-up and ``/alerts status`` agree.
    """
    channel_id = settings.channels.staff_alerts
    channel = guild.get_channel(channel_id) if channel_id is not None else None
    me = guild.me
    if me is None:
        return ["channels.staff_alerts: the bot's own member is not known yet"]
    lines = [channel_line("staff_alerts", channel_id, channel, me, ALERT_POST)]
    role_id = settings.roles.on_call
    role = guild.get_role(role_id) if role_id is not None else None
    if role is not None and channel is not None:
        lines.append(on_call_mention_line(role, channel, me))
    return [line.label for line in lines if line is not None and not line.ok]


def staff_member_ids(
    guild: discord.Guild | None, settings: Settings
) -> tuple[list[int], list[int]]:
    """(on-call member ids, facilitator member ids) from the member cache, bots left out."""
    if guild is None:
        return [], []

    def members(role_id: int | None) -> list[int]:
        role = guild.get_role(role_id) if role_id is not None else None
        return [] if role is None else sorted(m.id for m in role.members if not m.bot)

    return members(settings.roles.on_call), members(settings.roles.facilitator)
