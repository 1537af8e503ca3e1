"""Facilitator alerts: one message in the staff channel, de-duplicated per client and rule,
with an Acknowledge button, re-escalated to the on-call role when nobody acknowledges.

The alert carries the client's display name, the rule and ids; never answers, notes or
message content. Features add their own "view" buttons (e.g. a check-in's details, shown
ephemerally to facilitators).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.config import Settings
from bot.db.database import Database, Transaction
from bot.db.repositories.alerts import Alert, AlertRepository
from bot.db.repositories.clients import ClientRepository
from bot.domain.text import shown_name
from bot.services.clock import Clock
from bot.services.notices import Button, Notice
from bot.services.outbox import ChannelTarget, Outbox

log = logging.getLogger("iopbot.alerts")

SEVERITY_ICON = {"normal": "🔔", "high": "🟠", "urgent": "🔴"}
ALERT_KIND = "alert"
ESCALATION_KIND = "alert_escalation"


def ack_custom_id(alert_id: int) -> str:
    return f"iop:alert:ack:{alert_id}"


def alert_embed(
    alert: Alert, client_name: str, *, acknowledged_by: str | None = None
) -> dict[str, object]:
    icon = SEVERITY_ICON.get(alert.severity, "🔔")
    fields = [
        {
            "name": "Client",
            "value": f"{shown_name(client_name)} (<@{alert.subject_user_id}>)",
            "inline": True,
        },
        {"name": "Severity", "value": alert.severity, "inline": True},
        {"name": "Raised", "value": f"<t:{int(alert.created_at.timestamp())}:f>", "inline": True},
    ]
    if acknowledged_by is not None and alert.acknowledged_at is not None:
        stamp = f"<t:{int(alert.acknowledged_at.timestamp())}:f>"
        fields.append(
            {"name": "Acknowledged", "value": f"by {shown_name(acknowledged_by)} at {stamp}"}
        )
    return {
        "title": f"{icon} {shown_name(alert.label)}",
        "description": f"Alert #{alert.id} · rule `{alert.rule}` · from {alert.source}",
        "fields": fields,
        "color": 0xD9534F if alert.severity == "urgent" else 0xF0AD4E,
    }


class Alerts:
    def __init__(
        self,
        *,
        db: Database,
        repo: AlertRepository,
        clients: ClientRepository,
        outbox: Outbox,
        clock: Clock,
        settings: Settings,
    ) -> None:
        self.db = db
        self.repo = repo
        self.clients = clients
        self.outbox = outbox
        self.clock = clock
        self.settings = settings

    async def raise_alert(
        self,
        tx: Transaction,
        *,
        subject_user_id: int,
        subject_name: str,
        rule: str,
        label: str,
        severity: str,
        source: str,
        window: timedelta,
        extra_buttons: tuple[Button, ...] = (),
    ) -> int | None:
        """Raise an alert unless one for this person and rule was raised within ``window``.

        Returns the new alert's id, or None when de-duplicated. Queues the staff-channel
        message in the same transaction.
        """
        now = self.clock.now()
        if await self.repo.recent_in(tx, subject_user_id, rule, now - window) is not None:
            return None
        alert_id = await self.repo.add(
            tx,
            subject_user_id=subject_user_id,
            rule=rule,
            label=label,
            severity=severity,
            source=source,
            now=now,
        )
        alert = Alert(
            id=alert_id,
            subject_user_id=subject_user_id,
            rule=rule,
            label=label,
            severity=severity,
            source=source,
            created_at=now,
            acknowledged_by=None,
            acknowledged_at=None,
            escalated_at=None,
        )
        channel_id = self.settings.channels.staff_alerts
        if channel_id is None:
            log.error("alerts.no_staff_channel", extra={"alert_id": alert_id})
            return alert_id
        notice = Notice(
            embeds=(alert_embed(alert, subject_name),),
            buttons=(Button("Acknowledge", ack_custom_id(alert_id), "success"), *extra_buttons),
        )
        await self.outbox.enqueue(
            tx,
            dedupe_key=f"alert:{alert_id}",
            kind=ALERT_KIND,
            target=ChannelTarget(channel_id),
            notice=notice,
            subject_user_id=subject_user_id,
        )
        log.info("alert.raised", extra={"alert_id": alert_id, "rule": rule, "severity": severity})
        return alert_id

    async def acknowledge(self, alert_id: int, by_user_id: int) -> bool:
        async with self.db.transaction() as tx:
            return await self.repo.acknowledge(tx, alert_id, by_user_id, self.clock.now())

    async def escalate_overdue(self) -> int:
        """Ping the on-call role about alerts nobody acknowledged in time (once each)."""
        channel_id = self.settings.channels.staff_alerts
        if channel_id is None:
            return 0
        now = self.clock.now()
        cutoff = now - timedelta(hours=self.settings.safety.reescalate_hours)
        on_call = self.settings.roles.on_call
        escalated = 0
        async with self.db.transaction() as tx:
            for alert in await self.repo.due_for_escalation(tx, cutoff):
                client = await self.clients.get_in(tx, alert.subject_user_id)
                name = client.display_name if client else f"member {alert.subject_user_id}"
                hours = self.settings.safety.reescalate_hours
                mention = f"<@&{on_call}> " if on_call else ""
                notice = Notice(
                    content=(
                        f"{mention}Alert #{alert.id} ({shown_name(alert.label)}) for "
                        f"{shown_name(name)} has "
                        "not been "
                        f"acknowledged for {hours:g} hours. Please look at it."
                    ),
                    mention_role_ids=(on_call,) if on_call else (),
                    buttons=(Button("Acknowledge", ack_custom_id(alert.id), "success"),),
                )
                await self.outbox.enqueue(
                    tx,
                    dedupe_key=f"alert:{alert.id}:escalation",
                    kind=ESCALATION_KIND,
                    target=ChannelTarget(channel_id),
                    notice=notice,
                    subject_user_id=alert.subject_user_id,
                )
                await self.repo.mark_escalated(tx, alert.id, now)
                escalated += 1
        return escalated
