"""Saving a check-in: one per local day, the risk rules, and the private confirmation.

Everything happens in one transaction: the answers, the alerts (which carry no answers,
only a "View check-in" button for facilitators) and the crisis path. The reply to the
client is ephemeral; nothing here posts anywhere public, and logs carry ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.db.database import Transaction
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.clients import Client
from bot.domain.checkins import (
    ASKED_TO_TALK,
    CheckinAnswers,
    RiskRule,
    RiskThresholds,
    answer_risks,
    checkin_streak,
    encouragement,
)
from bot.domain.localtime import local_date
from bot.services.container import Services
from bot.services.crisis import crisis_resources_text, handle_crisis_text
from bot.services.errors import UserError
from bot.services.notices import Button

log = logging.getLogger("iopbot.checkins")

VIEW_PREFIX = "iop:checkin:view:"
TALK_CUSTOM_ID = "iop:checkin:talk"
STREAK_LOOKBACK_DAYS = 400

NOT_A_CLIENT = (
    "Check-ins are for enrolled clients of the program. If you think you should be "
    "enrolled, please ask a facilitator."
)


def view_custom_id(checkin_id: int) -> str:
    return f"{VIEW_PREFIX}{checkin_id}"


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    checkin_id: int
    replaced: bool
    streak: int
    fired: tuple[str, ...]
    crisis: bool
    used: str


async def require_client(services: Services, user_id: int) -> Client:
    """The active client ``user_id``, or a clear refusal for anyone else."""
    client = await services.clients.get(user_id)
    if client is None or not client.is_active:
        raise UserError(NOT_A_CLIENT)
    return client


async def save_checkin(
    services: Services, client: Client, answers: CheckinAnswers
) -> SubmitOutcome:
    """Store today's check-in (replacing an earlier one today) and raise what it fires."""
    repo = CheckinRepository(services.db)
    settings = services.settings.checkins
    now = services.clock.now()
    today = local_date(now, client.timezone)
    thresholds = RiskThresholds(
        craving_at=settings.craving_alert_at, mood_at=settings.mood_alert_at
    )
    window = timedelta(hours=settings.alert_window_hours)
    async with services.db.transaction() as tx:
        saved = await repo.save(
            tx, user_id=client.user_id, local_date=today, answers=answers, now=now
        )
        crisis = False
        if answers.note:
            crisis = await handle_crisis_text(
                services,
                tx,
                user_id=client.user_id,
                display_name=client.display_name,
                source="checkin_note",
                text=answers.note,
                source_ref=saved.checkin_id,
            )
        fired: list[str] = []
        for rule in answer_risks(answers, thresholds, crisis_in_note=False):
            alert_id = await raise_checkin_alert(
                services, tx, client, rule, window, checkin_id=saved.checkin_id
            )
            if alert_id is not None:
                fired.append(rule.rule)
        checked = await repo.checked_dates_in(
            tx, client.user_id, today - timedelta(days=STREAK_LOOKBACK_DAYS), today
        )
    # Ids only: how many risk rules fired says something about the answers.
    log.info(
        "checkin.saved",
        extra={"person": services.key.pseudonym(client.user_id), "checkin_id": saved.checkin_id},
    )
    return SubmitOutcome(
        checkin_id=saved.checkin_id,
        replaced=saved.replaced,
        streak=checkin_streak(checked, today),
        fired=tuple(fired),
        crisis=crisis,
        used=answers.used,
    )


async def raise_checkin_alert(
    services: Services,
    tx: Transaction,
    client: Client,
    rule: RiskRule,
    window: timedelta,
    *,
    checkin_id: int | None,
) -> int | None:
    buttons = (
        (Button("View check-in", view_custom_id(checkin_id), "secondary"),)
        if checkin_id is not None
        else ()
    )
    return await services.alerts.raise_alert(
        tx,
        subject_user_id=client.user_id,
        subject_name=client.display_name,
        rule=rule.rule,
        label=rule.label,
        severity=rule.severity,
        source="check-in",
        window=window,
        extra_buttons=buttons,
    )


def confirmation_text(services: Services, outcome: SubmitOutcome) -> str:
    """The private reply after a check-in: streak, encouragement, and care when needed."""
    first = (
        "Your check-in for today is updated: this replaces the one you sent earlier today."
        if outcome.replaced
        else "Thank you, your check-in for today is saved."
    )
    days = "day" if outcome.streak == 1 else "days"
    lines = [
        first,
        f"Check-in streak: **{outcome.streak} {days}** in a row.",
        encouragement(outcome.streak, used="yes" if outcome.used == "yes" else "no"),
    ]
    if outcome.used == "yes":
        lines += [
            "",
            "A return to use doesn't erase the work you've done. You are still in this "
            "program and your team is here for you, without judgment.",
        ]
        info = services.settings.checkins.harm_reduction_info.strip()
        if info:
            lines += ["", info]
        lines += [
            "",
            "If you'd like to talk with a facilitator, press the button below and I'll let "
            "them know privately.",
        ]
    if outcome.crisis:
        lines += ["", crisis_resources_text(services)]
    lines += ["", "Only you and your care team can see your answers."]
    return "\n".join(lines)


async def ask_to_talk(services: Services, client: Client) -> bool:
    """Raise the normal-severity "asked to talk" alert; False if one is already open."""
    window = timedelta(hours=services.settings.checkins.alert_window_hours)
    async with services.db.transaction() as tx:
        alert_id = await raise_checkin_alert(
            services, tx, client, ASKED_TO_TALK, window, checkin_id=None
        )
    log.info(
        "checkin.asked_to_talk",
        extra={"person": services.key.pseudonym(client.user_id), "alert_id": alert_id},
    )
    return alert_id is not None
