"""The outbox table: every outbound notice, its status and its delivery history."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.db.codec import parse_ts, parse_ts_or_none, ts, ts_or_none
from bot.db.database import Database, Transaction

FINAL_STATUSES = ("sent", "failed", "undeliverable", "blocked_consent", "expired", "cancelled")


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    dedupe_key: str
    kind: str
    target_type: str
    target_id: int
    subject_user_id: int | None
    payload: str
    due_at: datetime
    expires_at: datetime | None
    status: str
    attempts: int
    error_code: int | None
    error: str | None
    message_id: int | None
    sent_at: datetime | None
    created_at: datetime
    claimed_at: datetime | None = None

    @property
    def nonce(self) -> str:
        return f"ob{self.id}"


def _row(row: sqlite3.Row) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        dedupe_key=row["dedupe_key"],
        kind=row["kind"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        subject_user_id=row["subject_user_id"],
        payload=row["payload"],
        due_at=parse_ts(row["due_at"]),
        expires_at=parse_ts_or_none(row["expires_at"]),
        status=row["status"],
        attempts=row["attempts"],
        error_code=row["error_code"],
        error=row["error"],
        message_id=row["message_id"],
        sent_at=parse_ts_or_none(row["sent_at"]),
        created_at=parse_ts(row["created_at"]),
        claimed_at=parse_ts_or_none(row["claimed_at"]),
    )


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(
        self,
        tx: Transaction,
        *,
        dedupe_key: str,
        kind: str,
        target_type: str,
        target_id: int,
        subject_user_id: int | None,
        payload: str,
        due_at: datetime,
        expires_at: datetime | None,
        now: datetime,
    ) -> int | None:
        """Insert a row; return its id, or None if the dedupe key already exists."""
        row = await tx.fetchone(
            "INSERT INTO outbox (dedupe_key, kind, target_type, target_id, subject_user_id, "
            "payload, due_at, expires_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING "
            "RETURNING id",
            (
                dedupe_key,
                kind,
                target_type,
                target_id,
                subject_user_id,
                payload,
                ts(due_at),
                ts_or_none(expires_at),
                ts(now),
                ts(now),
            ),
        )
        return None if row is None else int(row["id"])

    async def get(self, row_id: int) -> OutboxRow | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE id = ?", (row_id,))
        return None if row is None else _row(row)

    async def sent_at_in(self, tx: Transaction, row_id: int) -> datetime | None:
        """When a row was delivered, as recorded (inside the recording transaction)."""
        found = await tx.fetchone("SELECT sent_at FROM outbox WHERE id = ?", (row_id,))
        return None if found is None or found["sent_at"] is None else parse_ts(found["sent_at"])

    async def error_code_in(self, tx: Transaction, row_id: int) -> int | None:
        """The Discord error code recorded for a row (inside the recording transaction)."""
        found = await tx.fetchone("SELECT error_code FROM outbox WHERE id = ?", (row_id,))
        return None if found is None or found["error_code"] is None else int(found["error_code"])

    async def get_by_key(self, dedupe_key: str) -> OutboxRow | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
        return None if row is None else _row(row)

    async def expire_due(self, tx: Transaction, now: datetime, *, grace: timedelta) -> int:
        """Expire queued rows past ``expires_at``, except a retry the dispatcher capped at
        ``expires_at`` itself: that last attempt is still made (within ``grace``)."""
        return await tx.rowcount(
            "UPDATE outbox SET status = 'expired', updated_at = ? "
            "WHERE status = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? "
            "AND NOT (next_attempt_at IS NOT NULL AND next_attempt_at >= expires_at "
            "AND expires_at > ?)",
            (ts(now), ts(now), ts(now - grace)),
        )

    async def claim_due(self, tx: Transaction, now: datetime, limit: int) -> list[OutboxRow]:
        rows = await tx.fetchall(
            "UPDATE outbox SET status = 'sending', claimed_at = ?, updated_at = ? "
            "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND due_at <= ? "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
            "ORDER BY due_at, id LIMIT ?) RETURNING *",
            (ts(now), ts(now), ts(now), ts(now), limit),
        )
        return sorted((_row(r) for r in rows), key=lambda r: (r.due_at, r.id))

    async def list_sending(self) -> list[OutboxRow]:
        """Rows a crashed run left in 'sending' (their outcome is unknown)."""
        rows = await self.db.fetchall("SELECT * FROM outbox WHERE status = 'sending' ORDER BY id")
        return [_row(r) for r in rows]

    async def release_claim(self, tx: Transaction, row_id: int, now: datetime) -> None:
        """A 'sending' row goes back to 'pending' (same id, same nonce)."""
        await tx.execute(
            "UPDATE outbox SET status = 'pending', updated_at = ? "
            "WHERE id = ? AND status = 'sending'",
            (ts(now), row_id),
        )

    async def attributed_message_ids(
        self, target_type: str, target_id: int, since: datetime
    ) -> set[int]:
        """Message ids already recorded for rows sent to this target since ``since``."""
        rows = await self.db.fetchall(
            "SELECT message_id FROM outbox WHERE target_type = ? AND target_id = ? "
            "AND message_id IS NOT NULL AND sent_at >= ?",
            (target_type, target_id, ts(since)),
        )
        return {int(r["message_id"]) for r in rows}

    async def mark_sent(
        self, tx: Transaction, row_id: int, message_id: int | None, sent_at: datetime
    ) -> None:
        await tx.execute(
            "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, "
            "attempts = attempts + 1, error_code = NULL, error = NULL, updated_at = ? "
            "WHERE id = ?",
            (message_id, ts(sent_at), ts(sent_at), row_id),
        )

    async def mark_failed_after_send(
        self,
        tx: Transaction,
        row_id: int,
        *,
        message_id: int | None,
        sent_at: datetime,
        error: str,
        now: datetime,
    ) -> None:
        """Discord made the message but its bookkeeping failed: 'failed', with the message."""
        await tx.execute(
            "UPDATE outbox SET status = 'failed', message_id = ?, sent_at = ?, "
            "attempts = attempts + 1, error_code = NULL, error = ?, updated_at = ? WHERE id = ?",
            (message_id, ts(sent_at), error, ts(now), row_id),
        )

    async def mark_retry(
        self,
        tx: Transaction,
        row_id: int,
        *,
        next_attempt_at: datetime,
        error_code: int | None,
        error: str,
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE outbox SET status = 'pending', attempts = attempts + 1, next_attempt_at = ?, "
            "error_code = ?, error = ?, updated_at = ? WHERE id = ?",
            (ts(next_attempt_at), error_code, error, ts(now), row_id),
        )

    async def mark_final(
        self,
        tx: Transaction,
        row_id: int,
        *,
        status: str,
        error_code: int | None,
        error: str | None,
        now: datetime,
        count_attempt: bool = True,
    ) -> None:
        if status not in FINAL_STATUSES:
            raise ValueError(f"not a final status: {status}")
        await tx.execute(
            "UPDATE outbox SET status = ?, error_code = ?, error = ?, updated_at = ?, "
            "attempts = attempts + ? WHERE id = ?",
            (status, error_code, error, ts(now), 1 if count_attempt else 0, row_id),
        )

    async def cancel_pending(
        self,
        tx: Transaction,
        *,
        now: datetime,
        kind: str | None = None,
        subject_user_id: int | None = None,
        target_id: int | None = None,
        key_prefix: str | None = None,
    ) -> int:
        """Cancel queued rows matching every given filter; return how many."""
        clauses = ["status = 'pending'"]
        params: list[object] = []
        for column, value in (
            ("kind", kind),
            ("subject_user_id", subject_user_id),
            ("target_id", target_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if key_prefix is not None:
            clauses.append("substr(dedupe_key, 1, ?) = ?")
            params.extend([len(key_prefix), key_prefix])
        if len(clauses) == 1:
            raise ValueError("cancel_pending needs at least one filter")
        # The clauses are fixed column names from the tuple above; values are parameters.
        where = " AND ".join(clauses)
        sql = f"UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE {where}"  # noqa: S608
        return await tx.rowcount(sql, (ts(now), *params))

    async def list_for_subject(self, subject_user_id: int, limit: int = 50) -> list[OutboxRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE subject_user_id = ? ORDER BY due_at DESC, id DESC LIMIT ?",
            (subject_user_id, limit),
        )
        return [_row(r) for r in rows]

    async def delete_for_subject(self, tx: Transaction, subject_user_id: int) -> int:
        return await tx.rowcount(
            "DELETE FROM outbox "
            "WHERE subject_user_id = ? OR (target_type = 'dm' AND target_id = ?)",
            (subject_user_id, subject_user_id),
        )

    async def purge_finished_before(self, tx: Transaction, cutoff: datetime) -> int:
        return await tx.rowcount(
            "DELETE FROM outbox WHERE status NOT IN ('pending', 'sending') AND updated_at < ?",
            (ts(cutoff),),
        )

    async def queued_count(self) -> int:
        """Notices waiting to be sent (or being sent right now)."""
        value = await self.db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"
        )
        return int(value or 0)

    async def failed_since(self, since: datetime) -> int:
        """Notices that ended failed or undeliverable at or after ``since``."""
        value = await self.db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('failed', 'undeliverable') "
            "AND updated_at >= ?",
            (ts(since),),
        )
        return int(value or 0)
