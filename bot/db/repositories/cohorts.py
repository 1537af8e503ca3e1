"""Cohorts: a group's private channel, its membership history and agreement acceptances.

A client belongs to at most one cohort at a time (a partial UNIQUE index); moving or
removing a client ends the current membership row (``left_at``) and keeps it as history.
"""

from __future__ import annotations

import builtins
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class Cohort:
    id: int
    guild_id: int
    name: str
    channel_id: int
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    id: int
    cohort_id: int
    user_id: int
    joined_at: datetime
    added_by: int
    left_at: datetime | None
    removed_by: int | None
    left_reason: str | None

    @property
    def is_current(self) -> bool:
        return self.left_at is None


@dataclass(frozen=True, slots=True)
class Acceptance:
    cohort_id: int
    user_id: int
    agreement_version: str
    accepted_at: datetime


def _cohort(row: sqlite3.Row) -> Cohort:
    return Cohort(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        channel_id=row["channel_id"],
        created_by=row["created_by"],
        created_at=parse_ts(row["created_at"]),
    )


def _membership(row: sqlite3.Row) -> Membership:
    return Membership(
        id=row["id"],
        cohort_id=row["cohort_id"],
        user_id=row["user_id"],
        joined_at=parse_ts(row["joined_at"]),
        added_by=row["added_by"],
        left_at=parse_ts_or_none(row["left_at"]),
        removed_by=row["removed_by"],
        left_reason=row["left_reason"],
    )


def _acceptance(row: sqlite3.Row) -> Acceptance:
    return Acceptance(
        cohort_id=row["cohort_id"],
        user_id=row["user_id"],
        agreement_version=row["agreement_version"],
        accepted_at=parse_ts(row["accepted_at"]),
    )


class CohortRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- cohorts ------------------------------------------------------------------

    async def list(self) -> list[Cohort]:
        rows = await self.db.fetchall("SELECT * FROM cohorts ORDER BY name, id")
        return [_cohort(r) for r in rows]

    async def get(self, cohort_id: int) -> Cohort | None:
        row = await self.db.fetchone("SELECT * FROM cohorts WHERE id = ?", (cohort_id,))
        return None if row is None else _cohort(row)

    async def by_name(self, name: str) -> Cohort | None:
        row = await self.db.fetchone(
            "SELECT * FROM cohorts WHERE name = ? COLLATE NOCASE", (name.strip(),)
        )
        return None if row is None else _cohort(row)

    async def by_channel(self, channel_id: int) -> Cohort | None:
        row = await self.db.fetchone("SELECT * FROM cohorts WHERE channel_id = ?", (channel_id,))
        return None if row is None else _cohort(row)

    async def create(
        self,
        tx: Transaction,
        *,
        guild_id: int,
        name: str,
        channel_id: int,
        created_by: int,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO cohorts (guild_id, name, channel_id, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (guild_id, name, channel_id, created_by, ts(now)),
        )

    # ----- membership ---------------------------------------------------------------

    async def members(self, cohort_id: int) -> builtins.list[int]:
        """User ids of the cohort's current members, in the order they joined."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM cohort_members WHERE cohort_id = ? AND left_at IS NULL "
            "ORDER BY joined_at, id",
            (cohort_id,),
        )
        return [int(r["user_id"]) for r in rows]

    async def members_ever(self, cohort_id: int) -> builtins.list[int]:
        """Everyone who has been in the cohort (current and former), first join first."""
        rows = await self.db.fetchall(
            "SELECT user_id, MIN(joined_at) AS first FROM cohort_members WHERE cohort_id = ? "
            "GROUP BY user_id ORDER BY first, user_id",
            (cohort_id,),
        )
        return [int(r["user_id"]) for r in rows]

    async def member_counts(self) -> dict[int, int]:
        rows = await self.db.fetchall(
            "SELECT cohort_id, COUNT(*) AS n FROM cohort_members WHERE left_at IS NULL "
            "GROUP BY cohort_id"
        )
        return {int(r["cohort_id"]): int(r["n"]) for r in rows}

    async def current_membership(self, user_id: int) -> Membership | None:
        row = await self.db.fetchone(
            "SELECT * FROM cohort_members WHERE user_id = ? AND left_at IS NULL", (user_id,)
        )
        return None if row is None else _membership(row)

    async def current_membership_in(self, tx: Transaction, user_id: int) -> Membership | None:
        row = await tx.fetchone(
            "SELECT * FROM cohort_members WHERE user_id = ? AND left_at IS NULL", (user_id,)
        )
        return None if row is None else _membership(row)

    async def cohort_for_client(self, user_id: int) -> Cohort | None:
        row = await self.db.fetchone(
            "SELECT c.* FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id "
            "WHERE m.user_id = ? AND m.left_at IS NULL",
            (user_id,),
        )
        return None if row is None else _cohort(row)

    async def channel_for_client(self, user_id: int) -> int | None:
        """The Discord channel id of the client's current cohort, or None."""
        cohort = await self.cohort_for_client(user_id)
        return None if cohort is None else cohort.channel_id

    async def history(self, user_id: int) -> builtins.list[Membership]:
        rows = await self.db.fetchall(
            "SELECT * FROM cohort_members WHERE user_id = ? ORDER BY joined_at, id", (user_id,)
        )
        return [_membership(r) for r in rows]

    async def join(
        self, tx: Transaction, *, cohort_id: int, user_id: int, added_by: int, now: datetime
    ) -> int:
        """Start a membership; the caller ends any current one first (:meth:`leave`)."""
        return await tx.execute(
            "INSERT INTO cohort_members (cohort_id, user_id, joined_at, added_by) "
            "VALUES (?, ?, ?, ?)",
            (cohort_id, user_id, ts(now), added_by),
        )

    async def leave(
        self, tx: Transaction, *, user_id: int, removed_by: int, reason: str, now: datetime
    ) -> Membership | None:
        """End the user's current membership (kept as history); return it, or None."""
        current = await self.current_membership_in(tx, user_id)
        if current is None:
            return None
        await tx.execute(
            "UPDATE cohort_members SET left_at = ?, removed_by = ?, left_reason = ? WHERE id = ?",
            (ts(now), removed_by, reason, current.id),
        )
        return current

    # ----- agreement ----------------------------------------------------------------

    async def has_accepted(self, cohort_id: int, user_id: int, version: str) -> bool:
        value = await self.db.fetchval(
            "SELECT 1 FROM agreement_acceptances "
            "WHERE cohort_id = ? AND user_id = ? AND agreement_version = ?",
            (cohort_id, user_id, version),
        )
        return value is not None

    async def accept(
        self, tx: Transaction, *, cohort_id: int, user_id: int, version: str, now: datetime
    ) -> bool:
        """Record acceptance; False if this version was already accepted."""
        changed = await tx.rowcount(
            "INSERT OR IGNORE INTO agreement_acceptances "
            "(cohort_id, user_id, agreement_version, accepted_at) VALUES (?, ?, ?, ?)",
            (cohort_id, user_id, version, ts(now)),
        )
        return changed == 1

    async def acceptances(self, user_id: int) -> builtins.list[Acceptance]:
        rows = await self.db.fetchall(
            "SELECT * FROM agreement_acceptances WHERE user_id = ? ORDER BY accepted_at",
            (user_id,),
        )
        return [_acceptance(r) for r in rows]

    async def accepted_among(self, cohort_id: int, version: str) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM agreement_acceptances "
            "WHERE cohort_id = ? AND agreement_version = ?",
            (cohort_id, version),
        )
        return {int(r["user_id"]) for r in rows}

    # ----- data rights --------------------------------------------------------------

    async def delete_user(self, tx: Transaction, user_id: int) -> dict[str, int]:
        acceptances = await tx.rowcount(
            "DELETE FROM agreement_acceptances WHERE user_id = ?", (user_id,)
        )
        memberships = await tx.rowcount("DELETE FROM cohort_members WHERE user_id = ?", (user_id,))
        return {"agreement_acceptances": acceptances, "cohort_members": memberships}
