"""Facilitator alerts: the Acknowledge button and re-escalation to the on-call role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import discord
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.services.alerts import alert_embed
from bot.services.components import IdButton
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral

ESCALATE_JOB = "alerts:escalate"


class AcknowledgeButton(IdButton, template=r"iop:alert:ack:(?P<id>\d+)"):
    prefix = "iop:alert:ack:"
    label = "Acknowledge"
    style = discord.ButtonStyle.success

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        facilitator = services.perms.require_facilitator(interaction)
        alerts = services.alerts
        alert = await alerts.repo.get(self.item_id)
        if alert is None:
            await reply_ephemeral(interaction, "That alert no longer exists.")
            return
        async with services.db.transaction() as tx:
            recorded = await alerts.repo.acknowledge(
                tx, alert.id, facilitator.id, services.clock.now()
            )
            if recorded:
                await services.audit.record(
                    tx,
                    actor_id=facilitator.id,
                    action="alert.acknowledge",
                    subject_user_id=alert.subject_user_id,
                    alert_id=alert.id,
                )
        if not recorded:
            refreshed = await alerts.repo.get(alert.id)
            who = f"<@{refreshed.acknowledged_by}>" if refreshed else "someone"
            await reply_ephemeral(interaction, f"Already acknowledged by {who}.")
            return
        updated = await alerts.repo.get(alert.id) or alert
        client = await services.clients.get(alert.subject_user_id)
        name = client.display_name if client else f"member {alert.subject_user_id}"
        embed = discord.Embed.from_dict(
            alert_embed(
                updated,
                name,
                acknowledged_by=facilitator.display_name,
                subject=alerts.subject_label(alert.subject_user_id),
            )
        )
        message = interaction.message
        if message is not None and message.embeds:
            keep = [
                c
                for row in message.components
                if isinstance(row, discord.ActionRow)
                for c in row.children
                if isinstance(c, discord.Button)
                and not (c.custom_id or "").startswith("iop:alert:ack:")
            ]
            view = discord.ui.View(timeout=None)
            for component in keep:
                view.add_item(
                    discord.ui.Button(
                        label=component.label, custom_id=component.custom_id, style=component.style
                    )
                )
            view.stop()
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(
                f"Alert #{alert.id} acknowledged. Thank you.", ephemeral=True
            )


class AlertsCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("alerts",)

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(AcknowledgeButton)
        self.services.jobs.every(
            ESCALATE_JOB, self.services.alerts.escalate_overdue, timedelta(minutes=1)
        )

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(AcknowledgeButton)
        self.services.jobs.remove(ESCALATE_JOB)

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        alerts = await self.services.alert_repo.for_subject(user_id)
        return {
            "alerts": [
                {
                    "id": a.id,
                    "rule": a.rule,
                    "label": a.label,
                    "severity": a.severity,
                    "created_at": a.created_at.isoformat(),
                    "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
                }
                for a in alerts
            ]
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.services.alert_repo.delete_for_subject(tx, user_id)
        return DeletionReport(removed={"alerts": removed})
