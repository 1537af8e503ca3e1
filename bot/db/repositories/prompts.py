"""Recurring prompt schedules (one row per client and schedule) and the periods handled.

Used by :mod:`bot.services.prompts`; a cog reads its own schedule's rows through here too
(history, export, its alert rules). Every query names the schedule.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class ScheduleState:
    user_id: int
    schedule: str
    local_time: str | None  # HH:MM; None: the schedule's default
    day: int | None  # weekday 0-6 / day of month 1-31; None: the schedule's default
    planned_zone: str
    paused_until: date | None
    next_at: datetime


@dataclass(frozen=True, slots=True)
class PeriodRecord:
    user_id: int
    schedule: str
    period: str
    local_date: date
    status: str  # queued, late or skipped
    planned_at: datetime
    undeliverable: bool
    outbox_id: int | None


def _state(row: sqlite3.Row) -> ScheduleState:
    return ScheduleState(
        user_id=row["user_id"],
        schedule=row["schedule"],
        local_time=row["local_time"],
        day=row["day"],
        planned_zone=row["planned_zone"],
        paused_until=parse_day(row["paused_until"]) if row["paused_until"] else None,
        next_at=parse_ts(row["next_at"]),
    )


def _period(row: sqlite3.Row) -> PeriodRecord:
    return PeriodRecord(
        user_id=row["user_id"],
        schedule=row["schedule"],
        period=row["period"],
        local_date=parse_day(row["local_date"]),
        status=row["status"],
        planned_at=parse_ts(row["planned_at"]),
        undeliverable=bool(row["undeliverable"]),
        outbox_id=row["outbox_id"],
    )


class PromptRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- schedules -----------------------------------------------------------------

    async def get(self, schedule: str, user_id: int) -> ScheduleState | None:
        row = await self.db.fetchone(
            "SELECT * FROM prompt_schedules WHERE schedule = ? AND user_id = ?",
            (schedule, user_id),
        )
        return None if row is None else _state(row)

    async def get_in(self, tx: Transaction, schedule: str, user_id: int) -> ScheduleState | None:
        row = await tx.fetchone(
            "SELECT * FROM prompt_schedules WHERE schedule = ? AND user_id = ?",
            (schedule, user_id),
        )
        return None if row is None else _state(row)

    async def user_ids(self, schedule: str) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM prompt_schedules WHERE schedule = ?", (schedule,)
        )
        return {int(r["user_id"]) for r in rows}

    async def due(self, schedule: str, now: datetime) -> list[ScheduleState]:
        rows = await self.db.fetchall(
            "SELECT * FROM prompt_schedules WHERE schedule = ? AND next_at <= ? "
            "ORDER BY next_at, user_id",
            (schedule, ts(now)),
        )
        return [_state(r) for r in rows]

    async def create(
        self,
        tx: Transaction,
        schedule: str,
        *,
        user_id: int,
        planned_zone: str,
        next_at: datetime,
        now: datetime,
    ) -> bool:
        """Start a client's schedule at its defaults; False if it already exists."""
        row = await tx.fetchone(
            "INSERT INTO prompt_schedules (user_id, schedule, planned_zone, next_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, schedule) DO NOTHING RETURNING user_id",
            (user_id, schedule, planned_zone, ts(next_at), ts(now)),
        )
        return row is not None

    async def set_plan(
        self,
        tx: Transaction,
        schedule: str,
        user_id: int,
        *,
        local_time: str | None,
        day: int | None,
        planned_zone: str,
        next_at: datetime,
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE prompt_schedules SET local_time = ?, day = ?, planned_zone = ?, next_at = ?, "
            "updated_at = ? WHERE schedule = ? AND user_id = ?",
            (local_time, day, planned_zone, ts(next_at), ts(now), schedule, user_id),
        )

    async def advance(
        self,
        tx: Transaction,
        schedule: str,
        user_id: int,
        *,
        expected: datetime,
        next_at: datetime,
        now: datetime,
    ) -> bool:
        """Move the next prompt on, only if nobody else already did (compare-and-set)."""
        changed = await tx.rowcount(
            "UPDATE prompt_schedules SET next_at = ?, updated_at = ? "
            "WHERE schedule = ? AND user_id = ? AND next_at = ?",
            (ts(next_at), ts(now), schedule, user_id, ts(expected)),
        )
        return changed == 1

    async def set_paused_until(
        self, tx: Transaction, schedule: str, user_id: int, until: date | None, now: datetime
    ) -> None:
        await tx.execute(
            "UPDATE prompt_schedules SET paused_until = ?, updated_at = ? "
            "WHERE schedule = ? AND user_id = ?",
            (day(until) if until else None, ts(now), schedule, user_id),
        )

    # ----- periods -------------------------------------------------------------------

    async def record_period(
        self,
        tx: Transaction,
        schedule: str,
        *,
        user_id: int,
        period: str,
        local_date: date,
        status: str,
        planned_at: datetime,
        now: datetime,
    ) -> bool:
        """Record how a period was handled; False if it was already handled."""
        row = await tx.fetchone(
            "INSERT INTO prompt_periods (user_id, schedule, period, local_date, status, "
            "planned_at, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, schedule, period) DO NOTHING RETURNING user_id",
            (user_id, schedule, period, day(local_date), status, ts(planned_at), ts(now)),
        )
        return row is not None

    async def period_recorded_in(
        self, tx: Transaction, schedule: str, user_id: int, period: str
    ) -> bool:
        row = await tx.fetchone(
            "SELECT 1 FROM prompt_periods WHERE schedule = ? AND user_id = ? AND period = ?",
            (schedule, user_id, period),
        )
        return row is not None

    async def link_outbox(
        self, tx: Transaction, schedule: str, user_id: int, period: str, outbox_id: int
    ) -> None:
        await tx.execute(
            "UPDATE prompt_periods SET outbox_id = ? "
            "WHERE schedule = ? AND user_id = ? AND period = ?",
            (outbox_id, schedule, user_id, period),
        )

    async def period_for_outbox(
        self, tx: Transaction, schedule: str, outbox_id: int
    ) -> PeriodRecord | None:
        row = await tx.fetchone(
            "SELECT * FROM prompt_periods WHERE schedule = ? AND outbox_id = ?",
            (schedule, outbox_id),
        )
        return None if row is None else _period(row)

    async def mark_undeliverable(
        self, tx: Transaction, schedule: str, user_id: int, period: str
    ) -> None:
        await tx.execute(
            "UPDATE prompt_periods SET undeliverable = 1 "
            "WHERE schedule = ? AND user_id = ? AND period = ?",
            (schedule, user_id, period),
        )

    async def prompted_before(
        self, tx: Transaction, schedule: str, user_id: int, before: date, limit: int
    ) -> list[PeriodRecord]:
        """The most recent prompted (not skipped) periods dated before ``before``, newest first."""
        rows = await tx.fetchall(
            "SELECT * FROM prompt_periods WHERE schedule = ? AND user_id = ? AND local_date < ? "
            "AND status IN ('queued', 'late') ORDER BY local_date DESC LIMIT ?",
            (schedule, user_id, day(before), limit),
        )
        return [_period(r) for r in rows]

    async def periods(self, schedule: str, user_id: int) -> list[PeriodRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM prompt_periods WHERE schedule = ? AND user_id = ? ORDER BY local_date",
            (schedule, user_id),
        )
        return [_period(r) for r in rows]

    # ----- export, delete, retention -------------------------------------------------

    async def states_for(self, user_id: int) -> list[ScheduleState]:
        rows = await self.db.fetchall(
            "SELECT * FROM prompt_schedules WHERE user_id = ? ORDER BY schedule", (user_id,)
        )
        return [_state(r) for r in rows]

    async def periods_for(self, user_id: int) -> list[PeriodRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM prompt_periods WHERE user_id = ? ORDER BY schedule, local_date",
            (user_id,),
        )
        return [_period(r) for r in rows]

    async def delete_all_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        return {
            "prompt_periods": await tx.rowcount(
                "DELETE FROM prompt_periods WHERE user_id = ?", (user_id,)
            ),
            "prompt_schedules": await tx.rowcount(
                "DELETE FROM prompt_schedules WHERE user_id = ?", (user_id,)
            ),
        }

    async def delete_for(self, tx: Transaction, schedule: str, user_id: int) -> dict[str, int]:
        return {
            "prompt_periods": await tx.rowcount(
                "DELETE FROM prompt_periods WHERE schedule = ? AND user_id = ?",
                (schedule, user_id),
            ),
            "prompt_schedules": await tx.rowcount(
                "DELETE FROM prompt_schedules WHERE schedule = ? AND user_id = ?",
                (schedule, user_id),
            ),
        }

    async def purge_periods_before(self, tx: Transaction, schedule: str, cutoff: date) -> int:
        return await tx.rowcount(
            "DELETE FROM prompt_periods WHERE schedule = ? AND local_date < ?",
            (schedule, day(cutoff)),
        )
