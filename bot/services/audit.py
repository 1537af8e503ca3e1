"""Record facilitator actions that read or change a client's data."""

from __future__ import annotations

from typing import Any

from bot.db.database import Transaction
from bot.db.repositories.audit import AuditRepository
from bot.services.clock import Clock

_ALLOWED_DETAIL = (int, float, bool, str, type(None))


class Audit:
    def __init__(self, repo: AuditRepository, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    async def record(
        self,
        tx: Transaction,
        *,
        actor_id: int,
        action: str,
        subject_user_id: int | None = None,
        **detail: Any,
    ) -> int:
        """``detail`` holds ids, counts and field names only; never message content."""
        for key, value in detail.items():
            if not isinstance(value, _ALLOWED_DETAIL) or (
                isinstance(value, str) and len(value) > 64
            ):
                raise ValueError(f"audit detail {key!r} must be a short scalar (ids, names)")
        return await self.repo.add(
            tx,
            at=self.clock.now(),
            actor_id=actor_id,
            action=action,
            subject_user_id=subject_user_id,
            detail=detail,
        )
