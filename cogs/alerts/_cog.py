"""Facilitator alerts: Acknowledge and the outcome, re-paging and re-escalation, the
fallback when the staff channel refuses a post, and ``/alerts status``."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.services.alert_fallback import register_fallback, unregister_fallback
from bot.services.alerts import STAFF_POST_KINDS
from bot.services.container import Services
from bot.services.errors import reply_ephemeral
from bot.services.permissions import facilitator_only
from bot.services.staff_channel import alert_channel_problems, staff_member_ids
from cogs.alerts._views import AcknowledgeButton, OutcomeButton

log = logging.getLogger("iopbot.alerts")

ESCALATE_JOB = "alerts:escalate"
STATUS_WINDOW = timedelta(hours=24)


class AlertsCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("alerts", "alert_failures")
    # Alerts are embeds in the staff channel (mentioning on-call needs a mentionable role).
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True
    )

    alerts_group = app_commands.Group(
        name="alerts",
        description="Facilitator alerts (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)

    def _staff(self) -> tuple[list[int], list[int]]:
        guild_id = self.services.settings.discord.guild_id
        guild = self.bot.get_guild(guild_id) if guild_id else None
        return staff_member_ids(guild, self.services.settings)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AcknowledgeButton, OutcomeButton)
        self.services.alerts.staff_lookup = self._staff
        register_fallback(self.services, STAFF_POST_KINDS)
        self.services.jobs.every(
            ESCALATE_JOB, self.services.alerts.escalate_overdue, timedelta(minutes=1)
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AcknowledgeButton, OutcomeButton)
        self.services.alerts.staff_lookup = None
        unregister_fallback(self.services, STAFF_POST_KINDS)
        self.services.jobs.remove(ESCALATE_JOB)

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        """A permission change in the staff channel: say at once what alerts now lack."""
        if after.id != self.services.settings.channels.staff_alerts:
            return
        for problem in alert_channel_problems(after.guild, self.services.settings):
            log.error("alerts.channel_access", extra={"problem": problem})

    @alerts_group.command(
        name="status",
        description="Open alerts, alert posts Discord refused, and staff-channel access.",
    )
    @facilitator_only()
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        lines = await self.status_lines()
        await reply_ephemeral(interaction, "\n".join(lines))

    async def status_lines(self) -> list[str]:
        services = self.services
        open_alerts = await services.alert_repo.open_for()
        urgent = [a for a in open_alerts if a.severity == "urgent"]
        lines = [
            f"Open alerts: {len(open_alerts)} ({len(urgent)} urgent)."
            + (
                " Urgent and not acknowledged: "
                + ", ".join(f"#{a.id} (paged {a.page_count} times)" for a in urgent)
                if urgent
                else ""
            )
        ]
        since = services.clock.now() - STATUS_WINDOW
        failures = await services.alert_repo.failures_since(since)
        if failures:
            lines.append(f"Alert posts not delivered in the last 24 hours: {len(failures)}")
            for f in failures[:10]:
                code = f"code {f.error_code}" if f.error_code else "no code"
                alert = f"alert #{f.alert_id}" if f.alert_id is not None else "a safety notice"
                lines.append(
                    f"• <t:{int(f.created_at.timestamp())}:f> {alert} ({f.kind}, {code}): "
                    f"{f.fallback_dms} fallback DM(s) queued"
                )
        else:
            lines.append("Alert posts not delivered in the last 24 hours: none.")
        guild_id = services.settings.discord.guild_id
        guild = self.bot.get_guild(guild_id) if guild_id else None
        problems = alert_channel_problems(guild, services.settings) if guild else []
        lines += (
            ["Staff channel access:", *(f"• {p}" for p in problems)]
            if problems
            else ["Staff channel access: the bot can view, send, embed and mention on-call."]
        )
        return lines

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        alerts = await self.services.alert_repo.for_subject(user_id)
        failures = await self.services.alert_repo.failures_for_subject(user_id)
        return {
            "alerts": [
                {
                    "id": a.id,
                    "rule": a.rule,
                    "label": a.label,
                    "severity": a.severity,
                    "created_at": a.created_at.isoformat(),
                    "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
                    "outcome": a.outcome,
                }
                for a in alerts
            ],
            "alert_failures": [
                {"alert_id": f.alert_id, "created_at": f.created_at.isoformat()} for f in failures
            ],
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.services.alert_repo.delete_for_subject(tx, user_id)
            failures = await self.services.alert_repo.delete_failures_for_subject(tx, user_id)
        return DeletionReport(removed={"alerts": removed, "alert_failures": failures})

    async def purge_expired(self) -> dict[str, int]:
        days = self.services.settings.retention.outbox_days
        cutoff = self.services.clock.now() - timedelta(days=days)
        async with self.services.db.transaction() as tx:
            failures = await self.services.alert_repo.purge_failures_before(tx, cutoff)
        return {"alert_failures": failures}
