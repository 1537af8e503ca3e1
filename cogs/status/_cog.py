"""``/iopbot status`` for facilitators: is the program healthy right now? (ephemeral)"""

from __future__ import annotations

from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import discord
from discord import app_commands

from bot.cogbase import IopCog
from bot.services.doctor_local import database_checks
from bot.services.errors import reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.status._render import StatusFacts, status_text


def iopbot_version() -> str:
    try:
        return version("iopbot")
    except PackageNotFoundError:
        return "unknown"


class StatusCog(IopCog):
    iopbot = app_commands.Group(
        name="iopbot",
        description="How iopbot itself is doing (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_roles=True),
    )

    @iopbot.command(name="status", description="Uptime, jobs, outbox, alerts and set-up checks.")
    @facilitator_only()
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        services = self.services
        now = services.clock.now()
        checks = []
        doctor_lines = getattr(self.bot, "doctor_lines", None)
        if doctor_lines is not None:
            checks += await doctor_lines()
        checks += await database_checks(services.db, services.settings, now)
        jobs = services.jobs
        facts = StatusFacts(
            version=iopbot_version(),
            started_at=getattr(self.bot, "started_at", now),
            now=now,
            cogs=[name.removeprefix("cogs.") for name in self.bot.extensions],
            jobs={job_id: jobs.last_runs.get(job_id) for job_id in jobs.job_ids()},
            queued=await services.outbox_repo.queued_count(),
            failed_24h=await services.outbox_repo.failed_since(now - timedelta(hours=24)),
            unacknowledged=len(await services.alert_repo.open_for()),
            checks=checks,
        )
        await reply_ephemeral(interaction, status_text(facts))
