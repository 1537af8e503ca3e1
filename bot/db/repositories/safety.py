"""Crisis events and member reports (ids and a source kind only, never content)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class CrisisEvent:
    id: int
    user_id: int
    source: str
    source_ref: int | None
    alert_id: int | None
    dm_outbox_id: int | None
    created_at: datetime
    severity: str | None = None
    category: str | None = None
    channel_id: int | None = None


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    reporter_id: int
    reported_user_id: int
    channel_id: int
    message_id: int
    crisis: bool
    created_at: datetime


def _event(row: sqlite3.Row) -> CrisisEvent:
    return CrisisEvent(
        id=row["id"],
        user_id=row["user_id"],
        source=row["source"],
        source_ref=row["source_ref"],
        alert_id=row["alert_id"],
        dm_outbox_id=row["dm_outbox_id"],
        created_at=parse_ts(row["created_at"]),
        severity=row["severity"],
        category=row["category"],
        channel_id=row["channel_id"],
    )


def _report(row: sqlite3.Row) -> Report:
    return Report(
        id=row["id"],
        reporter_id=row["reporter_id"],
        reported_user_id=row["reported_user_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        crisis=bool(row["crisis"]),
        created_at=parse_ts(row["created_at"]),
    )


class SafetyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- crisis events -----------------------------------------------------------------

    async def add_event(
        self,
        tx: Transaction,
        *,
        user_id: int,
        source: str,
        source_ref: int | None,
        alert_id: int | None,
        dm_outbox_id: int | None,
        now: datetime,
        severity: str | None = None,
        category: str | None = None,
        channel_id: int | None = None,
    ) -> int:
        return await tx.execute(
            "INSERT INTO crisis_events (user_id, source, source_ref, alert_id, dm_outbox_id, "
            "created_at, severity, category, channel_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                source,
                source_ref,
                alert_id,
                dm_outbox_id,
                ts(now),
                severity,
                category,
                channel_id,
            ),
        )

    async def link_event(
        self, tx: Transaction, event_id: int, *, alert_id: int | None, dm_outbox_id: int | None
    ) -> None:
        await tx.execute(
            "UPDATE crisis_events SET alert_id = ?, dm_outbox_id = ? WHERE id = ?",
            (alert_id, dm_outbox_id, event_id),
        )

    async def get_event(self, event_id: int) -> CrisisEvent | None:
        row = await self.db.fetchone("SELECT * FROM crisis_events WHERE id = ?", (event_id,))
        return None if row is None else _event(row)

    async def events_for(self, user_id: int) -> list[CrisisEvent]:
        rows = await self.db.fetchall(
            "SELECT * FROM crisis_events WHERE user_id = ? ORDER BY created_at, id", (user_id,)
        )
        return [_event(r) for r in rows]

    async def event_for_dm(self, tx: Transaction, outbox_id: int) -> CrisisEvent | None:
        row = await tx.fetchone("SELECT * FROM crisis_events WHERE dm_outbox_id = ?", (outbox_id,))
        return None if row is None else _event(row)

    # ----- reports -----------------------------------------------------------------------

    async def add_report(
        self,
        tx: Transaction,
        *,
        reporter_id: int,
        reported_user_id: int,
        channel_id: int,
        message_id: int,
        crisis: bool,
        now: datetime,
    ) -> int | None:
        """Record a report; None when this person already reported this message."""
        row = await tx.fetchone(
            "INSERT INTO reports (reporter_id, reported_user_id, channel_id, message_id, crisis, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (message_id, reporter_id) DO NOTHING RETURNING id",
            (reporter_id, reported_user_id, channel_id, message_id, int(crisis), ts(now)),
        )
        return None if row is None else int(row["id"])

    async def already_reported(self, tx: Transaction, reporter_id: int, message_id: int) -> bool:
        row = await tx.fetchone(
            "SELECT 1 FROM reports WHERE reporter_id = ? AND message_id = ?",
            (reporter_id, message_id),
        )
        return row is not None

    async def last_report_at(self, tx: Transaction, reporter_id: int) -> datetime | None:
        row = await tx.fetchone(
            "SELECT MAX(created_at) AS at FROM reports WHERE reporter_id = ?", (reporter_id,)
        )
        return None if row is None or row["at"] is None else parse_ts(row["at"])

    async def reports_about(self, user_id: int) -> list[Report]:
        rows = await self.db.fetchall(
            "SELECT * FROM reports WHERE reported_user_id = ? ORDER BY created_at, id", (user_id,)
        )
        return [_report(r) for r in rows]

    async def reports_by(self, user_id: int) -> list[Report]:
        rows = await self.db.fetchall(
            "SELECT * FROM reports WHERE reporter_id = ? ORDER BY created_at, id", (user_id,)
        )
        return [_report(r) for r in rows]

    # ----- export, delete, retention -----------------------------------------------------

    async def delete_events_for(self, tx: Transaction, user_id: int) -> int:
        return await tx.rowcount("DELETE FROM crisis_events WHERE user_id = ?", (user_id,))

    async def delete_reports_by(self, tx: Transaction, reporter_id: int) -> int:
        return await tx.rowcount("DELETE FROM reports WHERE reporter_id = ?", (reporter_id,))

    async def purge_events_before(self, tx: Transaction, cutoff: datetime) -> int:
        return await tx.rowcount("DELETE FROM crisis_events WHERE created_at < ?", (ts(cutoff),))

    async def purge_reports_before(self, tx: Transaction, cutoff: datetime) -> int:
        return await tx.rowcount("DELETE FROM reports WHERE created_at < ?", (ts(cutoff),))
