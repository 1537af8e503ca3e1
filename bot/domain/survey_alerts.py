"""The survey's alert rules, pure (docs/SURVEY.md). An alert names the rule only, never
an answer or a score; the facilitator opens the response privately."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.alert_rules import AlertRule
from bot.domain.survey import Scores

USE_REPORTED = AlertRule("survey_use", "Use reported in the weekly recovery check", "high")
RISK_HIGH = AlertRule("survey_risk_high", "High risk score in the weekly recovery check", "normal")
RISK_RISE = AlertRule("survey_risk_rise", "Risk score rose since the last recovery check", "normal")
PROTECTIVE_DROP = AlertRule(
    "survey_protective_drop", "Protective score fell since the last recovery check", "normal"
)
MISSED = AlertRule("survey_missed", "Recovery checks missed in a row", "normal")
DM_CLOSED = AlertRule(
    "survey_dm_closed", "Recovery check prompt cannot be delivered (DMs closed)", "normal"
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    risk_at: int  # risk score at or above this alerts
    rise_points: int  # risk up by at least this since the previous response
    drop_points: int  # protective down by at least this since the previous response


def response_rules(
    scores: Scores, previous: Scores | None, thresholds: Thresholds
) -> list[AlertRule]:
    """The rules a complete response fires (``previous``: the client's last complete one)."""
    fired: list[AlertRule] = []
    if scores.use_reported:
        fired.append(USE_REPORTED)
    if scores.risk >= thresholds.risk_at:
        fired.append(RISK_HIGH)
    if previous is not None:
        if scores.risk - previous.risk >= thresholds.rise_points:
            fired.append(RISK_RISE)
        if previous.protective - scores.protective >= thresholds.drop_points:
            fired.append(PROTECTIVE_DROP)
    return fired
