"""The rule type the lexicon is written in, the categories and their severities.

Categories follow the Columbia Suicide Severity Rating Scale screener (wish to be dead,
active thoughts, method, intent, plan and preparation) plus what a substance-use program
adds (self-harm, overdose intent, return to use combined with ideation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.domain.crisis.prefilter import required_literals

Severity = Literal["urgent", "concern"]

# category id -> severity. Urgent: active thoughts, intent, plan, method, preparatory acts,
# overdose intent, self-harm, return to use with a wish to die. Concern: passive ideation
# (wish to be dead, hopelessness, feeling a burden).
CATEGORIES: dict[str, Severity] = {
    "passive_ideation": "concern",
    "active_ideation": "urgent",
    "method": "urgent",
    "intent": "urgent",
    "plan_preparation": "urgent",
    "self_harm": "urgent",
    "overdose_intent": "urgent",
    "relapse_ideation": "urgent",
}

# When several rules fire, the message's category is the first of these that fired.
PRIORITY = (
    "overdose_intent",
    "plan_preparation",
    "intent",
    "method",
    "self_harm",
    "relapse_ideation",
    "active_ideation",
    "passive_ideation",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern over normalized text.

    ``flags``: ``S`` the subject may be someone else ("she is suicidal"), so check it;
    ``H`` hyperbole-prone ("this exam makes me want to die lol"); ``C`` weak on its own
    (a means, a goodbye): fires only with another crisis word elsewhere in the message;
    ``P`` an explicit answer ("SI: yes" in a check-in note) the learned part may not
    overrule.
    """

    id: str
    category: str
    pattern: re.Pattern[str]
    flags: str = ""
    # Strings one of which every match contains (prefilter.py); None: always tried.
    literals: frozenset[str] | None = None

    def may_match(self, text: str) -> bool:
        literals = self.literals
        return literals is None or any(s in text for s in literals)


def rule(rule_id: str, category: str, pattern: str, flags: str = "") -> Rule:
    if category not in CATEGORIES:
        raise ValueError(f"unknown crisis category {category!r}")
    compiled = re.compile(pattern)
    return Rule(rule_id, category, compiled, flags, required_literals(compiled))
