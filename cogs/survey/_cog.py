"""The weekly recovery check: prompts in each client's zone, a short multi-step form,
scores and trends, alerts to staff (issue #20, docs/SURVEY.md)."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from typing import Any, ClassVar, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog, require_enrolled
from bot.db.repositories.survey import SurveyRepository
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.survey._history import cohort_report, load_trend, report_clients
from cogs.survey._interactions import handle_step_submit, open_form, send_trend
from cogs.survey._modal import FORM_PREFIX
from cogs.survey._planner import SCHEDULE, SurveyPrompts
from cogs.survey._render import responses_csv
from cogs.survey._spec import SPEC, SURVEY_DAYS
from cogs.survey._submit import require_client
from cogs.survey._views import DYNAMIC_ITEMS

log = logging.getLogger("iopbot.survey")


class SurveyCog(IopCog):
    # The prompt schedule and handled periods are the core prompt tables (schedule
    # "survey"); bot/services/userdata.py exports and deletes them.
    owned_tables: ClassVar[tuple[str, ...]] = ("survey_responses", "survey_answers")
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        send_messages=True, embed_links=True, attach_files=True, view_channel=True
    )

    survey = app_commands.Group(
        name="survey", description="Your recovery check and how it is going over time."
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.settings = SPEC.section_of(services.settings)
        self.repo = SurveyRepository(services.db)
        self.survey_prompts = SurveyPrompts(services, self.settings)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.services.prompts.register(self.survey_prompts.schedule())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.services.prompts.unregister(SCHEDULE)

    @commands.Cog.listener("on_interaction")
    async def on_survey_form(self, interaction: discord.Interaction[Any]) -> None:
        """Every submitted step, read from the interaction (works after a restart)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str(cast(dict[str, Any], interaction.data or {}).get("custom_id", ""))
        if custom_id.startswith(FORM_PREFIX):
            await self._step_form(interaction)

    @guarded
    async def _step_form(self, interaction: discord.Interaction[Any]) -> None:
        await handle_step_submit(self.services, self.settings, interaction)

    # ----- clients -----------------------------------------------------------------------

    @survey.command(name="open", description="Open this period's recovery check (or go on).")
    async def open_(self, interaction: discord.Interaction[Any]) -> None:
        await open_form(self.services, self.settings, interaction)

    @survey.command(name="history", description="Your recovery checks over time (only you see).")
    async def history(self, interaction: discord.Interaction[Any]) -> None:
        client = await require_client(self.services, interaction.user.id)
        await send_trend(
            interaction, await load_trend(self.services, self.settings, client), own=True
        )

    # ----- facilitators ------------------------------------------------------------------

    @survey.command(name="view", description="A client's recovery checks (facilitators).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def view(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        client = await require_enrolled(self.services, member)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx, actor_id=interaction.user.id, action="survey.view", subject_user_id=member.id
            )
        await send_trend(
            interaction, await load_trend(self.services, self.settings, client), own=False
        )

    @survey.command(name="report", description="The cohort's recovery-check trend (facilitators).")
    @app_commands.describe(cohort="A cohort's channel (leave empty for all active clients)")
    @facilitator_only()
    async def report(
        self, interaction: discord.Interaction[Any], cohort: discord.TextChannel | None = None
    ) -> None:
        channel = (cohort.id, cohort.name) if cohort else None
        title, clients = await report_clients(self.services, channel)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="survey.report",
                channel_id=cohort.id if cohort else None,
                clients=len(clients),
            )
        text, png = await cohort_report(self.services, self.settings, title, clients)
        if png is None:
            await reply_ephemeral(interaction, text)
        else:
            chart = discord.File(io.BytesIO(png), filename="recovery-check-report.png")
            await reply_ephemeral(interaction, text, file=chart)

    @survey.command(name="export", description="A client's recovery checks as CSV (facilitators).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def export(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        client = await require_enrolled(self.services, member)
        responses = await self.repo.all_for(client.user_id)
        answers = {r.id: await self.repo.answers(r.id) for r in responses}
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="survey.export",
                subject_user_id=member.id,
                rows=len(responses),
            )
        await reply_ephemeral(
            interaction,
            f"{len(responses)} recovery checks for {shown_name(client.display_name)}. This "
            "file holds health information: keep it within the care team.",
            file=discord.File(
                io.BytesIO(responses_csv(responses, answers)),
                filename=f"recovery-checks-{client.user_id}.csv",
            ),
        )

    # ----- data contracts ----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        """The responses and answers (the schedule is in the core ``prompts`` section)."""
        responses = await self.repo.all_for(user_id)
        if not responses:
            return {}
        return {
            "survey_responses": [
                {
                    "period": r.period,
                    "first_day": r.first_day.isoformat(),
                    "use_score": r.scores.use if r.scores else None,
                    "risk_score": r.scores.risk if r.scores else None,
                    "protective_score": r.scores.protective if r.scores else None,
                    "satisfaction": r.scores.satisfaction if r.scores else None,
                    "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                    "replaced": r.replaced,
                    "answers": [
                        {"question": a.item_key, "answer": a.label, "points": a.points}
                        for a in await self.repo.answers(r.id)
                    ],
                }
                for r in responses
            ],
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.repo.delete_for(tx, user_id)
            removed |= await self.services.prompts.delete_for(tx, SCHEDULE, user_id)
        return DeletionReport(removed=removed)

    async def purge_expired(self) -> dict[str, int]:
        days = SURVEY_DAYS.days(self.services.settings)
        cutoff = self.services.clock.now().date() - timedelta(days=days)
        async with self.services.db.transaction() as tx:
            return {
                **await self.repo.purge_before(tx, cutoff),
                "prompt_periods": await self.services.prompts.purge_before(tx, SCHEDULE, cutoff),
            }
