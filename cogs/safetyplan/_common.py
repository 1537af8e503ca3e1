"""What the safety-plan modules share: custom ids, the parts as configured, who may edit."""

from __future__ import annotations

from bot.cogbase import require_active_client
from bot.db.repositories.clients import Client
from bot.db.repositories.safetyplan import SafetyPlanRepository
from bot.domain.safetyplan import PlanPart, plan_parts
from bot.services.container import Services
from cogs.safetyplan._spec import SPEC

# The persistent "My safety plan" button; other features put it on their replies (e.g.
# the crisis reply), so this id is a contract: it must keep working after a restart.
SHOW_CUSTOM_ID = "iop:safetyplan:show"
EDIT_CUSTOM_ID = "iop:safetyplan:edit"
CONTINUE_CUSTOM_ID = "iop:safetyplan:continue"
MODAL_PREFIX = "iop:safetyplan:modal:"

NOT_A_CLIENT = (
    "Safety plans are for clients enrolled in the program. If you think you should be "
    "enrolled, please ask a facilitator."
)


def parts(services: Services) -> tuple[PlanPart, ...]:
    return plan_parts(SPEC.section_of(services.settings).overrides())


def repo(services: Services) -> SafetyPlanRepository:
    return SafetyPlanRepository(services.db)


async def require_client(services: Services, user_id: int) -> Client:
    """The active client ``user_id``, or a kind refusal for anyone else."""
    return await require_active_client(services, user_id, NOT_A_CLIENT)
