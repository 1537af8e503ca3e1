"""The private reset choice and the persistent "Send congrats" button."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.database import Transaction
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.milestones import MilestoneRepository
from bot.domain import milestones as ms
from bot.domain.localtime import local_date
from bot.domain.text import shown_name
from bot.services.components import IdButton
from bot.services.container import Services
from bot.services.errors import IopView, UserError, guarded, reply_ephemeral
from cogs.milestones import _render as render
from cogs.milestones._spec import SPEC

log = logging.getLogger("iopbot.milestones")


class ResetView(IopView):
    """Shown only to the client (ephemeral): restart the counter today, or keep it."""

    def __init__(self, services: Services, repo: MilestoneRepository, user_id: int) -> None:
        super().__init__(timeout=600)
        self.services = services
        self.repo = repo
        self.user_id = user_id

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return interaction.user.id == self.user_id

    @discord.ui.button(label=render.RESTART_LABEL, style=discord.ButtonStyle.primary)
    async def restart(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._choose(interaction, restart=True)

    @discord.ui.button(label=render.KEEP_LABEL, style=discord.ButtonStyle.secondary)
    async def keep(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._choose(interaction, restart=False)

    async def _choose(self, interaction: discord.Interaction[Any], *, restart: bool) -> None:
        services = self.services
        client = await services.clients.get(self.user_id)
        if client is None:
            raise UserError("Only enrolled clients have a day counter here.")
        now = services.clock.now()
        today = local_date(now, client.timezone)
        async with services.db.transaction() as tx:
            record = await self.repo.record_in(tx, self.user_id)
            tally = record.tally() if record else None
            if tally is None:
                raise UserError(render.no_date(SPEC.section_of(services.settings).streak_term))
            current = tally.current_days(today)
            await self.repo.add_reset(
                tx,
                user_id=self.user_id,
                on_date=today,
                restarted=restart,
                streak_days=current,
                now=now,
            )
            if restart:
                tally = ms.restart_streak(tally, today)
                await self.repo.save_tally(tx, self.user_id, tally, now)
                await self.repo.drop_pending_sobriety(tx, self.user_id)
        log.info(
            "sobriety.reset",
            extra={"person": services.key.pseudonym(self.user_id), "restarted": restart},
        )
        if restart:
            text = render.RESTARTED.format(
                cumulative=tally.cumulative(today),
                longest=render.days_label(ms.DAYS, tally.longest(today)),
            )
        else:
            text = render.KEPT.format(current=render.days_label(ms.DAYS, current))
        self.stop()
        await interaction.response.edit_message(content=text, view=None)


async def _same_cohort(services: Services, tx: Transaction, owner_id: int, peer_id: int) -> bool:
    cohorts = CohortRepository(services.db)
    owner = await cohorts.current_membership_in(tx, owner_id)
    peer = await cohorts.current_membership_in(tx, peer_id)
    return owner is not None and peer is not None and owner.cohort_id == peer.cohort_id


class CongratsButton(IdButton, template=r"iop:milestone:congrats:(?P<id>\d+)"):
    """On a public celebration: a peer's congratulations, one per peer, delivered later."""

    prefix = "iop:milestone:congrats:"
    label = render.CONGRATS_LABEL
    style = discord.ButtonStyle.success

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        repo = MilestoneRepository(services.db)
        perms = services.perms
        staff = perms.is_facilitator(perms.member_of(interaction.client, interaction.user))
        async with services.db.transaction() as tx:
            milestone = await repo.get_in(tx, self.item_id)
            if milestone is None or not milestone.public:
                reply = render.CONGRATS_GONE
            elif milestone.user_id == interaction.user.id:
                reply = render.CONGRATS_SELF
            elif not staff and not await _same_cohort(
                services, tx, milestone.user_id, interaction.user.id
            ):
                # The button is only posted in the group's channel; a crafted id is not.
                reply = render.CONGRATS_NOT_PEER
            elif milestone.congrats_sent_at is not None:
                reply = render.CONGRATS_CLOSED
            elif await repo.add_congrats(
                tx, milestone.id, interaction.user.id, services.clock.now()
            ):
                client = await services.clients.get_in(tx, milestone.user_id)
                name = client.display_name if client else "them"
                reply = render.CONGRATS_THANKS.format(name=shown_name(name))
            else:
                reply = render.CONGRATS_ALREADY
        await reply_ephemeral(interaction, reply)
