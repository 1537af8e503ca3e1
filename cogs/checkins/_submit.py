"""Saving a check-in: one per local day, the risk rules, the safety item, the reply.

Everything happens in one transaction: the answers, the alerts (which carry no answers,
only a "View check-in" button for facilitators) and the crisis path. The reply to the
client is ephemeral; nothing here posts anywhere public, and logs carry ids only.

Nothing here talks to Discord: reading the submitted form and answering it is
``_interactions.py``; this module takes parsed answers and returns what happened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.cogbase import require_active_client
from bot.db.database import Transaction
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.clients import Client
from bot.domain.alert_rules import AlertRule
from bot.domain.checkins import (
    ASKED_TO_TALK,
    CheckinAnswers,
    RiskThresholds,
    answer_risks,
    checkin_streak,
    late_form_day,
    needs_coping,
)
from bot.domain.localtime import local_date, local_day_bounds
from bot.services.container import Services
from bot.services.crisis import handle_crisis_text
from bot.services.notices import Button

log = logging.getLogger("iopbot.checkins")

VIEW_PREFIX = "iop:checkin:view:"
STREAK_LOOKBACK_DAYS = 400
SAFETY_SOURCE = "checkin_safety_item"

NOT_A_CLIENT = (
    "Check-ins are for enrolled clients of the program. If you think you should be "
    "enrolled, please ask a facilitator."
)


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    checkin_id: int
    replaced: bool
    streak: int
    fired: tuple[str, ...]
    crisis: bool  # crisis language in the note
    used: str
    local_date: date
    today: date  # the submitter's local date when it was saved
    safety_yes: bool = False
    coping: bool = False  # high craving or low mood


def view_custom_id(checkin_id: int) -> str:
    return f"{VIEW_PREFIX}{checkin_id}"


async def require_client(services: Services, user_id: int) -> Client:
    """The active client ``user_id``, or a clear refusal for anyone else."""
    return await require_active_client(services, user_id, NOT_A_CLIENT)


def _day_for(
    services: Services, client: Client, form_day: date | None, now: datetime
) -> tuple[date, date]:
    """``(day the check-in counts for, today)`` in the client's zone (see late_form_day)."""
    today = local_date(now, client.timezone)
    since_midnight = now - local_day_bounds(today, client.timezone)[0]
    grace = timedelta(minutes=services.settings.checkins.late_submit_grace_minutes)
    return late_form_day(form_day, today, since_midnight, grace), today


async def save_checkin(
    services: Services,
    client: Client,
    answers: CheckinAnswers,
    *,
    form_day: date | None = None,
) -> SubmitOutcome:
    """Store the check-in for its local day (replacing an earlier one) and raise what it fires.

    ``form_day`` is the local day the form was opened for: a form opened before local
    midnight and sent within ``[checkins] late_submit_grace_minutes`` counts for that day.
    """
    repo = CheckinRepository(services.db)
    settings = services.settings.checkins
    thresholds = RiskThresholds(
        craving_at=settings.craving_alert_at, mood_at=settings.mood_alert_at
    )
    window = timedelta(hours=settings.alert_window_hours)
    async with services.db.transaction() as tx:
        client = await services.clients.get_in(tx, client.user_id) or client
        now = services.clock.now()
        day, today = _day_for(services, client, form_day, now)
        saved = await repo.save(
            tx, user_id=client.user_id, local_date=day, answers=answers, now=now
        )
        crisis = await _crisis_paths(services, tx, client, answers, saved.checkin_id)
        fired: list[str] = []
        for rule in answer_risks(answers, thresholds, crisis_in_note=False):
            alert_id = await raise_checkin_alert(
                services, tx, client, rule, window, checkin_id=saved.checkin_id
            )
            if alert_id is not None:
                fired.append(rule.rule)
        checked = await repo.checked_dates_in(
            tx, client.user_id, day - timedelta(days=STREAK_LOOKBACK_DAYS), day
        )
    # Ids only: how many risk rules fired says something about the answers.
    log.info(
        "checkin.saved",
        extra={"person": services.key.pseudonym(client.user_id), "checkin_id": saved.checkin_id},
    )
    return SubmitOutcome(
        checkin_id=saved.checkin_id,
        replaced=saved.replaced,
        streak=checkin_streak(checked, day),
        fired=tuple(fired),
        crisis=crisis,
        used=answers.used,
        local_date=day,
        today=today,
        safety_yes=answers.safety == "yes",
        coping=needs_coping(answers, thresholds),
    )


async def _crisis_paths(
    services: Services, tx: Transaction, client: Client, answers: CheckinAnswers, checkin_id: int
) -> bool:
    """The safety item's "yes" (unconditionally) and the note (if it is crisis language)
    run the crisis path: an urgent alert, resources by DM, a crisis event. True when the
    note was crisis language."""
    if answers.safety == "yes":
        await handle_crisis_text(
            services,
            tx,
            user_id=client.user_id,
            display_name=client.display_name,
            source=SAFETY_SOURCE,
            text=None,
            source_ref=checkin_id,
        )
    if not answers.note:
        return False
    return await handle_crisis_text(
        services,
        tx,
        user_id=client.user_id,
        display_name=client.display_name,
        source="checkin_note",
        text=answers.note,
        source_ref=checkin_id,
    )


async def raise_checkin_alert(
    services: Services,
    tx: Transaction,
    client: Client,
    rule: AlertRule,
    window: timedelta,
    *,
    checkin_id: int | None,
) -> int | None:
    buttons = (
        (Button("View check-in", view_custom_id(checkin_id), "secondary"),)
        if checkin_id is not None
        else ()
    )
    return await services.alerts.raise_rule(
        tx, rule, client, source="check-in", window=window, extra_buttons=buttons
    )


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
