"""What the care-line modules share: outbox kinds, the repository, small helpers."""

from __future__ import annotations

from bot.db.repositories.careline import CarelineRepository
from bot.services.container import Services
from cogs.careline._spec import SPEC

# Outbox kinds: everything the care line sends goes through the outbox.
TO_CLIENT = "careline_dm"  # a staff reply, the automatic reply, "closed", refusals
TO_STAFF = "careline_thread"  # relayed client messages and notices in the staff thread


class CarelineUnavailable(Exception):
    """The staff channel or the client's thread can't be used (logged with ids only)."""


def repo(services: Services) -> CarelineRepository:
    return CarelineRepository(services.db)


def max_bytes(services: Services) -> int:
    return int(SPEC.section_of(services.settings).attachment_max_mb * 1024 * 1024)
