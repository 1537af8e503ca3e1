"""Channel lock and unlock: deny sending to the Client role (or @everyone) and to any
member overwrite that allowed it, remembering what each overwrite was so unlock puts
exactly that back (cohort channels give each member an overwrite of their own)."""

from __future__ import annotations

import discord

from bot.db.repositories.moderation import LockOverwrite
from bot.services.container import Services

Target = discord.Role | discord.Member
Change = tuple[Target, str, str, bool]  # target, "role" | "member", prior state, new send value


def _state(value: bool | None) -> str:
    return "inherit" if value is None else ("allow" if value else "deny")


def _value(state: str) -> bool | None:
    return None if state == "inherit" else state == "allow"


def lock_plan(services: Services, channel: discord.TextChannel) -> list[Change]:
    """The overwrites to set to "deny send_messages", each with its prior state."""
    guild = channel.guild
    perms = services.perms
    client_role_id = services.settings.roles.client
    role = guild.get_role(client_role_id) if client_role_id else None
    base: discord.Role = role or guild.default_role
    prior = _state(channel.overwrites_for(base).send_messages)
    changes: list[Change] = [(base, "role", prior, False)]
    for target, overwrite in channel.overwrites.items():
        if not isinstance(target, discord.Member) or overwrite.send_messages is not True:
            continue
        if target.bot or perms.is_facilitator(target):
            continue
        changes.append((target, "member", "allow", False))
    if base.is_default():
        # Locking @everyone must not lock the facilitators out.
        facilitator_id = services.settings.roles.facilitator
        facilitator = guild.get_role(facilitator_id) if facilitator_id else None
        if facilitator is not None and channel.overwrites_for(facilitator).send_messages is None:
            changes.append((facilitator, "role", "inherit", True))
    return changes


async def apply_lock(channel: discord.TextChannel, changes: list[Change], reason: str) -> None:
    for target, _kind, _prior, send in changes:
        overwrite = channel.overwrites_for(target)
        overwrite.update(send_messages=send)
        await channel.set_permissions(target, overwrite=overwrite, reason=reason)


async def apply_unlock(
    channel: discord.TextChannel, rows: list[LockOverwrite], reason: str
) -> None:
    guild = channel.guild
    for row in rows:
        target: Target | None
        if row.target_type == "role":
            target = guild.get_role(row.target_id)
        else:
            target = guild.get_member(row.target_id)
        if target is None:  # the role was deleted or the member left the server
            continue
        overwrite = channel.overwrites_for(target)
        overwrite.update(send_messages=_value(row.prior))
        if overwrite.is_empty() and row.target_type == "member":
            await channel.set_permissions(target, overwrite=None, reason=reason)
        else:
            await channel.set_permissions(target, overwrite=overwrite, reason=reason)
