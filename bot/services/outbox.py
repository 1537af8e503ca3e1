"""Queue a notice in the caller's transaction. The dispatcher sends it later."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRepository
from bot.services.clock import Clock
from bot.services.notices import Notice


@dataclass(frozen=True, slots=True)
class DM:
    user_id: int


@dataclass(frozen=True, slots=True)
class ChannelTarget:
    channel_id: int


Target = DM | ChannelTarget


class Outbox:
    def __init__(self, repo: OutboxRepository, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock
        self._on_due_now: Callable[[], None] | None = None

    def on_due_now(self, callback: Callable[[], None] | None) -> None:
        """Called after a commit-bound enqueue of a notice due now (the dispatcher's kick)."""
        self._on_due_now = callback

    async def enqueue(
        self,
        tx: Transaction,
        *,
        dedupe_key: str,
        kind: str,
        target: Target,
        notice: Notice,
        due_at: datetime | None = None,
        expires_at: datetime | None = None,
        subject_user_id: int | None = None,
    ) -> int | None:
        """Queue ``notice``; return the row id, or None if ``dedupe_key`` was already queued."""
        now = self.clock.now()
        due = due_at or now
        if isinstance(target, DM):
            target_type, target_id = "dm", target.user_id
        else:
            target_type, target_id = "channel", target.channel_id
        row_id = await self.repo.insert(
            tx,
            dedupe_key=dedupe_key,
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            subject_user_id=subject_user_id,
            payload=notice.to_json(),
            due_at=due,
            expires_at=expires_at,
            now=now,
        )
        if row_id is not None and due <= now and self._on_due_now is not None:
            self._on_due_now()
        return row_id

    async def cancel(
        self,
        tx: Transaction,
        *,
        kind: str | None = None,
        subject_user_id: int | None = None,
        target_id: int | None = None,
        key_prefix: str | None = None,
    ) -> int:
        return await self.repo.cancel_pending(
            tx,
            now=self.clock.now(),
            kind=kind,
            subject_user_id=subject_user_id,
            target_id=target_id,
            key_prefix=key_prefix,
        )
