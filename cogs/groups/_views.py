"""Persistent buttons: Accept the group agreement, "I'm here", confirm who said so."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain.sessions import attendance_window
from bot.services.components import IdButton
from bot.services.errors import guarded, reply_ephemeral
from cogs.groups._attendance import confirm_present
from cogs.groups._core import core_of, log
from cogs.groups._render import clock_time
from cogs.groups._spec import SPEC


class AcceptAgreementButton(IdButton, template=r"iop:group:accept:(?P<id>\d+)"):
    prefix = "iop:group:accept:"
    label = "Accept"
    style = discord.ButtonStyle.success

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        core = core_of(interaction)
        cohort = await core.cohorts.get(self.item_id)
        if cohort is None:
            await reply_ephemeral(interaction, "This group no longer exists.")
            return
        user_id = interaction.user.id
        membership = await core.cohorts.current_membership(user_id)
        if membership is None or membership.cohort_id != cohort.id:
            await reply_ephemeral(interaction, f"This agreement is for members of {cohort.name}.")
            return
        version = core.agreement_version()
        async with core.services.db.transaction() as tx:
            recorded = await core.cohorts.accept(
                tx,
                cohort_id=cohort.id,
                user_id=user_id,
                version=version,
                now=core.services.clock.now(),
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        problem = await core.grant_access(interaction.client, cohort, user_id, can_send=True)
        if problem is not None:
            log.warning("groups.accept_grant_failed", extra={"user_id": user_id})
            await reply_ephemeral(
                interaction,
                "Your acceptance is recorded, but I couldn't open posting for you yet "
                f"({problem}). A facilitator has been asked to check.",
            )
            return
        log.info("groups.agreement_accepted", extra={"user_id": user_id, "cohort_id": cohort.id})
        text = (
            "Thank you for accepting the group agreement. You can post in the group now."
            if recorded
            else "You have already accepted this agreement; posting is open for you."
        )
        await reply_ephemeral(interaction, text)


class HereButton(IdButton, template=r"iop:group:here:(?P<id>\d+)"):
    prefix = "iop:group:here:"
    label = "I'm here"
    style = discord.ButtonStyle.success

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        core = core_of(interaction)
        occ = await core.sessions.get(self.item_id)
        if occ is None or occ.is_cancelled:
            await reply_ephemeral(interaction, "This session is not taking place.")
            return
        user_id = interaction.user.id
        membership = await core.cohorts.current_membership(user_id)
        if membership is None or membership.cohort_id != occ.cohort_id:
            await reply_ephemeral(interaction, "This session is for members of another group.")
            return
        settings = core.services.settings
        opens, closes = attendance_window(
            occ.starts_at, occ.ends_at, SPEC.section_of(settings).attendance_open_minutes_before
        )
        now = core.services.clock.now()
        if now < opens:
            await reply_ephemeral(
                interaction,
                f'"I\'m here" opens at {clock_time(opens, core.zone)} ({core.zone.key}). '
                "Please press it again then.",
            )
            return
        if now >= closes:
            await reply_ephemeral(
                interaction,
                "This session has ended. If you attended, please let your facilitator know "
                "so they can add you.",
            )
            return
        async with core.services.db.transaction() as tx:
            recorded = await core.attendance.mark_here(
                tx, occurrence_id=occ.id, user_id=user_id, now=now
            )
        await reply_ephemeral(
            interaction,
            "Thanks, you're marked as here. A facilitator will confirm your attendance."
            if recorded
            else "You're already marked as here. Thank you.",
        )


class ConfirmHereButton(IdButton, template=r"iop:group:confirmhere:(?P<id>\d+)"):
    """On a facilitator's attendance list: confirm everyone who pressed "I'm here"."""

    prefix = "iop:group:confirmhere:"
    label = 'Confirm everyone who said "I\'m here"'
    style = discord.ButtonStyle.primary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        core = core_of(interaction)
        facilitator = core.services.perms.require_facilitator(interaction)
        occ = await core.sessions.get(self.item_id)
        if occ is None:
            await reply_ephemeral(interaction, "This session no longer exists.")
            return
        confirmed = await confirm_present(core, occ, by=facilitator.id)
        await reply_ephemeral(
            interaction,
            f"Confirmed {len(confirmed)} attendee(s)."
            if confirmed
            else "Nobody is waiting for confirmation.",
        )


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    AcceptAgreementButton,
    HereButton,
    ConfirmHereButton,
)
