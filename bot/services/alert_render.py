"""What an alert post shows: the embed, its buttons and the outcomes staff can record.

The post carries the client's display name, the rule, ids and who acknowledged it with
what outcome; never answers, notes or message content. A group message that raised an
alert is one click away through a jump link; other sources get a "View message" button
from the feature that raised the alert.
"""

from __future__ import annotations

from bot.config import RoleSettings
from bot.db.repositories.alerts import Alert
from bot.domain.text import shown_name
from bot.services.notices import Button

SEVERITY_ICON = {"normal": "🔔", "high": "🟠", "urgent": "🔴"}
ACK_PREFIX = "iop:alert:ack:"
OUTCOME_PREFIX = "iop:alert:outcome:"

# What happened, recorded when staff acknowledge an alert: (code, label on the button).
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("reached", "Reached the person"),
    ("safe", "Safe for now"),
    ("referred", "Referred"),
    ("emergency", "Emergency services"),
    ("no_contact", "Could not reach"),
)
OUTCOME_LABELS = dict(OUTCOMES)


def ack_custom_id(alert_id: int) -> str:
    return f"{ACK_PREFIX}{alert_id}"


def outcome_custom_id(alert_id: int, code: str) -> str:
    return f"{OUTCOME_PREFIX}{alert_id}:{code}"


def outcome_buttons(alert_id: int) -> tuple[Button, ...]:
    return tuple(
        Button(label, outcome_custom_id(alert_id, code), "secondary") for code, label in OUTCOMES
    )


def alert_buttons(alert: Alert, extra: tuple[Button, ...]) -> tuple[Button, ...]:
    """Acknowledge first; once acknowledged, the outcomes; once recorded, only ``extra``."""
    extra = tuple(b for b in extra if not b.custom_id.startswith((ACK_PREFIX, OUTCOME_PREFIX)))
    if alert.acknowledged_at is None:
        return (Button("Acknowledge", ack_custom_id(alert.id), "success"), *extra)
    if alert.outcome is None:
        return (*extra, *outcome_buttons(alert.id))
    return extra


def subject_label(role_ids: set[int], roles: RoleSettings) -> str:
    """What the alert calls its subject, from their roles (family are not clients)."""
    for role_id, label in (
        (roles.facilitator, "Staff"),
        (roles.client, "Client"),
        (roles.family, "Family member"),
    ):
        if role_id is not None and role_id in role_ids:
            return label
    return "Member"


def alert_embed(
    alert: Alert,
    client_name: str,
    *,
    acknowledged_by: str | None = None,
    jump_url: str | None = None,
    subject: str = "Client",
) -> dict[str, object]:
    icon = SEVERITY_ICON.get(alert.severity, "🔔")
    fields: list[dict[str, object]] = [
        {
            "name": subject,
            "value": f"{shown_name(client_name)} (<@{alert.subject_user_id}>)",
            "inline": True,
        },
        {"name": "Severity", "value": alert.severity, "inline": True},
        {"name": "Raised", "value": f"<t:{int(alert.created_at.timestamp())}:f>", "inline": True},
    ]
    if jump_url:
        fields.append({"name": "Message", "value": f"[Open the message]({jump_url})"})
    if alert.acknowledged_at is not None:
        who = acknowledged_by or f"<@{alert.acknowledged_by}>"
        stamp = f"<t:{int(alert.acknowledged_at.timestamp())}:f>"
        fields.append({"name": "Acknowledged", "value": f"by {shown_name(who)} at {stamp}"})
    if alert.outcome is not None and alert.outcome_at is not None:
        label = OUTCOME_LABELS.get(alert.outcome, alert.outcome)
        stamp = f"<t:{int(alert.outcome_at.timestamp())}:f>"
        fields.append({"name": "Outcome", "value": f"{label} (<@{alert.outcome_by}>, {stamp})"})
    elif alert.acknowledged_at is not None:
        fields.append({"name": "Outcome", "value": "not recorded yet: pick one below"})
    return {
        "title": f"{icon} {shown_name(alert.label)}",
        "description": f"Alert #{alert.id} · rule `{alert.rule}` · from {alert.source}",
        "fields": fields,
        "color": 0xD9534F if alert.severity == "urgent" else 0xF0AD4E,
    }
