"""The alert post's buttons: Acknowledge, then the outcome staff record (facilitators only).

Acknowledging stops the re-paging at once and turns the post's Acknowledge button into the
outcome buttons; picking an outcome records it (audit-logged) and the post shows who
acknowledged, when, and what happened. Pressed on a page, an escalation or a fallback DM,
the answer is private and the original alert post is updated as well.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Self

import discord

from bot.db.repositories.alerts import Alert
from bot.services.alert_render import (
    OUTCOME_LABELS,
    alert_buttons,
    alert_embed,
    outcome_buttons,
)
from bot.services.components import IdButton, PartsButton
from bot.services.container import Services
from bot.services.errors import guarded, reply_ephemeral
from bot.services.notices import Notice
from bot.services.sender import build_view

log = logging.getLogger("iopbot.alerts")


async def _post_of(services: Services, alert_id: int) -> tuple[int | None, int | None, Notice]:
    """(channel id, message id, notice) of the alert's staff-channel post."""
    row = await services.outbox_repo.get_by_key(f"alert:{alert_id}")
    if row is None:
        return None, None, Notice()
    return row.target_id, row.message_id, Notice.from_json(row.payload)


async def _rendered(services: Services, alert: Alert) -> tuple[discord.Embed, discord.ui.View]:
    _, _, notice = await _post_of(services, alert.id)
    client = await services.clients.get(alert.subject_user_id)
    name = client.display_name if client else f"member {alert.subject_user_id}"
    jump = notice.meta.get("jump_url")
    embed = discord.Embed.from_dict(
        alert_embed(
            alert,
            name,
            jump_url=jump if isinstance(jump, str) else None,
            subject=services.alerts.subject_label(alert.subject_user_id),
        )
    )
    view = build_view(Notice(buttons=alert_buttons(alert, notice.buttons))) or discord.ui.View()
    view.stop()
    return embed, view


async def refresh_alert_post(
    interaction: discord.Interaction[Any], services: Services, alert: Alert
) -> None:
    """Show ``alert``'s state on the message pressed, or privately and on the alert post."""
    embed, view = await _rendered(services, alert)
    # The page is answered: the post no longer asks anyone to look (an edit never pings).
    content = f"Alert #{alert.id}: acknowledged." if alert.acknowledged_at else None
    channel_id, message_id, _ = await _post_of(services, alert.id)
    pressed = interaction.message
    if pressed is not None and pressed.id == message_id:
        await interaction.response.edit_message(content=content, embed=embed, view=view)
        return
    if channel_id is not None and message_id is not None:
        post = interaction.client.get_partial_messageable(channel_id).get_partial_message(
            message_id
        )
        try:
            await post.edit(content=content, embed=embed, view=view)
        except discord.HTTPException as exc:
            log.warning("alert.post_not_updated", extra={"alert_id": alert.id, "code": exc.code})
    if alert.outcome is None:
        choose = build_view(Notice(buttons=outcome_buttons(alert.id)))
        await reply_ephemeral(
            interaction,
            f"Alert #{alert.id} is acknowledged. What happened?",
            **({"view": choose} if choose else {}),
        )
    else:
        label = OUTCOME_LABELS.get(alert.outcome, alert.outcome)
        await reply_ephemeral(interaction, f"Alert #{alert.id}: recorded “{label}”. Thank you.")


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
        updated = await alerts.repo.get(alert.id) or alert
        if not recorded and updated.outcome is not None:
            await reply_ephemeral(
                interaction, f"Already acknowledged by <@{updated.acknowledged_by}>."
            )
            return
        await refresh_alert_post(interaction, services, updated)


class OutcomeButton(
    PartsButton,
    template=r"iop:alert:outcome:(?P<id>\d+):(?P<code>[a-z_]+)",
):
    def __init__(self, alert_id: int, code: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=OUTCOME_LABELS.get(code, code),
                style=discord.ButtonStyle.secondary,
                custom_id=f"iop:alert:outcome:{alert_id}:{code}",
            )
        )
        self.alert_id = alert_id
        self.code = code

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match["id"]), match["code"])

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        facilitator = services.perms.require_facilitator(interaction)
        if self.code not in OUTCOME_LABELS:
            await reply_ephemeral(interaction, "That outcome is not one I know.")
            return
        alert = await services.alerts.repo.get(self.alert_id)
        if alert is None:
            await reply_ephemeral(interaction, "That alert no longer exists.")
            return
        async with services.db.transaction() as tx:
            recorded = await services.alerts.repo.set_outcome(
                tx, alert.id, self.code, facilitator.id, services.clock.now()
            )
            if recorded:
                await services.audit.record(
                    tx,
                    actor_id=facilitator.id,
                    action="alert.outcome",
                    subject_user_id=alert.subject_user_id,
                    alert_id=alert.id,
                    outcome=self.code,
                )
        updated = await services.alerts.repo.get(alert.id) or alert
        if not recorded:
            label = OUTCOME_LABELS.get(updated.outcome or "", updated.outcome)
            await reply_ephemeral(
                interaction,
                f"An outcome is already recorded for alert #{alert.id}: {label} "
                f"(by <@{updated.outcome_by}>).",
            )
            return
        log.info("alert.outcome", extra={"alert_id": alert.id, "outcome": self.code})
        await refresh_alert_post(interaction, services, updated)
