"""The append-only audit trail of facilitator actions on client data (ids, never content).

Rows are hash-chained and removed only by the recorded purge (``ledger.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction
from bot.db.repositories.ledger import AUDIT_LOG, LedgerRepository


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int
    action: str
    subject_user_id: int | None
    detail: dict[str, Any]


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        tx: Transaction,
        *,
        at: datetime,
        actor_id: int,
        action: str,
        subject_user_id: int | None,
        detail: dict[str, Any],
    ) -> int:
        return await LedgerRepository(self.db).append(
            tx,
            AUDIT_LOG,
            {
                "at": ts(at),
                "actor_id": actor_id,
                "action": action,
                "subject_user_id": subject_user_id,
                "detail": json.dumps(detail, sort_keys=True),
            },
        )

    async def for_subject(self, subject_user_id: int, limit: int = 200) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM audit_log WHERE subject_user_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (subject_user_id, limit),
        )
        return [
            AuditEntry(
                id=r["id"],
                at=parse_ts(r["at"]),
                actor_id=r["actor_id"],
                action=r["action"],
                subject_user_id=r["subject_user_id"],
                detail=json.loads(r["detail"]),
            )
            for r in rows
        ]

    async def purge_before(self, tx: Transaction, cutoff: datetime, now: datetime) -> int:
        """Remove the oldest rows before ``cutoff`` through the recorded purge path."""
        return await LedgerRepository(self.db).purge_before(tx, AUDIT_LOG, cutoff, now)
