"""The personal safety plan: /safetyplan edit|show for clients, /safetyplan view for
facilitators (audit-logged), and the "My safety plan" button that works anywhere.

The plan's text is shown only in ephemeral replies and is never logged. It is not run
through the crisis detector: its "warning signs" part describes crisis thoughts on
purpose, and an alert for writing one's own plan would be noise, not safety.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.safetyplan._common import parts, repo
from cogs.safetyplan._modal import open_plan_step
from cogs.safetyplan._render import plan_embed
from cogs.safetyplan._spec import PLAN_DAYS
from cogs.safetyplan._views import DYNAMIC_ITEMS, show_own_plan

log = logging.getLogger("iopbot.safetyplan")


class SafetyPlanCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("safety_plans",)

    safetyplan = app_commands.Group(
        name="safetyplan", description="Your personal safety plan, in your own words (private)."
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = repo(services)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    # ----- clients -----------------------------------------------------------------------

    @safetyplan.command(name="edit", description="Write or change your safety plan (2 steps).")
    async def edit(self, interaction: discord.Interaction[Any]) -> None:
        await open_plan_step(self.services, interaction, 0)

    @safetyplan.command(name="show", description="Your safety plan (only you see it).")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        await show_own_plan(self.services, interaction, from_button=False)

    # ----- facilitators ------------------------------------------------------------------

    @safetyplan.command(name="view", description="A client's safety plan (facilitators).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def view(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        services = self.services
        client = await services.clients.get(member.id)
        plan = await self.repo.get(member.id)
        if client is None and plan is None:
            raise UserError(f"{shown_name(member.display_name)} is not an enrolled client.")
        has_plan = plan is not None and not plan.is_empty
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="safetyplan.view",
                subject_user_id=member.id,
                found=has_plan,
            )
        log.info(
            "safetyplan.viewed",
            extra={"person": services.key.pseudonym(member.id), "actor_id": interaction.user.id},
        )
        name = shown_name(client.display_name if client else member.display_name)
        if plan is None or plan.is_empty:
            await reply_ephemeral(
                interaction,
                f"{name} hasn't written a safety plan yet. They can make one with "
                "/safetyplan edit (or the My safety plan button).",
            )
            return
        embed = plan_embed(plan, parts(services), title=f"Safety plan: {name}", own=False)
        await reply_ephemeral(interaction, f"{name}'s safety plan (private to you).", embed=embed)

    # ----- data contracts ----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        plan = await self.repo.get(user_id)
        if plan is None:
            return {}
        return {
            "safety_plan": {
                "parts": [
                    {"part": part.key, "title": part.title, "text": plan.text(part.key)}
                    for part in parts(self.services)
                ],
                "created_at": plan.created_at.isoformat(),
                "updated_at": plan.updated_at.isoformat(),
            }
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.repo.delete_for(tx, user_id)
        return DeletionReport(removed=removed)

    async def purge_expired(self) -> dict[str, int]:
        days = PLAN_DAYS.days(self.services.settings)
        cutoff = self.services.clock.now() - timedelta(days=days)
        async with self.services.db.transaction() as tx:
            return await self.repo.purge_unchanged_since(tx, cutoff)
