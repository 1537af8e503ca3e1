"""Channel lock and unlock: deny sending to the Client role (or @everyone) and to any
member overwrite that allowed it, remembering what each overwrite was so unlock puts
exactly that back (cohort channels give each member an overwrite of their own)."""

from __future__ import annotations

import discord

from bot.db.repositories.moderation import LockOverwrite, ModerationRepository
from bot.services.container import Services
from bot.services.errors import UserError
from cogs.moderation._cases import CaseRecorder

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


async def lock_channel(
    services: Services,
    repo: ModerationRepository,
    cases: CaseRecorder,
    where: discord.TextChannel,
    actor_id: int,
) -> int:
    """Lock ``where`` (Discord first, then the case and what to restore); the case id."""
    if await repo.lock_rows(where.id):
        raise UserError(f"{where.mention} is already locked; use `/mod unlock`.")
    changes = lock_plan(services, where)
    try:
        await apply_lock(where, changes, f"iopbot: locked by {actor_id}")
    except discord.Forbidden:
        raise UserError(f"Discord didn't let me change {where.mention}'s permissions.") from None
    async with services.db.transaction() as tx:
        case_id = await cases.record(tx, actor_id=actor_id, action="lock", channel_id=where.id)
        await repo.add_lock_rows(
            tx, case_id, [(where.id, t.id, kind, prior) for t, kind, prior, _ in changes]
        )
    return case_id


async def unlock_channel(
    services: Services,
    repo: ModerationRepository,
    cases: CaseRecorder,
    where: discord.TextChannel,
    actor_id: int,
) -> int:
    """Put back what ``/mod lock`` changed in ``where``; the case id."""
    rows = await repo.lock_rows(where.id)
    if not rows:
        raise UserError(f"{where.mention} isn't locked by `/mod lock`.")
    try:
        await apply_unlock(where, rows, f"iopbot: unlocked by {actor_id}")
    except discord.Forbidden:
        raise UserError(f"Discord didn't let me change {where.mention}'s permissions.") from None
    async with services.db.transaction() as tx:
        await repo.clear_lock(tx, where.id)
        case_id = await cases.record(tx, actor_id=actor_id, action="unlock", channel_id=where.id)
    return case_id


async def set_slowmode(
    services: Services, cases: CaseRecorder, where: discord.TextChannel, value: int, actor_id: int
) -> int:
    """Set ``where``'s slowmode to ``value`` seconds (already checked); the case id."""
    try:
        await where.edit(slowmode_delay=value, reason=f"iopbot: by {actor_id}")
    except discord.Forbidden:
        raise UserError(f"Discord didn't let me change {where.mention}.") from None
    async with services.db.transaction() as tx:
        return await cases.record(
            tx, actor_id=actor_id, action="slowmode", channel_id=where.id, duration_seconds=value
        )
