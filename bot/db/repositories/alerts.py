"""Facilitator alerts raised by risk rules and crisis safety."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    subject_user_id: int
    rule: str
    label: str
    severity: str
    source: str
    created_at: datetime
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    paged_at: datetime | None = None
    page_count: int = 0
    outcome: str | None = None
    outcome_by: int | None = None
    outcome_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=row["id"],
        subject_user_id=row["subject_user_id"],
        rule=row["rule"],
        label=row["label"],
        severity=row["severity"],
        source=row["source"],
        created_at=parse_ts(row["created_at"]),
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=parse_ts_or_none(row["acknowledged_at"]),
        escalated_at=parse_ts_or_none(row["escalated_at"]),
        paged_at=parse_ts_or_none(row["paged_at"]),
        page_count=row["page_count"],
        outcome=row["outcome"],
        outcome_by=row["outcome_by"],
        outcome_at=parse_ts_or_none(row["outcome_at"]),
    )


@dataclass(frozen=True, slots=True)
class AlertFailure:
    id: int
    alert_id: int | None
    subject_user_id: int | None
    outbox_id: int
    kind: str
    error_code: int | None
    fallback_dms: int
    created_at: datetime


def _failure(row: sqlite3.Row) -> AlertFailure:
    return AlertFailure(
        id=row["id"],
        alert_id=row["alert_id"],
        subject_user_id=row["subject_user_id"],
        outbox_id=row["outbox_id"],
        kind=row["kind"],
        error_code=row["error_code"],
        fallback_dms=row["fallback_dms"],
        created_at=parse_ts(row["created_at"]),
    )


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def recent_in(
        self, tx: Transaction, subject_user_id: int, rule: str, since: datetime
    ) -> Alert | None:
        row = await tx.fetchone(
            "SELECT * FROM alerts WHERE subject_user_id = ? AND rule = ? AND created_at > ? "
            "ORDER BY created_at DESC LIMIT 1",
            (subject_user_id, rule, ts(since)),
        )
        return None if row is None else _alert(row)

    async def add(
        self,
        tx: Transaction,
        *,
        subject_user_id: int,
        rule: str,
        label: str,
        severity: str,
        source: str,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO alerts (subject_user_id, rule, label, severity, source, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (subject_user_id, rule, label, severity, source, ts(now)),
        )

    async def get(self, alert_id: int) -> Alert | None:
        row = await self.db.fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return None if row is None else _alert(row)

    async def get_in(self, tx: Transaction, alert_id: int) -> Alert | None:
        row = await tx.fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        return None if row is None else _alert(row)

    async def acknowledge(
        self, tx: Transaction, alert_id: int, by_user_id: int, now: datetime
    ) -> bool:
        changed = await tx.rowcount(
            "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? "
            "WHERE id = ? AND acknowledged_at IS NULL",
            (by_user_id, ts(now), alert_id),
        )
        return changed == 1

    async def due_for_escalation(self, tx: Transaction, older_than: datetime) -> list[Alert]:
        """Open non-urgent alerts raised before ``older_than`` and never escalated."""
        rows = await tx.fetchall(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL "
            "AND severity != 'urgent' AND created_at <= ? ORDER BY created_at",
            (ts(older_than),),
        )
        return [_alert(r) for r in rows]

    async def due_for_repage(self, tx: Transaction, last_page_before: datetime) -> list[Alert]:
        """Open urgent alerts whose last page (or creation) is at or before the cutoff."""
        rows = await tx.fetchall(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL AND severity = 'urgent' "
            "AND COALESCE(paged_at, created_at) <= ? ORDER BY created_at",
            (ts(last_page_before),),
        )
        return [_alert(r) for r in rows]

    async def mark_paged(self, tx: Transaction, alert_id: int, now: datetime) -> int:
        """Record a page of the on-call role; return how many pages this alert has had."""
        await tx.execute(
            "UPDATE alerts SET paged_at = ?, page_count = page_count + 1 WHERE id = ?",
            (ts(now), alert_id),
        )
        row = await tx.fetchone("SELECT page_count FROM alerts WHERE id = ?", (alert_id,))
        return 0 if row is None else int(row["page_count"])

    async def set_outcome(
        self, tx: Transaction, alert_id: int, outcome: str, by_user_id: int, now: datetime
    ) -> bool:
        """Record what happened (once); acknowledges the alert too if nobody had."""
        changed = await tx.rowcount(
            "UPDATE alerts SET outcome = ?, outcome_by = ?, outcome_at = ?, "
            "acknowledged_by = COALESCE(acknowledged_by, ?), "
            "acknowledged_at = COALESCE(acknowledged_at, ?) "
            "WHERE id = ? AND outcome IS NULL",
            (outcome, by_user_id, ts(now), by_user_id, ts(now), alert_id),
        )
        return changed == 1

    # ----- posts Discord refused ----------------------------------------------------------

    async def add_failure(
        self,
        tx: Transaction,
        *,
        alert_id: int | None,
        subject_user_id: int | None,
        outbox_id: int,
        kind: str,
        error_code: int | None,
        fallback_dms: int,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO alert_failures (alert_id, subject_user_id, outbox_id, kind, error_code, "
            "fallback_dms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (alert_id, subject_user_id, outbox_id, kind, error_code, fallback_dms, ts(now)),
        )

    async def failures_since(self, since: datetime) -> list[AlertFailure]:
        """Alert posts that failed since ``since`` (for the status command), newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM alert_failures WHERE created_at >= ? ORDER BY created_at DESC, id DESC",
            (ts(since),),
        )
        return [_failure(r) for r in rows]

    async def failures_for_subject(self, subject_user_id: int) -> list[AlertFailure]:
        rows = await self.db.fetchall(
            "SELECT * FROM alert_failures WHERE subject_user_id = ? ORDER BY created_at",
            (subject_user_id,),
        )
        return [_failure(r) for r in rows]

    async def mark_escalated(self, tx: Transaction, alert_id: int, now: datetime) -> None:
        await tx.execute("UPDATE alerts SET escalated_at = ? WHERE id = ?", (ts(now), alert_id))

    async def open_for(self, subject_user_ids: list[int] | None = None) -> list[Alert]:
        rows = await self.db.fetchall(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL ORDER BY created_at"
        )
        alerts = [_alert(r) for r in rows]
        if subject_user_ids is None:
            return alerts
        wanted = set(subject_user_ids)
        return [a for a in alerts if a.subject_user_id in wanted]

    async def for_subject(self, subject_user_id: int) -> list[Alert]:
        rows = await self.db.fetchall(
            "SELECT * FROM alerts WHERE subject_user_id = ? ORDER BY created_at",
            (subject_user_id,),
        )
        return [_alert(r) for r in rows]

    async def delete_for_subject(self, tx: Transaction, subject_user_id: int) -> int:
        return await tx.rowcount("DELETE FROM alerts WHERE subject_user_id = ?", (subject_user_id,))

    async def purge_failures_before(self, tx: Transaction, cutoff: datetime) -> int:
        return await tx.rowcount("DELETE FROM alert_failures WHERE created_at < ?", (ts(cutoff),))

    async def delete_failures_for_subject(self, tx: Transaction, subject_user_id: int) -> int:
        return await tx.rowcount(
            "DELETE FROM alert_failures WHERE subject_user_id = ?", (subject_user_id,)
        )
