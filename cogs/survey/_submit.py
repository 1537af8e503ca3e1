"""Opening the form at the right step and saving each step; scores and alerts at the end.

One response per client and period. Steps are saved as they are submitted, so a client
can stop and resume any time in the period: opening the form again shows the first step
with an unanswered question. Once every question has an answer the response is complete
and scored, and the alert rules run. A client who opens it again after that answers the
same period again, starting from their earlier choices: each step replaces those answers
and the scores and alerts are worked out again when the last step is submitted (the
response keeps its id, so a "View" button in an earlier alert shows the newest answers).

Everything for one step happens in one transaction; alerts carry no answers, only a
"View recovery check" button for facilitators. Logs carry ids. The Discord side (the
form, the replies) is in ``_interactions``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.cogbase import require_active_client
from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.survey import SurveyRepository
from bot.domain.localtime import local_date
from bot.domain.survey import Scores, score, steps
from bot.domain.survey_alerts import response_rules
from bot.domain.survey_periods import Period, period_of
from bot.services.container import Services
from bot.services.notices import Button
from cogs.survey._spec import SurveySettings

log = logging.getLogger("iopbot.survey")

VIEW_PREFIX = "iop:survey:view:"
FORM_TITLE = "Recovery check"
NOT_A_CLIENT = (
    "The recovery check is for enrolled clients of the program. If you think you should "
    "be enrolled, please ask a facilitator."
)
NOT_YOUR_FORM = "This form was opened by someone else. Please open your own with /survey open."
PERIOD_OVER = (
    "This form belongs to a period that has ended, so these answers were not saved. "
    "The current one is open: use /survey open."
)
FORM_CHANGED = "The questions changed since this form was opened. Please open it again."


def view_custom_id(response_id: int) -> str:
    return f"{VIEW_PREFIX}{response_id}"


async def require_client(services: Services, user_id: int) -> Client:
    return await require_active_client(services, user_id, NOT_A_CLIENT)


def period_now(services: Services, settings: SurveySettings, client: Client) -> Period:
    today = local_date(services.clock.now(), client.timezone)
    return period_of(settings.cadence(), today, client.timezone)


@dataclass(frozen=True, slots=True)
class StepOutcome:
    step: int  # 0-based
    step_count: int
    response_id: int
    scores: Scores | None  # set when this submission completed (or re-completed) it
    replaced: bool
    fired: tuple[str, ...]


async def save_step(
    services: Services,
    settings: SurveySettings,
    client: Client,
    period: Period,
    step: int,
    chosen: dict[str, int],
) -> StepOutcome:
    """Store one step's answers; score the response and run the alert rules when it is
    complete (see the module docstring for a response answered again)."""
    repo = SurveyRepository(services.db)
    items = settings.domain_items()
    by_key = {i.key: i for i in items}
    parts = steps(items, settings.items_per_step)
    now = services.clock.now()
    async with services.db.transaction() as tx:
        response_id = await repo.start(
            tx, user_id=client.user_id, period=period.label, first_day=period.first_day, now=now
        )
        before = await repo.response_in(tx, client.user_id, period.label)
        was_complete = before is not None and before.complete
        answers = {
            key: (choice, by_key[key].options[choice].label, by_key[key].points_for(choice))
            for key, choice in chosen.items()
        }
        await repo.save_answers(tx, response_id, answers, now)
        stored = {a.item_key: a.choice for a in await repo.answers_in(tx, response_id)}
        complete = all(i.key in stored for i in items)
        finishing = complete and (step == len(parts) - 1 or not was_complete)
        scores: Scores | None = None
        fired: tuple[str, ...] = ()
        replaced = False
        if finishing:
            scores = score(items, {i.key: stored[i.key] for i in items})
            replaced = await repo.set_scores(tx, response_id, scores, now)
            fired = await _raise_alerts(services, settings, tx, client, period, scores, response_id)
    log.info(
        "survey.step_saved",
        extra={
            "person": services.key.pseudonym(client.user_id),
            "response_id": response_id,
            "step": step + 1,
        },
    )
    return StepOutcome(step, len(parts), response_id, scores, replaced, fired)


async def _raise_alerts(
    services: Services,
    settings: SurveySettings,
    tx: Transaction,
    client: Client,
    period: Period,
    scores: Scores,
    response_id: int,
) -> tuple[str, ...]:
    previous = await SurveyRepository(services.db).previous_complete_in(
        tx, client.user_id, period.first_day
    )
    rules = response_rules(scores, previous.scores if previous else None, settings.thresholds())
    fired: list[str] = []
    for rule in rules:
        alert_id = await services.alerts.raise_rule(
            tx,
            rule,
            client,
            source="recovery check",
            window=timedelta(hours=settings.alert_window_hours),
            extra_buttons=(
                Button("View recovery check", view_custom_id(response_id), "secondary"),
            ),
        )
        if alert_id is not None:
            fired.append(rule.rule)
    return tuple(fired)
