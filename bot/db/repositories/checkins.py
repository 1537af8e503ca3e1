"""Daily check-ins: the answers (the prompt schedule lives in ``repositories/prompts``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, ts
from bot.db.database import Database, Transaction
from bot.domain.checkins import CheckinAnswers, Safety, Used


@dataclass(frozen=True, slots=True)
class Checkin:
    id: int
    user_id: int
    local_date: date
    mood: int
    craving: int
    used: Used
    sleep_hours: float | None  # None: the form did not ask
    note: str | None
    submitted_at: datetime
    created_at: datetime
    replaced: int
    safety: Safety | None = None  # thoughts of ending one's life; None: not asked

    @property
    def answers(self) -> CheckinAnswers:
        return CheckinAnswers(
            self.mood, self.craving, self.used, self.sleep_hours, self.note, self.safety
        )


@dataclass(frozen=True, slots=True)
class SavedCheckin:
    checkin_id: int
    replaced: bool


def _checkin(row: sqlite3.Row) -> Checkin:
    return Checkin(
        id=row["id"],
        user_id=row["user_id"],
        local_date=parse_day(row["local_date"]),
        mood=row["mood"],
        craving=row["craving"],
        used=row["used"],
        sleep_hours=None if row["sleep_hours"] is None else float(row["sleep_hours"]),
        note=row["note"],
        submitted_at=parse_ts(row["submitted_at"]),
        created_at=parse_ts(row["created_at"]),
        replaced=row["replaced"],
        safety=row["safety"],
    )


class CheckinRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- contract for other features ---------------------------------------------

    async def reported_use_dates(self, user_id: int) -> list[date]:
        """Local dates on which the client reported use in a check-in, oldest first."""
        rows = await self.db.fetchall(
            "SELECT local_date FROM checkins WHERE user_id = ? AND used = 'yes' "
            "ORDER BY local_date",
            (user_id,),
        )
        return [parse_day(r["local_date"]) for r in rows]

    # ----- check-ins -----------------------------------------------------------------

    async def save(
        self,
        tx: Transaction,
        *,
        user_id: int,
        local_date: date,
        answers: CheckinAnswers,
        now: datetime,
    ) -> SavedCheckin:
        """Store today's answers; a second submission the same local day replaces the first."""
        existing = await tx.fetchone(
            "SELECT id FROM checkins WHERE user_id = ? AND local_date = ?",
            (user_id, day(local_date)),
        )
        row = await tx.fetchone(
            "INSERT INTO checkins (user_id, local_date, mood, craving, used, sleep_hours, note, "
            "safety, submitted_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, local_date) DO UPDATE SET mood = excluded.mood, "
            "craving = excluded.craving, used = excluded.used, "
            "sleep_hours = excluded.sleep_hours, note = excluded.note, "
            "safety = excluded.safety, "
            "submitted_at = excluded.submitted_at, replaced = checkins.replaced + 1 "
            "RETURNING id",
            (
                user_id,
                day(local_date),
                answers.mood,
                answers.craving,
                answers.used,
                answers.sleep_hours,
                answers.note,
                answers.safety,
                ts(now),
                ts(now),
            ),
        )
        if row is None:  # pragma: no cover - an upsert always returns its row
            raise RuntimeError("check-in upsert returned no row")
        return SavedCheckin(checkin_id=int(row["id"]), replaced=existing is not None)

    async def get(self, checkin_id: int) -> Checkin | None:
        row = await self.db.fetchone("SELECT * FROM checkins WHERE id = ?", (checkin_id,))
        return None if row is None else _checkin(row)

    async def on_date(self, user_id: int, local_date: date) -> Checkin | None:
        row = await self.db.fetchone(
            "SELECT * FROM checkins WHERE user_id = ? AND local_date = ?",
            (user_id, day(local_date)),
        )
        return None if row is None else _checkin(row)

    async def between(self, user_id: int, first: date, last: date) -> list[Checkin]:
        """The client's check-ins with ``first <= local_date <= last``, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM checkins WHERE user_id = ? AND local_date BETWEEN ? AND ? "
            "ORDER BY local_date",
            (user_id, day(first), day(last)),
        )
        return [_checkin(r) for r in rows]

    async def all_for(self, user_id: int) -> list[Checkin]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkins WHERE user_id = ? ORDER BY local_date", (user_id,)
        )
        return [_checkin(r) for r in rows]

    async def checked_dates_in(
        self, tx: Transaction, user_id: int, first: date, last: date
    ) -> list[date]:
        rows = await tx.fetchall(
            "SELECT local_date FROM checkins WHERE user_id = ? AND local_date BETWEEN ? AND ?",
            (user_id, day(first), day(last)),
        )
        return [parse_day(r["local_date"]) for r in rows]

    async def checked_dates(self, user_id: int, first: date, last: date) -> list[date]:
        rows = await self.db.fetchall(
            "SELECT local_date FROM checkins WHERE user_id = ? AND local_date BETWEEN ? AND ?",
            (user_id, day(first), day(last)),
        )
        return [parse_day(r["local_date"]) for r in rows]

    # ----- export, delete, retention -------------------------------------------------

    async def delete_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        return {
            table: await tx.rowcount(
                f"DELETE FROM {table} WHERE user_id = ?",  # noqa: S608 (fixed table names)
                (user_id,),
            )
            for table in ("checkins",)
        }

    async def purge_before(self, tx: Transaction, cutoff: date) -> dict[str, int]:
        """Delete answers for local dates before ``cutoff`` (the prompt bookkeeping is
        purged through ``bot.services.prompts``)."""
        return {
            "checkins": await tx.rowcount(
                "DELETE FROM checkins WHERE local_date < ?", (day(cutoff),)
            ),
        }
