"""Can the bot post alerts in the staff channel? (start-up check and ``/alerts status``).

Computed from ``channel.permissions_for(guild.me)``: the bot must view the channel, send
messages, embed links (the alert is an embed) and mention the on-call role (the role is
mentionable, or the bot has Mention @everyone, @here and All Roles).
"""

from __future__ import annotations

import discord

from bot.config import Settings


def alert_channel_problems(guild: discord.Guild, settings: Settings) -> list[str]:
    """One line per missing piece, naming the exact permission; empty when all is well."""
    channel_id = settings.channels.staff_alerts
    if channel_id is None:
        return ["channels.staff_alerts: not configured"]
    channel = guild.get_channel(channel_id)
    if channel is None:
        return [f"channels.staff_alerts: no channel {channel_id} in the server"]
    me = guild.me
    if me is None:
        return ["channels.staff_alerts: the bot's own member is not known yet"]
    allowed = channel.permissions_for(me)
    missing = [
        label
        for label, has in (
            ("View Channel", allowed.view_channel),
            ("Send Messages", allowed.send_messages),
            ("Embed Links", allowed.embed_links),
        )
        if not has
    ]
    problems = []
    if missing:
        problems.append(
            f"channels.staff_alerts: the bot lacks {', '.join(missing)} in #{channel.name}"
        )
    role_id = settings.roles.on_call
    role = guild.get_role(role_id) if role_id is not None else None
    if role is not None and not role.mentionable and not allowed.mention_everyone:
        problems.append(
            f"roles.on_call: the bot cannot mention @{role.name} in #{channel.name} (make the "
            "role mentionable, or give the bot Mention @everyone, @here and All Roles there)"
        )
    return problems


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
