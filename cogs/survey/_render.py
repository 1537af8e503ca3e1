"""Text for the private views of the recovery check: the replies, a trend table, one
response's answers, the cohort report and the CSV export.

Everything here is shown only ephemerally (to the client themself or to a facilitator)
or sent as an ephemeral file. Pure functions; no I/O.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.db.repositories.survey import Answer, Response
from bot.domain.survey import Item, Scores, max_scores
from bot.domain.text import shown_name
from cogs.survey._spec import SurveySettings

CSV_COLUMNS = (
    "period",
    "first_day",
    "complete",
    "use_score",
    "risk_score",
    "protective_score",
    "satisfaction",
    "completed_at",
    "updated_at",
    "replaced",
)


def _when(frequency: str) -> str:
    return "week" if frequency == "weekly" else "month"


def step_saved_text(step: int, step_count: int, frequency: str) -> str:
    return (
        f"Step {step + 1} of {step_count} saved. Press Continue for the next questions, now "
        f"or any time this {_when(frequency)}: what you answered is kept."
    )


def scores_line(scores: Scores, top: Mapping[str, int]) -> str:
    parts = [
        f"use {scores.use}/{top.get('use', 0)}",
        f"risk {scores.risk}/{top.get('risk', 0)}",
        f"protective {scores.protective}/{top.get('protective', 0)}",
    ]
    if scores.satisfaction is not None:
        parts.append(f"progress {scores.satisfaction}/{top.get('satisfaction', 0)}")
    return ", ".join(parts)


def confirmation_text(scores: Scores, settings: SurveySettings, items: Sequence[Item]) -> str:
    when = _when(settings.frequency)
    lines = [
        f"Thank you: your recovery check for this {when} is saved.",
        f"Your scores: {scores_line(scores, max_scores(items))}.",
    ]
    if scores.use_reported:
        lines.append(
            "Thank you for being open about use. It takes courage, and it helps your care "
            "team support you: they will see this check and may reach out."
        )
    lines.append(
        f"You can change your answers any time this {when} with /survey open, and "
        "/survey history shows how things are going over time (only you see it)."
    )
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Trend:
    name: str
    responses: list[Response]  # complete ones, oldest first
    top: Mapping[str, int]
    frequency: str


def trend_text(trend: Trend, *, own: bool) -> str:
    who = "Your" if own else f"{shown_name(trend.name)}'s"
    if not trend.responses:
        return f"{who} recovery checks: none completed yet."
    rows = ["period     use  risk  prot  prog"]
    for r in trend.responses[-8:]:
        s = r.scores
        if s is None:
            continue
        prog = "-" if s.satisfaction is None else str(s.satisfaction)
        rows.append(f"{r.period:<10} {s.use:>3}  {s.risk:>4}  {s.protective:>4}  {prog:>4}")
    top = trend.top
    return (
        f"{who} recovery checks ({len(trend.responses)} completed). Highest possible: use "
        f"{top.get('use', 0)}, risk {top.get('risk', 0)}, protective "
        f"{top.get('protective', 0)}; higher protective is better.\n```\n"
        + "\n".join(rows)
        + "\n```"
    )


def answers_text(
    name: str, response: Response, answers: Sequence[Answer], items: Sequence[Item]
) -> str:
    """One response's answers (for a facilitator), in the program's question order."""
    texts = {i.key: i.text for i in items}
    order = {i.key: n for n, i in enumerate(items)}
    lines = [f"Recovery check for {shown_name(name)}, {response.period}"]
    if response.scores is not None:
        lines.append(f"Scores: {scores_line(response.scores, max_scores(items))}")
    else:
        lines.append("Not finished yet (some questions unanswered).")
    for answer in sorted(answers, key=lambda a: order.get(a.item_key, len(order))):
        question = texts.get(answer.item_key, answer.item_key)
        lines.append(f"- {question}: {answer.label} ({answer.points})")
    return "\n".join(lines)


def responses_csv(responses: Sequence[Response], answers: Mapping[int, Sequence[Answer]]) -> bytes:
    """One row per response: the scores, then each question's chosen option."""
    keys: list[str] = []
    for response in responses:
        for answer in answers.get(response.id, ()):
            if answer.item_key not in keys:
                keys.append(answer.item_key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *keys])
    for r in responses:
        s = r.scores
        chosen = {a.item_key: a.label for a in answers.get(r.id, ())}
        writer.writerow(
            [
                r.period,
                r.first_day.isoformat(),
                "yes" if r.complete else "no",
                "" if s is None else s.use,
                "" if s is None else s.risk,
                "" if s is None else s.protective,
                "" if s is None or s.satisfaction is None else s.satisfaction,
                r.completed_at.isoformat() if r.completed_at else "",
                r.updated_at.isoformat(),
                r.replaced,
                *(chosen.get(k, "") for k in keys),
            ]
        )
    return out.getvalue().encode("utf-8")


def report_text(
    title: str, clients: int, per_period: Mapping[str, tuple[int, float, float]]
) -> str:
    """The cohort's trend as a table: per period, responses and mean risk / protective."""
    if not per_period:
        return f"{title}: no completed recovery checks yet ({clients} clients)."
    rows = ["period     answered  risk  prot"]
    for label, (count, risk, protective) in per_period.items():
        rows.append(f"{label:<10} {count:>8}  {risk:>4.1f}  {protective:>4.1f}")
    return (
        f"{title}: recovery checks of {clients} clients (means per period; the chart shows "
        "the same).\n```\n" + "\n".join(rows) + "\n```"
    )
