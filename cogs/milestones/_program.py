"""/program stepdown and /program complete (facilitators): a status change that is also a
program milestone, celebrated at the client's next local celebration time."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import IopCog
from bot.db.repositories.milestones import MilestoneRepository
from bot.domain import milestones as ms
from bot.domain.localtime import local_date, parse_hhmm
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.milestones._spec import SPEC

log = logging.getLogger("iopbot.milestones")

# status → (milestone kind, audit action, the statuses it may follow, words for replies)
_STEPS = {
    "stepped_down": (ms.STEPDOWN, "program.stepdown", ("active",), "stepped down"),
    "completed": (ms.COMPLETION, "program.complete", ("active", "stepped_down"), "completed"),
}


class ProgramCog(IopCog):
    """Owns no table: the status lives in ``clients``, the milestone in ``milestones``
    (owned by :class:`MilestonesCog`)."""

    program = app_commands.Group(
        name="program",
        description="Step-down and completion (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_roles=True),
    )

    required_permissions: ClassVar[discord.Permissions] = discord.Permissions.none()

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = MilestoneRepository(services.db)

    @program.command(name="stepdown", description="Record a client's step-down in care.")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def stepdown(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        await self._change(interaction, member, "stepped_down")

    @program.command(name="complete", description="Record that a client completed the program.")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def complete(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        await self._change(interaction, member, "completed")

    async def _change(
        self, interaction: discord.Interaction[Any], member: discord.Member, status: str
    ) -> None:
        services = self.services
        kind, action, allowed_from, words = _STEPS[status]
        now = services.clock.now()
        async with services.db.transaction() as tx:
            client = await services.clients.get_in(tx, member.id)
            if client is None:
                raise UserError(f"{shown_name(member.display_name)} is not enrolled.")
            if client.status not in allowed_from:
                current = client.status.replace("_", " ")
                raise UserError(
                    f"{shown_name(client.display_name)} is {current}, so they can't be {words} now."
                )
            wall = parse_hhmm(SPEC.section_of(services.settings).celebration_time)
            due_date, due_at = ms.next_celebration(now, wall, client.timezone)
            await services.clients.set_status(tx, client.user_id, status, now)
            milestone_id = await self.repo.insert(
                tx,
                user_id=client.user_id,
                scheme=ms.PROGRAM,
                kind=kind,
                n=1,
                streak=0,
                due_date=due_date,
                due_at=due_at,
                now=now,
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action=action,
                subject_user_id=client.user_id,
                milestone_id=milestone_id or 0,
            )
        log.info(
            action,
            extra={"person": services.key.pseudonym(client.user_id), "milestone_id": milestone_id},
        )
        which = "today" if due_date == local_date(now, client.timezone) else "tomorrow"
        when = f"{which} at {due_at.astimezone(client.timezone):%H:%M} their time"
        celebration = (
            f"Their milestone will be celebrated {when}: by DM, and in their group only if "
            "they chose to share celebrations."
            if milestone_id
            else "This milestone was already celebrated before, so it won't be repeated."
        )
        await reply_ephemeral(
            interaction, f"{shown_name(client.display_name)} has {words}. {celebration}"
        )
