"""Daily check-ins: per-client prompt settings, the answers, and prompt bookkeeping."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, ts
from bot.db.database import Database, Transaction
from bot.domain.checkins import CheckinAnswers, Safety, Used


@dataclass(frozen=True, slots=True)
class CheckinSetting:
    user_id: int
    local_time: str | None
    planned_zone: str
    paused_until: date | None
    next_prompt_at: datetime


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
class PromptDay:
    user_id: int
    local_date: date
    status: str
    planned_at: datetime
    undeliverable: bool


@dataclass(frozen=True, slots=True)
class SavedCheckin:
    checkin_id: int
    replaced: bool


def _setting(row: sqlite3.Row) -> CheckinSetting:
    return CheckinSetting(
        user_id=row["user_id"],
        local_time=row["local_time"],
        planned_zone=row["planned_zone"],
        paused_until=parse_day(row["paused_until"]) if row["paused_until"] else None,
        next_prompt_at=parse_ts(row["next_prompt_at"]),
    )


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


def _prompt(row: sqlite3.Row) -> PromptDay:
    return PromptDay(
        user_id=row["user_id"],
        local_date=parse_day(row["local_date"]),
        status=row["status"],
        planned_at=parse_ts(row["planned_at"]),
        undeliverable=bool(row["undeliverable"]),
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

    # ----- settings ------------------------------------------------------------------

    async def setting(self, user_id: int) -> CheckinSetting | None:
        row = await self.db.fetchone("SELECT * FROM checkin_settings WHERE user_id = ?", (user_id,))
        return None if row is None else _setting(row)

    async def setting_in(self, tx: Transaction, user_id: int) -> CheckinSetting | None:
        row = await tx.fetchone("SELECT * FROM checkin_settings WHERE user_id = ?", (user_id,))
        return None if row is None else _setting(row)

    async def user_ids_with_settings(self) -> set[int]:
        rows = await self.db.fetchall("SELECT user_id FROM checkin_settings")
        return {int(r["user_id"]) for r in rows}

    async def due(self, now: datetime) -> list[CheckinSetting]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_settings WHERE next_prompt_at <= ? "
            "ORDER BY next_prompt_at, user_id",
            (ts(now),),
        )
        return [_setting(r) for r in rows]

    async def all_settings(self) -> list[CheckinSetting]:
        rows = await self.db.fetchall("SELECT * FROM checkin_settings ORDER BY user_id")
        return [_setting(r) for r in rows]

    async def create_setting(
        self,
        tx: Transaction,
        *,
        user_id: int,
        planned_zone: str,
        next_prompt_at: datetime,
        now: datetime,
    ) -> bool:
        """Start prompting a client at the program default time; False if already set up."""
        row = await tx.fetchone(
            "INSERT INTO checkin_settings (user_id, planned_zone, next_prompt_at, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
            (user_id, planned_zone, ts(next_prompt_at), ts(now)),
        )
        return row is not None

    async def set_schedule(
        self,
        tx: Transaction,
        user_id: int,
        *,
        local_time: str | None,
        planned_zone: str,
        next_prompt_at: datetime,
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE checkin_settings SET local_time = ?, planned_zone = ?, next_prompt_at = ?, "
            "updated_at = ? WHERE user_id = ?",
            (local_time, planned_zone, ts(next_prompt_at), ts(now), user_id),
        )

    async def advance(
        self,
        tx: Transaction,
        user_id: int,
        *,
        expected: datetime,
        next_prompt_at: datetime,
        now: datetime,
    ) -> bool:
        """Move the next prompt on, only if nobody else already did (idempotent)."""
        changed = await tx.rowcount(
            "UPDATE checkin_settings SET next_prompt_at = ?, updated_at = ? "
            "WHERE user_id = ? AND next_prompt_at = ?",
            (ts(next_prompt_at), ts(now), user_id, ts(expected)),
        )
        return changed == 1

    async def set_paused_until(
        self, tx: Transaction, user_id: int, until: date | None, now: datetime
    ) -> None:
        await tx.execute(
            "UPDATE checkin_settings SET paused_until = ?, updated_at = ? WHERE user_id = ?",
            (day(until) if until else None, ts(now), user_id),
        )

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

    # ----- prompt bookkeeping --------------------------------------------------------

    async def record_prompt_day(
        self,
        tx: Transaction,
        *,
        user_id: int,
        local_date: date,
        status: str,
        planned_at: datetime,
        now: datetime,
    ) -> bool:
        """Record how a local day's prompt was handled; False if the day was already handled."""
        row = await tx.fetchone(
            "INSERT INTO checkin_prompts (user_id, local_date, status, planned_at, queued_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, local_date) DO NOTHING "
            "RETURNING user_id",
            (user_id, day(local_date), status, ts(planned_at), ts(now)),
        )
        return row is not None

    async def prompt_recorded_in(self, tx: Transaction, user_id: int, local_date: date) -> bool:
        """Whether the planner already handled ``local_date`` (queued, late or skipped)."""
        row = await tx.fetchone(
            "SELECT 1 FROM checkin_prompts WHERE user_id = ? AND local_date = ?",
            (user_id, day(local_date)),
        )
        return row is not None

    async def mark_undeliverable(self, tx: Transaction, user_id: int, local_date: date) -> None:
        await tx.execute(
            "UPDATE checkin_prompts SET undeliverable = 1 WHERE user_id = ? AND local_date = ?",
            (user_id, day(local_date)),
        )

    async def prompt_days_in(
        self, tx: Transaction, user_id: int, before: date, limit: int
    ) -> list[PromptDay]:
        """The most recent prompted (not skipped) days before ``before``, newest first."""
        rows = await tx.fetchall(
            "SELECT * FROM checkin_prompts WHERE user_id = ? AND local_date < ? "
            "AND status IN ('queued', 'late') ORDER BY local_date DESC LIMIT ?",
            (user_id, day(before), limit),
        )
        return [_prompt(r) for r in rows]

    async def prompt_days(self, user_id: int) -> list[PromptDay]:
        rows = await self.db.fetchall(
            "SELECT * FROM checkin_prompts WHERE user_id = ? ORDER BY local_date", (user_id,)
        )
        return [_prompt(r) for r in rows]

    # ----- export, delete, retention -------------------------------------------------

    async def delete_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        return {
            table: await tx.rowcount(
                f"DELETE FROM {table} WHERE user_id = ?",  # noqa: S608 (fixed table names)
                (user_id,),
            )
            for table in ("checkins", "checkin_prompts", "checkin_settings")
        }

    async def purge_before(self, tx: Transaction, cutoff: date) -> dict[str, int]:
        """Delete answers (and prompt bookkeeping) for local dates before ``cutoff``."""
        return {
            "checkins": await tx.rowcount(
                "DELETE FROM checkins WHERE local_date < ?", (day(cutoff),)
            ),
            "checkin_prompts": await tx.rowcount(
                "DELETE FROM checkin_prompts WHERE local_date < ?", (day(cutoff),)
            ),
        }
