"""Weekly session templates and their occurrences (one row per session that happens).

Occurrences are identified by ``(template_id, planned_date)``, so planning the same
window twice inserts nothing new. Each row carries its Discord scheduled-event id and
an ``event_synced`` flag (0 while Discord still has to be told about a create, move or
cancel) and the marks that record the reminder, start and end notices were queued.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from bot.db.codec import day, parse_day, parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction
from bot.domain.localtime import parse_hhmm
from bot.domain.sessions import PlannedOccurrence, format_wall

Stage = Literal["reminder", "start", "end"]
_STAGE_COLUMN: dict[str, str] = {
    "reminder": "reminder_at",
    "start": "start_marked_at",
    "end": "end_marked_at",
}
_NO_LEAD = timedelta(0)


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    id: int
    cohort_id: int
    weekday: int
    start_local: time
    duration_minutes: int
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Occurrence:
    id: int
    template_id: int
    cohort_id: int
    planned_date: date
    local_date: date
    starts_at: datetime
    ends_at: datetime
    status: str
    event_id: int | None
    event_synced: bool
    reminder_at: datetime | None
    start_marked_at: datetime | None
    end_marked_at: datetime | None

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


def _template(row: sqlite3.Row) -> SessionTemplate:
    return SessionTemplate(
        id=row["id"],
        cohort_id=row["cohort_id"],
        weekday=row["weekday"],
        start_local=parse_hhmm(row["start_local"]),
        duration_minutes=row["duration_minutes"],
        created_by=row["created_by"],
        created_at=parse_ts(row["created_at"]),
    )


def _occurrence(row: sqlite3.Row) -> Occurrence:
    return Occurrence(
        id=row["id"],
        template_id=row["template_id"],
        cohort_id=row["cohort_id"],
        planned_date=parse_day(row["planned_date"]),
        local_date=parse_day(row["local_date"]),
        starts_at=parse_ts(row["starts_at"]),
        ends_at=parse_ts(row["ends_at"]),
        status=row["status"],
        event_id=row["event_id"],
        event_synced=bool(row["event_synced"]),
        reminder_at=parse_ts_or_none(row["reminder_at"]),
        start_marked_at=parse_ts_or_none(row["start_marked_at"]),
        end_marked_at=parse_ts_or_none(row["end_marked_at"]),
    )


class SessionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- templates ------------------------------------------------------------------

    async def add_template(
        self,
        tx: Transaction,
        *,
        cohort_id: int,
        weekday: int,
        start_local: time,
        duration_minutes: int,
        created_by: int,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO session_templates (cohort_id, weekday, start_local, duration_minutes, "
            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (cohort_id, weekday, format_wall(start_local), duration_minutes, created_by, ts(now)),
        )

    async def templates(self, cohort_id: int | None = None) -> list[SessionTemplate]:
        if cohort_id is None:
            rows = await self.db.fetchall(
                "SELECT * FROM session_templates WHERE ended_at IS NULL ORDER BY id"
            )
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM session_templates WHERE ended_at IS NULL AND cohort_id = ? "
                "ORDER BY weekday, start_local",
                (cohort_id,),
            )
        return [_template(r) for r in rows]

    # ----- occurrences ----------------------------------------------------------------

    async def ensure_occurrence(
        self,
        tx: Transaction,
        template: SessionTemplate,
        planned: PlannedOccurrence,
        now: datetime,
    ) -> bool:
        """Insert the occurrence unless it exists already; True if it was new."""
        changed = await tx.rowcount(
            "INSERT OR IGNORE INTO session_occurrences (template_id, cohort_id, planned_date, "
            "local_date, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                template.id,
                template.cohort_id,
                day(planned.local_date),
                day(planned.local_date),
                ts(planned.starts_at),
                ts(planned.ends_at),
                ts(now),
            ),
        )
        return changed == 1

    async def get(self, occurrence_id: int) -> Occurrence | None:
        row = await self.db.fetchone(
            "SELECT * FROM session_occurrences WHERE id = ?", (occurrence_id,)
        )
        return None if row is None else _occurrence(row)

    async def on_date(self, cohort_id: int, local: date) -> list[Occurrence]:
        """The cohort's occurrences happening on (or originally planned for) ``local``."""
        rows = await self.db.fetchall(
            "SELECT * FROM session_occurrences WHERE cohort_id = ? "
            "AND (local_date = ? OR planned_date = ?) ORDER BY starts_at",
            (cohort_id, day(local), day(local)),
        )
        return [_occurrence(r) for r in rows]

    async def between(
        self, start: datetime, end: datetime, cohort_id: int | None = None
    ) -> list[Occurrence]:
        """Occurrences not ended by ``start`` that start before ``end``."""
        sql = "SELECT * FROM session_occurrences WHERE ends_at > ? AND starts_at < ?"
        params: list[object] = [ts(start), ts(end)]
        if cohort_id is not None:
            sql += " AND cohort_id = ?"
            params.append(cohort_id)
        rows = await self.db.fetchall(sql + " ORDER BY starts_at", params)
        return [_occurrence(r) for r in rows]

    async def needing_event_sync(self, now: datetime, until: datetime) -> list[Occurrence]:
        rows = await self.db.fetchall(
            "SELECT * FROM session_occurrences WHERE event_synced = 0 AND ends_at > ? "
            "AND starts_at < ? ORDER BY starts_at",
            (ts(now), ts(until)),
        )
        return [_occurrence(r) for r in rows]

    async def set_event(
        self, tx: Transaction, occurrence_id: int, event_id: int | None, *, synced: bool = True
    ) -> None:
        await tx.execute(
            "UPDATE session_occurrences SET event_id = ?, event_synced = ? WHERE id = ?",
            (event_id, int(synced), occurrence_id),
        )

    async def due(
        self, tx: Transaction, stage: Stage, now: datetime, *, lead: timedelta = _NO_LEAD
    ) -> list[Occurrence]:
        """Occurrences whose ``stage`` notice should be queued now (not yet marked).

        reminder: starts within ``lead`` and has not started; start: started and not
        ended; end: ended and its start was marked (no lone "ended" after a downtime).
        """
        column = _STAGE_COLUMN[stage]
        params: tuple[str, ...]
        if stage == "reminder":
            cond, params = "starts_at <= ? AND starts_at > ?", (ts(now + lead), ts(now))
        elif stage == "start":
            cond, params = "starts_at <= ? AND ends_at > ?", (ts(now), ts(now))
        else:
            cond, params = "ends_at <= ? AND start_marked_at IS NOT NULL", (ts(now),)
        rows = await tx.fetchall(
            "SELECT * FROM session_occurrences WHERE status != 'cancelled' "  # noqa: S608
            f"AND {column} IS NULL AND {cond} ORDER BY starts_at",
            params,
        )
        return [_occurrence(r) for r in rows]

    async def mark(self, tx: Transaction, occurrence_id: int, stage: Stage, now: datetime) -> bool:
        column = _STAGE_COLUMN[stage]
        changed = await tx.rowcount(
            f"UPDATE session_occurrences SET {column} = ? "  # noqa: S608 (fixed column names)
            f"WHERE id = ? AND {column} IS NULL",
            (ts(now), occurrence_id),
        )
        return changed == 1

    async def cancel(self, tx: Transaction, occurrence_id: int, by: int, now: datetime) -> None:
        await tx.execute(
            "UPDATE session_occurrences SET status = 'cancelled', event_synced = 0, "
            "changed_by = ?, changed_at = ? WHERE id = ?",
            (by, ts(now), occurrence_id),
        )

    async def move(
        self,
        tx: Transaction,
        occurrence_id: int,
        *,
        planned: PlannedOccurrence,
        by: int,
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE session_occurrences SET status = 'moved', local_date = ?, starts_at = ?, "
            "ends_at = ?, event_synced = 0, changed_by = ?, changed_at = ? WHERE id = ?",
            (
                day(planned.local_date),
                ts(planned.starts_at),
                ts(planned.ends_at),
                by,
                ts(now),
                occurrence_id,
            ),
        )
