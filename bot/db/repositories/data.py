"""Data-rights requests: exports, deletions and discharges (ids, table names, counts)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction

KINDS = ("export", "delete", "discharge")


@dataclass(frozen=True, slots=True)
class DataRequest:
    id: int
    user_id: int
    kind: str
    requested_by: int
    requested_at: datetime
    completed_at: datetime | None
    removed: dict[str, int]
    kept: list[str]


def _request(row: sqlite3.Row) -> DataRequest:
    return DataRequest(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        requested_by=row["requested_by"],
        requested_at=parse_ts(row["requested_at"]),
        completed_at=parse_ts_or_none(row["completed_at"]),
        removed={str(k): int(v) for k, v in json.loads(row["removed"]).items()},
        kept=[str(t) for t in json.loads(row["kept"])],
    )


class DataRequestRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        tx: Transaction,
        *,
        user_id: int,
        kind: str,
        requested_by: int,
        now: datetime,
        completed: bool = False,
    ) -> int:
        if kind not in KINDS:
            raise ValueError(f"unknown data request kind: {kind}")
        return await tx.execute(
            "INSERT INTO data_requests (user_id, kind, requested_by, requested_at, completed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (user_id, kind, requested_by, ts(now), ts(now) if completed else None),
        )

    async def complete(
        self,
        tx: Transaction,
        request_id: int,
        *,
        removed: dict[str, int],
        kept: list[str],
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE data_requests SET completed_at = ?, removed = ?, kept = ? WHERE id = ?",
            (
                ts(now),
                json.dumps(removed, sort_keys=True),
                json.dumps(sorted(kept)),
                request_id,
            ),
        )

    async def get(self, request_id: int) -> DataRequest | None:
        row = await self.db.fetchone("SELECT * FROM data_requests WHERE id = ?", (request_id,))
        return None if row is None else _request(row)

    async def for_user(self, user_id: int) -> list[DataRequest]:
        rows = await self.db.fetchall(
            "SELECT * FROM data_requests WHERE user_id = ? ORDER BY requested_at, id", (user_id,)
        )
        return [_request(r) for r in rows]

    async def last_own_export_at(self, user_id: int) -> datetime | None:
        """When ``user_id`` last made an export of their own data (``/mydata export``)."""
        row = await self.db.fetchone(
            "SELECT MAX(requested_at) AS at FROM data_requests "
            "WHERE user_id = ? AND requested_by = ? AND kind = 'export'",
            (user_id, user_id),
        )
        return None if row is None or row["at"] is None else parse_ts(row["at"])

    async def unfinished_deletions(self) -> list[DataRequest]:
        rows = await self.db.fetchall(
            "SELECT * FROM data_requests WHERE kind = 'delete' AND completed_at IS NULL "
            "ORDER BY requested_at, id"
        )
        return [_request(r) for r in rows]

    async def discharges_before(self, cutoff: datetime) -> list[DataRequest]:
        """Discharges older than ``cutoff`` whose records have not been removed yet."""
        rows = await self.db.fetchall(
            "SELECT d.* FROM data_requests d WHERE d.kind = 'discharge' "
            "AND d.requested_at < ? AND d.id = (SELECT MAX(x.id) FROM data_requests x "
            "WHERE x.user_id = d.user_id AND x.kind = 'discharge') "
            "AND NOT EXISTS (SELECT 1 FROM data_requests y WHERE y.user_id = d.user_id "
            "AND y.kind = 'delete' AND y.requested_at >= d.requested_at) "
            "ORDER BY d.requested_at, d.id",
            (ts(cutoff),),
        )
        return [_request(r) for r in rows]

    async def purge_before(self, tx: Transaction, cutoff: datetime) -> int:
        """Finished requests older than ``cutoff`` (the audit retention)."""
        return await tx.rowcount(
            "DELETE FROM data_requests WHERE completed_at IS NOT NULL AND requested_at < ?",
            (ts(cutoff),),
        )


class UserRecordQueries:
    """Reads of the core tables (outbox, audit trail) about one person, for exports."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def notices(self, user_id: int) -> list[dict[str, object]]:
        """Notices that concern ``user_id`` or were sent to them by DM (no other content)."""
        rows = await self.db.fetchall(
            "SELECT id, kind, target_type, target_id, payload, status, due_at, sent_at "
            "FROM outbox WHERE subject_user_id = ? OR (target_type = 'dm' AND target_id = ?) "
            "ORDER BY due_at, id",
            (user_id, user_id),
        )
        found: list[dict[str, object]] = []
        for r in rows:
            to_them = r["target_type"] == "dm" and r["target_id"] == user_id
            content: object = None
            if to_them:
                try:
                    content = json.loads(r["payload"]).get("content")
                except (ValueError, AttributeError):
                    content = None
            found.append(
                {
                    "id": r["id"],
                    "kind": r["kind"],
                    "sent_to": "you (DM)" if to_them else r["target_type"],
                    "status": r["status"],
                    "due_at": r["due_at"],
                    "sent_at": r["sent_at"],
                    "content": content,
                }
            )
        return found

    async def audit_trail(self, user_id: int) -> list[dict[str, object]]:
        rows = await self.db.fetchall(
            "SELECT id, at, actor_id, action, detail FROM audit_log "
            "WHERE subject_user_id = ? ORDER BY at, id",
            (user_id,),
        )
        return [
            {
                "id": r["id"],
                "at": r["at"],
                "actor_id": r["actor_id"],
                "action": r["action"],
                "detail": json.loads(r["detail"]),
            }
            for r in rows
        ]

    async def audit_count(self, user_id: int) -> int:
        value = await self.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE subject_user_id = ?", (user_id,)
        )
        return int(value or 0)
