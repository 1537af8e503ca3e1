"""Attendance at group sessions and the hours ledger derived from confirmed attendance.

A client's "I'm here" is self-reported (``here_at``); only a facilitator's confirmation
(``confirmed_at``) counts. Confirming writes one ``hours_ledger`` row (the session's
hours, keyed to the ISO week of its local date) in the same transaction; removing an
attendee deletes that row. So the ledger always equals the confirmed attendance.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    occurrence_id: int
    user_id: int
    here_at: datetime | None
    confirmed_by: int | None
    confirmed_at: datetime | None
    removed_by: int | None
    removed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    occurrence_id: int
    user_id: int
    local_date: date
    iso_week: str
    hours: float
    recorded_at: datetime


def _attendance(row: sqlite3.Row) -> AttendanceRow:
    return AttendanceRow(
        occurrence_id=row["occurrence_id"],
        user_id=row["user_id"],
        here_at=parse_ts_or_none(row["here_at"]),
        confirmed_by=row["confirmed_by"],
        confirmed_at=parse_ts_or_none(row["confirmed_at"]),
        removed_by=row["removed_by"],
        removed_at=parse_ts_or_none(row["removed_at"]),
    )


def _entry(row: sqlite3.Row) -> LedgerEntry:
    return LedgerEntry(
        occurrence_id=row["occurrence_id"],
        user_id=row["user_id"],
        local_date=parse_day(row["local_date"]),
        iso_week=row["iso_week"],
        hours=float(row["hours"]),
        recorded_at=parse_ts(row["recorded_at"]),
    )


class AttendanceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- reads (contract used by other features) ---------------------------------

    async def count_confirmed(self, user_id: int) -> int:
        """How many sessions this client attended (facilitator-confirmed)."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM attendance WHERE user_id = ? AND confirmed_at IS NOT NULL",
                (user_id,),
            )
        )

    async def confirmed_counts(self) -> dict[int, int]:
        """Sessions attended (facilitator-confirmed) for every client who attended any."""
        rows = await self.db.fetchall(
            "SELECT user_id, COUNT(*) AS n FROM attendance WHERE confirmed_at IS NOT NULL "
            "GROUP BY user_id"
        )
        return {int(r["user_id"]): int(r["n"]) for r in rows}

    async def hours_by_week(self, user_id: int) -> dict[str, float]:
        """ISO week label (``2026-W09``) → confirmed hours, oldest week first."""
        rows = await self.db.fetchall(
            "SELECT iso_week, SUM(hours) AS h FROM hours_ledger WHERE user_id = ? "
            "GROUP BY iso_week ORDER BY iso_week",
            (user_id,),
        )
        return {str(r["iso_week"]): float(r["h"]) for r in rows}

    async def hours_in_week(self, user_ids: list[int], iso_week: str) -> dict[int, float]:
        if not user_ids:
            return {}
        marks = ",".join("?" for _ in user_ids)
        rows = await self.db.fetchall(
            "SELECT user_id, SUM(hours) AS h FROM hours_ledger "  # noqa: S608 (placeholders only)
            f"WHERE iso_week = ? AND user_id IN ({marks}) GROUP BY user_id",
            (iso_week, *user_ids),
        )
        found = {int(r["user_id"]): float(r["h"]) for r in rows}
        return {uid: found.get(uid, 0.0) for uid in user_ids}

    async def ledger(self, user_id: int) -> list[LedgerEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM hours_ledger WHERE user_id = ? ORDER BY local_date, occurrence_id",
            (user_id,),
        )
        return [_entry(r) for r in rows]

    async def for_occurrence(self, occurrence_id: int) -> list[AttendanceRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM attendance WHERE occurrence_id = ? ORDER BY here_at, user_id",
            (occurrence_id,),
        )
        return [_attendance(r) for r in rows]

    async def for_user(self, user_id: int) -> list[AttendanceRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM attendance WHERE user_id = ? ORDER BY occurrence_id", (user_id,)
        )
        return [_attendance(r) for r in rows]

    async def get(self, occurrence_id: int, user_id: int) -> AttendanceRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM attendance WHERE occurrence_id = ? AND user_id = ?",
            (occurrence_id, user_id),
        )
        return None if row is None else _attendance(row)

    # ----- writes -------------------------------------------------------------------

    async def mark_here(
        self, tx: Transaction, *, occurrence_id: int, user_id: int, now: datetime
    ) -> bool:
        """Record "I'm here"; False if it was already recorded."""
        changed = await tx.rowcount(
            "INSERT INTO attendance (occurrence_id, user_id, here_at) VALUES (?, ?, ?) "
            "ON CONFLICT (occurrence_id, user_id) DO UPDATE SET here_at = excluded.here_at "
            "WHERE attendance.here_at IS NULL",
            (occurrence_id, user_id, ts(now)),
        )
        return changed == 1

    async def confirm(
        self,
        tx: Transaction,
        *,
        occurrence_id: int,
        user_id: int,
        by: int,
        local_date: date,
        iso_week: str,
        hours: float,
        now: datetime,
    ) -> bool:
        """Confirm attendance and write its ledger row; False if it was already confirmed."""
        existing = await tx.fetchone(
            "SELECT confirmed_at FROM attendance WHERE occurrence_id = ? AND user_id = ?",
            (occurrence_id, user_id),
        )
        if existing is not None and existing["confirmed_at"] is not None:
            return False
        await tx.execute(
            "INSERT INTO attendance (occurrence_id, user_id, confirmed_by, confirmed_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (occurrence_id, user_id) DO UPDATE SET "
            "confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at, "
            "removed_by = NULL, removed_at = NULL",
            (occurrence_id, user_id, by, ts(now)),
        )
        await tx.execute(
            "INSERT OR REPLACE INTO hours_ledger "
            "(occurrence_id, user_id, local_date, iso_week, hours, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (occurrence_id, user_id, day(local_date), iso_week, hours, ts(now)),
        )
        return True

    async def remove(
        self, tx: Transaction, *, occurrence_id: int, user_id: int, by: int, now: datetime
    ) -> bool:
        """Mark not attending (drops the ledger row); False if there was nothing to remove."""
        changed = await tx.rowcount(
            "UPDATE attendance SET confirmed_by = NULL, confirmed_at = NULL, removed_by = ?, "
            "removed_at = ? WHERE occurrence_id = ? AND user_id = ? "
            "AND (confirmed_at IS NOT NULL OR (here_at IS NOT NULL AND removed_at IS NULL))",
            (by, ts(now), occurrence_id, user_id),
        )
        await tx.execute(
            "DELETE FROM hours_ledger WHERE occurrence_id = ? AND user_id = ?",
            (occurrence_id, user_id),
        )
        return changed == 1

    async def clear_occurrence(self, tx: Transaction, occurrence_id: int) -> int:
        """A session cancelled or moved before it started: forget the "I'm here" and
        confirmations given for the old time, and their hours. Returns how many people's
        attendance was cleared."""
        await tx.execute("DELETE FROM hours_ledger WHERE occurrence_id = ?", (occurrence_id,))
        return await tx.rowcount(
            "DELETE FROM attendance WHERE occurrence_id = ? "
            "AND (here_at IS NOT NULL OR confirmed_at IS NOT NULL)",
            (occurrence_id,),
        )

    async def delete_user(self, tx: Transaction, user_id: int) -> dict[str, int]:
        ledger = await tx.rowcount("DELETE FROM hours_ledger WHERE user_id = ?", (user_id,))
        rows = await tx.rowcount("DELETE FROM attendance WHERE user_id = ?", (user_id,))
        return {"hours_ledger": ledger, "attendance": rows}
