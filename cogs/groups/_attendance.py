"""Facilitator attendance actions; confirming writes the hours ledger in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.db.repositories.cohorts import Cohort
from bot.db.repositories.groups_sessions import Occurrence
from bot.domain.hours import session_hours
from bot.domain.localtime import iso_week, local_date
from bot.domain.sessions import attendance_window
from bot.services.errors import UserError, reply_ephemeral
from cogs.groups._core import GroupsCore
from cogs.groups._render import AttendeeLine, attendance_text, confirm_here_id
from cogs.groups._spec import SPEC


def require_open_for_confirmation(core: GroupsCore, occ: Occurrence) -> None:
    """Attendance can be confirmed from the moment "I'm here" opens, never for a future
    or cancelled session."""
    if occ.is_cancelled:
        raise UserError("That session was cancelled, so there is no attendance to record.")
    minutes = SPEC.section_of(core.services.settings).attendance_open_minutes_before
    opens, _ = attendance_window(occ.starts_at, occ.ends_at, minutes)
    if core.services.clock.now() < opens:
        raise UserError(
            f"That session hasn't started yet; attendance opens {minutes} minutes before its start."
        )


async def confirm_users(
    core: GroupsCore, occ: Occurrence, user_ids: Sequence[int], *, by: int
) -> list[int]:
    """Confirm ``user_ids`` for ``occ``; return those newly confirmed."""
    require_open_for_confirmation(core, occ)
    hours = session_hours(occ.starts_at, occ.ends_at)
    day = local_date(occ.starts_at, core.zone)
    week = iso_week(day)
    now = core.services.clock.now()
    confirmed: list[int] = []
    async with core.services.db.transaction() as tx:
        for user_id in user_ids:
            added = await core.attendance.confirm(
                tx,
                occurrence_id=occ.id,
                user_id=user_id,
                by=by,
                local_date=day,
                iso_week=week,
                hours=hours,
                now=now,
            )
            if added:
                confirmed.append(user_id)
                await core.services.audit.record(
                    tx,
                    actor_id=by,
                    action="attendance.confirm",
                    subject_user_id=user_id,
                    occurrence_id=occ.id,
                )
    return confirmed


async def confirm_present(core: GroupsCore, occ: Occurrence, *, by: int) -> list[int]:
    """Confirm everyone who pressed "I'm here" and is not yet confirmed or removed."""
    require_open_for_confirmation(core, occ)
    rows = await core.attendance.for_occurrence(occ.id)
    waiting = [
        r.user_id
        for r in rows
        if r.here_at is not None and not r.confirmed and r.removed_at is None
    ]
    if not waiting:
        return []
    return await confirm_users(core, occ, waiting, by=by)


async def remove_user(core: GroupsCore, occ: Occurrence, user_id: int, *, by: int) -> bool:
    """Mark ``user_id`` as not attending ``occ`` (their hours for it are taken back)."""
    require_open_for_confirmation(core, occ)
    async with core.services.db.transaction() as tx:
        removed = await core.attendance.remove(
            tx, occurrence_id=occ.id, user_id=user_id, by=by, now=core.services.clock.now()
        )
        if removed:
            await core.services.audit.record(
                tx,
                actor_id=by,
                action="attendance.remove",
                subject_user_id=user_id,
                occurrence_id=occ.id,
            )
    return removed


async def show_attendance(
    core: GroupsCore, interaction: discord.Interaction[Any], cohort: Cohort, occ: Occurrence
) -> None:
    services = core.services
    rows = {r.user_id: r for r in await core.attendance.for_occurrence(occ.id)}
    people = list(dict.fromkeys([*await core.cohorts.members(cohort.id), *rows]))
    lines = []
    for user_id in people:
        client = await services.clients.get(user_id)
        name = client.display_name if client else f"member {user_id}"
        lines.append(AttendeeLine(name=name, row=rows.get(user_id)))
    async with services.db.transaction() as tx:
        await services.audit.record(
            tx,
            actor_id=interaction.user.id,
            action="attendance.view",
            cohort_id=cohort.id,
            occurrence_id=occ.id,
        )
    waiting = any(
        r.here_at is not None and not r.confirmed and r.removed_at is None for r in rows.values()
    )
    kwargs: dict[str, Any] = {}
    if waiting:
        view = discord.ui.View(timeout=None)
        view.add_item(  # answered by the persistent ConfirmHereButton dynamic item
            discord.ui.Button(
                label='Confirm everyone who said "I\'m here"',
                style=discord.ButtonStyle.primary,
                custom_id=confirm_here_id(occ.id),
            )
        )
        view.stop()
        kwargs["view"] = view
    await reply_ephemeral(interaction, attendance_text(cohort, occ, lines, core.zone), **kwargs)
