"""What a feature's alert rule is: a stable id, the label staff read, a severity.

An alert names its rule only, never what the person wrote or answered; the facilitator
opens that privately. Check-ins (:mod:`bot.domain.checkins`) and the recovery check
(:mod:`bot.domain.survey_alerts`) declare their rules with this one type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["normal", "high", "urgent"]


@dataclass(frozen=True, slots=True)
class AlertRule:
    rule: str  # stable id, stored with the alert and used to de-duplicate
    label: str  # what the staff channel shows
    severity: Severity
