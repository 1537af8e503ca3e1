"""Sobriety records, their reset history, milestones and peers' congratulations."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, parse_ts_or_none, ts, ts_or_none
from bot.db.database import Database, Transaction
from bot.domain.milestones import Tally


@dataclass(frozen=True, slots=True)
class SobrietyRecord:
    user_id: int
    streak_start: date | None
    streak_number: int
    longest_streak_days: int
    banked_days: int
    public: bool
    counting_since: datetime | None
    updated_at: datetime

    def tally(self) -> Tally | None:
        if self.streak_start is None:
            return None
        return Tally(
            streak_start=self.streak_start,
            longest_days=self.longest_streak_days,
            banked_days=self.banked_days,
            streak=self.streak_number,
        )


@dataclass(frozen=True, slots=True)
class ResetEntry:
    id: int
    user_id: int
    on_date: date
    restarted: bool
    streak_days: int
    at: datetime


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    id: int
    user_id: int
    scheme: str
    kind: str
    n: int
    streak: int
    due_date: date
    due_at: datetime
    status: str
    celebrated_at: datetime | None
    late: bool
    public: bool
    congrats_due_at: datetime | None
    congrats_sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Congrats:
    milestone_id: int
    from_user_id: int
    at: datetime


def _record(row: sqlite3.Row) -> SobrietyRecord:
    start = row["streak_start"]
    return SobrietyRecord(
        user_id=row["user_id"],
        streak_start=None if start is None else parse_day(start),
        streak_number=row["streak_number"],
        longest_streak_days=row["longest_streak_days"],
        banked_days=row["banked_days"],
        public=bool(row["public"]),
        counting_since=parse_ts_or_none(row["counting_since"]),
        updated_at=parse_ts(row["updated_at"]),
    )


def _reset(row: sqlite3.Row) -> ResetEntry:
    return ResetEntry(
        id=row["id"],
        user_id=row["user_id"],
        on_date=parse_day(row["on_date"]),
        restarted=bool(row["restarted"]),
        streak_days=row["streak_days"],
        at=parse_ts(row["at"]),
    )


def _milestone(row: sqlite3.Row) -> MilestoneRow:
    return MilestoneRow(
        id=row["id"],
        user_id=row["user_id"],
        scheme=row["scheme"],
        kind=row["kind"],
        n=row["n"],
        streak=row["streak"],
        due_date=parse_day(row["due_date"]),
        due_at=parse_ts(row["due_at"]),
        status=row["status"],
        celebrated_at=parse_ts_or_none(row["celebrated_at"]),
        late=bool(row["late"]),
        public=bool(row["public"]),
        congrats_due_at=parse_ts_or_none(row["congrats_due_at"]),
        congrats_sent_at=parse_ts_or_none(row["congrats_sent_at"]),
        created_at=parse_ts(row["created_at"]),
    )


def _congrats(row: sqlite3.Row) -> Congrats:
    return Congrats(
        milestone_id=row["milestone_id"], from_user_id=row["from_user_id"], at=parse_ts(row["at"])
    )


class MilestoneRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- sobriety records ------------------------------------------------------------

    async def record(self, user_id: int) -> SobrietyRecord | None:
        row = await self.db.fetchone("SELECT * FROM sobriety_records WHERE user_id = ?", (user_id,))
        return None if row is None else _record(row)

    async def record_in(self, tx: Transaction, user_id: int) -> SobrietyRecord | None:
        row = await tx.fetchone("SELECT * FROM sobriety_records WHERE user_id = ?", (user_id,))
        return None if row is None else _record(row)

    async def records(self, user_ids: list[int]) -> dict[int, SobrietyRecord]:
        if not user_ids:
            return {}
        marks = ",".join("?" * len(user_ids))
        rows = await self.db.fetchall(
            f"SELECT * FROM sobriety_records WHERE user_id IN ({marks})",  # noqa: S608
            user_ids,
        )
        return {r["user_id"]: _record(r) for r in rows}

    async def set_start(self, tx: Transaction, user_id: int, start: date, now: datetime) -> None:
        """Set (or correct) the current streak's date; the streak number is unchanged."""
        await tx.execute(
            "INSERT INTO sobriety_records (user_id, streak_start, counting_since, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "streak_start = excluded.streak_start, counting_since = excluded.counting_since, "
            "updated_at = excluded.updated_at",
            (user_id, day(start), ts(now), ts(now)),
        )

    async def save_tally(self, tx: Transaction, user_id: int, tally: Tally, now: datetime) -> None:
        """Store a restarted streak (banked days and longest streak come with it)."""
        await tx.execute(
            "UPDATE sobriety_records SET streak_start = ?, streak_number = ?, "
            "longest_streak_days = ?, banked_days = ?, counting_since = ?, updated_at = ? "
            "WHERE user_id = ?",
            (
                day(tally.streak_start),
                tally.streak,
                tally.longest_days,
                tally.banked_days,
                ts(now),
                ts(now),
                user_id,
            ),
        )

    async def set_public(self, tx: Transaction, user_id: int, public: bool, now: datetime) -> None:
        await tx.execute(
            "INSERT INTO sobriety_records (user_id, public, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET public = excluded.public, "
            "updated_at = excluded.updated_at",
            (user_id, int(public), ts(now)),
        )

    async def add_reset(
        self,
        tx: Transaction,
        *,
        user_id: int,
        on_date: date,
        restarted: bool,
        streak_days: int,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO sobriety_resets (user_id, on_date, restarted, streak_days, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (user_id, day(on_date), int(restarted), streak_days, ts(now)),
        )

    async def resets(self, user_id: int) -> list[ResetEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM sobriety_resets WHERE user_id = ? ORDER BY at, id", (user_id,)
        )
        return [_reset(r) for r in rows]

    # ----- milestones ------------------------------------------------------------------

    async def insert(
        self,
        tx: Transaction,
        *,
        user_id: int,
        scheme: str,
        kind: str,
        n: int,
        streak: int,
        due_date: date,
        due_at: datetime,
        now: datetime,
        status: str = "due",
    ) -> int | None:
        """Record a milestone once; return its id, or None if it was already recorded."""
        row_id = await tx.execute(
            "INSERT INTO milestones (user_id, scheme, kind, n, streak, due_date, due_at, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, scheme, kind, n, streak) DO NOTHING",
            (user_id, scheme, kind, n, streak, day(due_date), ts(due_at), status, ts(now)),
        )
        return row_id or None

    async def insert_many(
        self,
        tx: Transaction,
        rows: list[tuple[int, str, str, int, int, date, datetime]],
        *,
        now: datetime,
    ) -> None:
        """Record many ``(user, scheme, kind, n, streak, due_date, due_at)`` at once, each
        only if new (status ``due``)."""
        await tx.executemany(
            "INSERT INTO milestones (user_id, scheme, kind, n, streak, due_date, due_at, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'due', ?) "
            "ON CONFLICT (user_id, scheme, kind, n, streak) DO NOTHING",
            [
                (user_id, scheme, kind, n, streak, day(due_date), ts(due_at), ts(now))
                for user_id, scheme, kind, n, streak, due_date, due_at in rows
            ],
        )

    async def keys_by_client(self) -> dict[int, set[tuple[str, str, int, int]]]:
        """Every client's recorded ``(scheme, kind, n, streak)`` keys, in one read."""
        rows = await self.db.fetchall("SELECT user_id, scheme, kind, n, streak FROM milestones")
        found: dict[int, set[tuple[str, str, int, int]]] = {}
        for r in rows:
            found.setdefault(r["user_id"], set()).add((r["scheme"], r["kind"], r["n"], r["streak"]))
        return found

    async def all_records(self) -> dict[int, SobrietyRecord]:
        rows = await self.db.fetchall("SELECT * FROM sobriety_records")
        return {r["user_id"]: _record(r) for r in rows}

    async def keys(self, user_id: int) -> set[tuple[str, str, int, int]]:
        """``(scheme, kind, n, streak)`` of every milestone already recorded for a client."""
        rows = await self.db.fetchall(
            "SELECT scheme, kind, n, streak FROM milestones WHERE user_id = ?", (user_id,)
        )
        return {(r["scheme"], r["kind"], r["n"], r["streak"]) for r in rows}

    async def get(self, milestone_id: int) -> MilestoneRow | None:
        row = await self.db.fetchone("SELECT * FROM milestones WHERE id = ?", (milestone_id,))
        return None if row is None else _milestone(row)

    async def get_in(self, tx: Transaction, milestone_id: int) -> MilestoneRow | None:
        row = await tx.fetchone("SELECT * FROM milestones WHERE id = ?", (milestone_id,))
        return None if row is None else _milestone(row)

    async def due_ids(self, now: datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM milestones WHERE status = 'due' AND due_at <= ? ORDER BY due_at, id",
            (ts(now),),
        )
        return [r["id"] for r in rows]

    async def mark_celebrated(
        self,
        tx: Transaction,
        milestone_id: int,
        *,
        now: datetime,
        late: bool,
        public: bool,
        congrats_due_at: datetime | None,
    ) -> bool:
        """'due' → 'celebrated'; False if someone else already moved it on."""
        changed = await tx.rowcount(
            "UPDATE milestones SET status = 'celebrated', celebrated_at = ?, late = ?, "
            "public = ?, congrats_due_at = ? WHERE id = ? AND status = 'due'",
            (ts(now), int(late), int(public), ts_or_none(congrats_due_at), milestone_id),
        )
        return changed == 1

    async def due_rows(self, now: datetime) -> list[MilestoneRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM milestones WHERE status = 'due' AND due_at <= ? ORDER BY due_at, id",
            (ts(now),),
        )
        return [_milestone(r) for r in rows]

    async def mark_stale_many(self, tx: Transaction, milestone_ids: list[int]) -> None:
        await tx.executemany(
            "UPDATE milestones SET status = 'recorded_stale' WHERE id = ? AND status = 'due'",
            [(i,) for i in milestone_ids],
        )

    async def mark_stale(self, tx: Transaction, milestone_id: int) -> bool:
        changed = await tx.rowcount(
            "UPDATE milestones SET status = 'recorded_stale' WHERE id = ? AND status = 'due'",
            (milestone_id,),
        )
        return changed == 1

    async def drop_pending_sobriety(self, tx: Transaction, user_id: int) -> int:
        """Forget sobriety milestones not yet celebrated (the date changed or restarted)."""
        return await tx.rowcount(
            "DELETE FROM milestones WHERE user_id = ? AND scheme = 'sobriety' AND status = 'due'",
            (user_id,),
        )

    async def for_user(self, user_id: int) -> list[MilestoneRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM milestones WHERE user_id = ? ORDER BY due_date, id", (user_id,)
        )
        return [_milestone(r) for r in rows]

    async def pending_between(
        self, user_ids: list[int], first: date, last: date
    ) -> list[MilestoneRow]:
        """Milestones recorded but not yet celebrated, due on local dates first … last."""
        if not user_ids:
            return []
        marks = ",".join("?" * len(user_ids))
        rows = await self.db.fetchall(
            f"SELECT * FROM milestones WHERE status = 'due' AND user_id IN ({marks}) "  # noqa: S608
            "AND due_date BETWEEN ? AND ? ORDER BY due_date, id",
            [*user_ids, day(first), day(last)],
        )
        return [_milestone(r) for r in rows]

    # ----- congratulations -------------------------------------------------------------

    async def add_congrats(
        self, tx: Transaction, milestone_id: int, from_user_id: int, now: datetime
    ) -> bool:
        """One per peer per milestone; False if this peer already sent theirs."""
        row_id = await tx.execute(
            "INSERT INTO milestone_congrats (milestone_id, from_user_id, at) VALUES (?, ?, ?) "
            "ON CONFLICT (milestone_id, from_user_id) DO NOTHING",
            (milestone_id, from_user_id, ts(now)),
        )
        return bool(row_id)

    async def congrats_for(self, milestone_id: int) -> list[Congrats]:
        rows = await self.db.fetchall(
            "SELECT * FROM milestone_congrats WHERE milestone_id = ? ORDER BY at, id",
            (milestone_id,),
        )
        return [_congrats(r) for r in rows]

    async def congrats_ready_ids(self, now: datetime) -> list[int]:
        """Public milestones whose collecting time ended and whose congrats are not sent."""
        rows = await self.db.fetchall(
            "SELECT id FROM milestones WHERE public = 1 AND congrats_sent_at IS NULL "
            "AND congrats_due_at IS NOT NULL AND congrats_due_at <= ? ORDER BY congrats_due_at",
            (ts(now),),
        )
        return [r["id"] for r in rows]

    async def mark_congrats_sent(self, tx: Transaction, milestone_id: int, now: datetime) -> bool:
        changed = await tx.rowcount(
            "UPDATE milestones SET congrats_sent_at = ? WHERE id = ? AND congrats_sent_at IS NULL",
            (ts(now), milestone_id),
        )
        return changed == 1

    async def congrats_given_by(self, user_id: int) -> list[Congrats]:
        rows = await self.db.fetchall(
            "SELECT * FROM milestone_congrats WHERE from_user_id = ? ORDER BY at, id", (user_id,)
        )
        return [_congrats(r) for r in rows]

    # ----- a member's data ---------------------------------------------------------------

    async def delete_for_user(self, tx: Transaction, user_id: int) -> dict[str, int]:
        """Everything about ``user_id``: their record, resets, milestones (with the
        congratulations on them) and the congratulations they gave."""
        received = await tx.rowcount(
            "DELETE FROM milestone_congrats WHERE milestone_id IN "
            "(SELECT id FROM milestones WHERE user_id = ?)",
            (user_id,),
        )
        given = await tx.rowcount(
            "DELETE FROM milestone_congrats WHERE from_user_id = ?", (user_id,)
        )
        return {
            "milestone_congrats": received + given,
            "milestones": await tx.rowcount("DELETE FROM milestones WHERE user_id = ?", (user_id,)),
            "sobriety_resets": await tx.rowcount(
                "DELETE FROM sobriety_resets WHERE user_id = ?", (user_id,)
            ),
            "sobriety_records": await tx.rowcount(
                "DELETE FROM sobriety_records WHERE user_id = ?", (user_id,)
            ),
        }
