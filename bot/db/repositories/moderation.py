"""Moderation cases, facilitator notes and channel-lock bookkeeping (all the SQL)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class ModCase:
    id: int
    member_id: int | None
    actor_id: int
    action: str
    reason: str | None
    duration_seconds: int | None
    channel_id: int | None
    message_id: int | None
    delivery: str | None
    warn_outbox_id: int | None
    mod_log_outbox_id: int | None
    mod_log_message_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ModNote:
    id: int
    member_id: int
    author_id: int
    body: str
    case_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LockOverwrite:
    channel_id: int
    target_id: int
    target_type: str  # role | member
    prior: str  # allow | deny | inherit
    case_id: int


def _case(row: sqlite3.Row) -> ModCase:
    return ModCase(
        id=row["id"],
        member_id=row["member_id"],
        actor_id=row["actor_id"],
        action=row["action"],
        reason=row["reason"],
        duration_seconds=row["duration_seconds"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        delivery=row["delivery"],
        warn_outbox_id=row["warn_outbox_id"],
        mod_log_outbox_id=row["mod_log_outbox_id"],
        mod_log_message_id=row["mod_log_message_id"],
        created_at=parse_ts(row["created_at"]),
    )


def _note(row: sqlite3.Row) -> ModNote:
    return ModNote(
        id=row["id"],
        member_id=row["member_id"],
        author_id=row["author_id"],
        body=row["body"],
        case_id=row["case_id"],
        created_at=parse_ts(row["created_at"]),
    )


class ModerationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- cases -------------------------------------------------------------------------

    async def add_case(
        self,
        tx: Transaction,
        *,
        member_id: int | None,
        actor_id: int,
        action: str,
        now: datetime,
        reason: str | None = None,
        duration_seconds: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
        delivery: str | None = None,
    ) -> int:
        return await tx.execute(
            "INSERT INTO mod_cases (member_id, actor_id, action, reason, duration_seconds, "
            "channel_id, message_id, delivery, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                member_id,
                actor_id,
                action,
                reason,
                duration_seconds,
                channel_id,
                message_id,
                delivery,
                ts(now),
            ),
        )

    async def set_outboxes(
        self,
        tx: Transaction,
        case_id: int,
        *,
        warn_outbox_id: int | None = None,
        mod_log_outbox_id: int | None = None,
    ) -> None:
        await tx.execute(
            "UPDATE mod_cases SET warn_outbox_id = COALESCE(?, warn_outbox_id), "
            "mod_log_outbox_id = COALESCE(?, mod_log_outbox_id) WHERE id = ?",
            (warn_outbox_id, mod_log_outbox_id, case_id),
        )

    async def set_delivery(self, tx: Transaction, case_id: int, delivery: str) -> None:
        await tx.execute("UPDATE mod_cases SET delivery = ? WHERE id = ?", (delivery, case_id))

    async def set_mod_log_message(self, tx: Transaction, case_id: int, message_id: int) -> None:
        await tx.execute(
            "UPDATE mod_cases SET mod_log_message_id = ? WHERE id = ?", (message_id, case_id)
        )

    async def get_case(self, case_id: int) -> ModCase | None:
        row = await self.db.fetchone("SELECT * FROM mod_cases WHERE id = ?", (case_id,))
        return None if row is None else _case(row)

    async def cases_for(self, member_id: int, limit: int = 25) -> list[ModCase]:
        rows = await self.db.fetchall(
            "SELECT * FROM mod_cases WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            (member_id, limit),
        )
        return [_case(r) for r in rows]

    async def count_cases_for(self, member_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM mod_cases WHERE member_id = ?", (member_id,)
            )
        )

    # ----- notes -------------------------------------------------------------------------

    async def add_note(
        self,
        tx: Transaction,
        *,
        member_id: int,
        author_id: int,
        body: str,
        case_id: int | None,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO mod_notes (member_id, author_id, body, case_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (member_id, author_id, body, case_id, ts(now)),
        )

    async def notes_for(self, member_id: int, limit: int = 25) -> list[ModNote]:
        rows = await self.db.fetchall(
            "SELECT * FROM mod_notes WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            (member_id, limit),
        )
        return [_note(r) for r in rows]

    # ----- channel locks -----------------------------------------------------------------

    async def lock_rows(self, channel_id: int) -> list[LockOverwrite]:
        rows = await self.db.fetchall(
            "SELECT * FROM mod_lock_overwrites WHERE channel_id = ? ORDER BY target_id",
            (channel_id,),
        )
        return [
            LockOverwrite(
                channel_id=r["channel_id"],
                target_id=r["target_id"],
                target_type=r["target_type"],
                prior=r["prior"],
                case_id=r["case_id"],
            )
            for r in rows
        ]

    async def add_lock_rows(
        self, tx: Transaction, case_id: int, rows: list[tuple[int, int, str, str]]
    ) -> None:
        """``rows``: (channel id, target id, target type, prior)."""
        await tx.executemany(
            "INSERT INTO mod_lock_overwrites (channel_id, target_id, target_type, prior, case_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [(c, t, kind, prior, case_id) for c, t, kind, prior in rows],
        )

    async def clear_lock(self, tx: Transaction, channel_id: int) -> int:
        return await tx.rowcount(
            "DELETE FROM mod_lock_overwrites WHERE channel_id = ?", (channel_id,)
        )

    # ----- export, delete, retention -----------------------------------------------------

    async def delete_notes_for(self, tx: Transaction, member_id: int) -> int:
        return await tx.rowcount("DELETE FROM mod_notes WHERE member_id = ?", (member_id,))

    async def count_notes_for(self, member_id: int) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM mod_notes WHERE member_id = ?", (member_id,)
            )
        )

    async def purge_before(self, tx: Transaction, cutoff: datetime) -> dict[str, int]:
        notes = await tx.rowcount("DELETE FROM mod_notes WHERE created_at < ?", (ts(cutoff),))
        cases = await tx.rowcount(
            "DELETE FROM mod_cases WHERE created_at < ? AND id NOT IN "
            "(SELECT case_id FROM mod_lock_overwrites)",
            (ts(cutoff),),
        )
        return {"mod_notes": notes, "mod_cases": cases}
