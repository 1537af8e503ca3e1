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
        rows = await tx.fetchall(
            "SELECT * FROM alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL "
            "AND created_at <= ? ORDER BY created_at",
            (ts(older_than),),
        )
        return [_alert(r) for r in rows]

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
