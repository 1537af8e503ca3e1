"""What the safety-plan cog declares: its [safetyplan] section, the retention of plans, who may
run its commands, and its test inputs (bot/cogspec.py)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from bot.cogspec import (
    CLIENT,
    CLIENTS,
    FACILITATOR,
    FAMILY,
    FORM_PREFIX,
    HUGE,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
    Section,
)


class PlanPartSettings(Section):
    """A program's own wording for one part of the safety plan (empty keeps iopbot's)."""

    title: str | None = Field(default=None, min_length=1, max_length=45)
    prompt: str | None = Field(default=None, min_length=1, max_length=100)


class SafetyPlanSettings(Section):
    # One optional table per part; bot/domain/safetyplan.py holds the default wording.
    warning_signs: PlanPartSettings = Field(default_factory=PlanPartSettings)
    coping: PlanPartSettings = Field(default_factory=PlanPartSettings)
    distraction: PlanPartSettings = Field(default_factory=PlanPartSettings)
    support: PlanPartSettings = Field(default_factory=PlanPartSettings)
    professionals: PlanPartSettings = Field(default_factory=PlanPartSettings)
    environment: PlanPartSettings = Field(default_factory=PlanPartSettings)

    def overrides(self) -> dict[str, tuple[str | None, str | None]]:
        return {
            key: (part.title, part.prompt)
            for key, part in (
                ("warning_signs", self.warning_signs),
                ("coping", self.coping),
                ("distraction", self.distraction),
                ("support", self.support),
                ("professionals", self.professionals),
                ("environment", self.environment),
            )
        }


# Safety plans are clinical data like check-in answers: kept this long after their last
# change, then removed by the daily purge.
PLAN_DAYS = RetentionClass(
    setting="safety_plan_days",
    default_days=365 * 2,
    tables=("safety_plans",),
    doc="a safety plan nobody has changed for this long",
)


# The plan's first step in the bad-input catalogue (args: the parts' text).
SAFETYPLAN_FORM = FORM_PREFIX + "safetyplan"


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f, s = CLIENT, FAMILY, FACILITATOR, STRANGER
    return [
        # the safety plan: over-long parts (the bot's own limit, not only Discord's)
        BadInput(c, SAFETYPLAN_FORM, {"coping": "y" * 801}),
        BadInput(c, SAFETYPLAN_FORM, {"warning_signs": HUGE, "distraction": HUGE}),
        BadInput(fa, SAFETYPLAN_FORM, {}),
        BadInput(s, SAFETYPLAN_FORM, {"coping": "a walk"}),
        BadInput(f, "safetyplan view", {"member": w.stranger}),
        BadInput(c, "safetyplan view", {"member": w.sam}),
        BadInput(s, "safetyplan show", {}),
        BadInput(fa, "safetyplan edit", {}),
    ]


SPEC = CogSpec(
    name="safetyplan",
    settings=SafetyPlanSettings,
    retention=(PLAN_DAYS,),
    access={
        "safetyplan edit": Access(CLIENTS),
        "safetyplan show": Access(CLIENTS),
        "safetyplan view": Access(STAFF),
    },
    bad_inputs=_bad_inputs,
)
