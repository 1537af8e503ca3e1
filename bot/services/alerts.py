"""Facilitator alerts: one message in the staff channel, de-duplicated per client and rule,
with an Acknowledge button and, once acknowledged, the outcome staff record.

Urgent alerts mention the on-call role at once (allowed mentions: that role only) and again
every ``safety.urgent_repage_minutes`` until someone acknowledges; other alerts ping the
on-call role once after ``safety.reescalate_hours``. A post Discord refuses (or that runs out
of retries) is never lost: :mod:`bot.services.alert_fallback` DMs the on-call members and
the facilitators, logs the failure at error level and records it for ``/alerts status``.

The alert carries the client's display name, the rule and ids; never answers, notes or
message content. Features add their own buttons (e.g. "View message", shown ephemerally to
facilitators) and, for a group message, a jump link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.config import Settings
from bot.db.database import Database, Transaction
from bot.db.repositories.alerts import Alert, AlertRepository
from bot.db.repositories.clients import Client, ClientRepository
from bot.domain.alert_rules import AlertRule
from bot.domain.text import shown_name
from bot.services.alert_render import (
    SEVERITY_ICON,
    ack_custom_id,
    alert_buttons,
    alert_embed,
    subject_label,
)
from bot.services.clock import Clock
from bot.services.notices import Button, Notice
from bot.services.outbox import ChannelTarget, Outbox

__all__ = [
    "ALERT_KIND",
    "ESCALATION_KIND",
    "REPAGE_KIND",
    "SEVERITY_ICON",
    "Alerts",
    "ack_custom_id",
    "alert_embed",
]

log = logging.getLogger("iopbot.alerts")

ALERT_KIND = "alert"
ESCALATION_KIND = "alert_escalation"
REPAGE_KIND = "alert_repage"
STAFF_POST_KINDS = (ALERT_KIND, ESCALATION_KIND, REPAGE_KIND)


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
        member_roles: Callable[[int], set[int]] | None = None,
    ) -> None:
        self.member_roles = member_roles
        self.db = db
        self.repo = repo
        self.clients = clients
        self.outbox = outbox
        self.clock = clock
        self.settings = settings
        # (on_call_ids, facilitator_ids) from the member cache; set by the alerts cog and
        # used when a staff-channel post fails (bot/services/alert_fallback.py).
        self.staff_lookup: Callable[[], tuple[list[int], list[int]]] | None = None

    def subject_label(self, user_id: int) -> str:
        """ "Client", "Family member", "Staff" or "Member", from the member's current roles."""
        if self.member_roles is None:
            return "Member"
        return subject_label(self.member_roles(user_id), self.settings.roles)

    def page_role(self) -> int | None:
        """Who an urgent page mentions: the on-call role, else the facilitator role."""
        return self.settings.roles.on_call or self.settings.roles.facilitator

    async def raise_rule(
        self,
        tx: Transaction,
        rule: AlertRule,
        subject: Client | int,
        *,
        source: str,
        window: timedelta,
        extra_buttons: tuple[Button, ...] = (),
    ) -> int | None:
        """:meth:`raise_alert` for a feature's declared rule. ``subject`` is the client,
        or their user id (named from their record, "member N" once that is gone)."""
        if isinstance(subject, int):
            user_id, client = subject, await self.clients.get_in(tx, subject)
        else:
            user_id, client = subject.user_id, subject
        return await self.raise_alert(
            tx,
            subject_user_id=user_id,
            subject_name=client.display_name if client else f"member {user_id}",
            rule=rule.rule,
            label=rule.label,
            severity=rule.severity,
            source=source,
            window=window,
            extra_buttons=extra_buttons,
        )

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
        jump_url: str | None = None,
    ) -> int | None:
        """Raise an alert unless one for this person and rule was raised within ``window``.

        Returns the new alert's id, or None when de-duplicated. Queues the staff-channel
        message in the same transaction; an urgent one mentions the on-call role at once.
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
        content = ""
        roles: tuple[int, ...] = ()
        if severity == "urgent":
            role = self.page_role()
            await self.repo.mark_paged(tx, alert_id, now)
            if role is not None:
                content = f"<@&{role}> Urgent alert #{alert_id}: please look now."
                roles = (role,)
        notice = Notice(
            content=content,
            embeds=(
                alert_embed(
                    alert,
                    subject_name,
                    jump_url=jump_url,
                    subject=self.subject_label(subject_user_id),
                ),
            ),
            buttons=alert_buttons(alert, extra_buttons),
            mention_role_ids=roles,
            meta={"alert_id": alert_id, "jump_url": jump_url},
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
        """Page again about open urgent alerts; ping on-call once about other late ones."""
        channel_id = self.settings.channels.staff_alerts
        if channel_id is None:
            return 0
        now = self.clock.now()
        safety = self.settings.safety
        escalated = 0
        async with self.db.transaction() as tx:
            repage_cutoff = now - timedelta(minutes=safety.urgent_repage_minutes)
            for alert in await self.repo.due_for_repage(tx, repage_cutoff):
                await self._repage(tx, alert, channel_id, now)
                escalated += 1
            cutoff = now - timedelta(hours=safety.reescalate_hours)
            for alert in await self.repo.due_for_escalation(tx, cutoff):
                await self._escalate(tx, alert, channel_id)
                await self.repo.mark_escalated(tx, alert.id, now)
                escalated += 1
        return escalated

    async def _name(self, tx: Transaction, user_id: int) -> str:
        client = await self.clients.get_in(tx, user_id)
        return shown_name(client.display_name) if client else f"member {user_id}"

    async def _repage(self, tx: Transaction, alert: Alert, channel_id: int, now: datetime) -> None:
        pages = await self.repo.mark_paged(tx, alert.id, now)
        minutes = int((now - alert.created_at).total_seconds() // 60)
        await self._remind(
            tx,
            alert,
            channel_id,
            role=self.page_role(),
            text=(
                f"Urgent alert #{alert.id} ({shown_name(alert.label)}) for {{name}} is still not "
                f"acknowledged after {minutes} minutes (page {pages}). Please look now."
            ),
            dedupe_key=f"alert:{alert.id}:page:{pages}",
            kind=REPAGE_KIND,
        )
        log.warning("alert.repaged", extra={"alert_id": alert.id, "page": pages})

    async def _escalate(self, tx: Transaction, alert: Alert, channel_id: int) -> None:
        hours = self.settings.safety.reescalate_hours
        await self._remind(
            tx,
            alert,
            channel_id,
            role=self.settings.roles.on_call,
            text=(
                f"Alert #{alert.id} ({shown_name(alert.label)}) for {{name}} has not been "
                f"acknowledged for {hours:g} hours. Please look at it."
            ),
            dedupe_key=f"alert:{alert.id}:escalation",
            kind=ESCALATION_KIND,
        )

    async def _remind(
        self,
        tx: Transaction,
        alert: Alert,
        channel_id: int,
        *,
        role: int | None,
        text: str,
        dedupe_key: str,
        kind: str,
    ) -> None:
        """A staff-channel reminder about an open alert that mentions ``role`` (only it),
        with the Acknowledge button; ``text`` names the person as ``{name}``."""
        name = await self._name(tx, alert.subject_user_id)
        mention = f"<@&{role}> " if role else ""
        notice = Notice(
            content=mention + text.replace("{name}", name),
            mention_role_ids=(role,) if role else (),
            buttons=(Button("Acknowledge", ack_custom_id(alert.id), "success"),),
            meta={"alert_id": alert.id},
        )
        await self.outbox.enqueue(
            tx,
            dedupe_key=dedupe_key,
            kind=kind,
            target=ChannelTarget(channel_id),
            notice=notice,
            subject_user_id=alert.subject_user_id,
        )
