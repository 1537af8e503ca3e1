"""The care line: each client's staff thread, conversations, and the messages in them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class CareThread:
    client_id: int
    channel_id: int
    thread_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    client_id: int
    opened_at: datetime
    opened_by: int
    closed_at: datetime | None
    closed_by: int | None


@dataclass(frozen=True, slots=True)
class CareMessage:
    id: int
    conversation_id: int | None  # None: a staff note written between conversations
    client_id: int
    direction: str  # "in" (client), "out" (staff reply), "note" (staff, not relayed)
    author_id: int
    text: str
    attachments: tuple[dict[str, Any], ...]
    discord_message_id: int | None
    created_at: datetime


def _thread(row: sqlite3.Row) -> CareThread:
    return CareThread(
        client_id=row["client_id"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        created_at=parse_ts(row["created_at"]),
    )


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"],
        client_id=row["client_id"],
        opened_at=parse_ts(row["opened_at"]),
        opened_by=row["opened_by"],
        closed_at=parse_ts(row["closed_at"]) if row["closed_at"] else None,
        closed_by=row["closed_by"],
    )


def _message(row: sqlite3.Row) -> CareMessage:
    return CareMessage(
        id=row["id"],
        conversation_id=row["conversation_id"],
        client_id=row["client_id"],
        direction=row["direction"],
        author_id=row["author_id"],
        text=row["text"],
        attachments=tuple(json.loads(row["attachments"] or "[]")),
        discord_message_id=row["discord_message_id"],
        created_at=parse_ts(row["created_at"]),
    )


class CarelineRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- threads -----------------------------------------------------------------------

    async def thread_for(self, client_id: int, tx: Transaction | None = None) -> CareThread | None:
        """``tx``: read inside the caller's transaction (it sees the caller's writes)."""
        sql, params = "SELECT * FROM careline_threads WHERE client_id = ?", (client_id,)
        row = await (tx.fetchone(sql, params) if tx else self.db.fetchone(sql, params))
        return _thread(row) if row else None

    async def client_for_thread(self, thread_id: int) -> int | None:
        row = await self.db.fetchone(
            "SELECT client_id FROM careline_threads WHERE thread_id = ?", (thread_id,)
        )
        return int(row["client_id"]) if row else None

    async def all_thread_ids(self) -> set[int]:
        rows = await self.db.fetchall("SELECT thread_id FROM careline_threads")
        return {int(r["thread_id"]) for r in rows}

    async def save_thread(
        self, tx: Transaction, client_id: int, channel_id: int, thread_id: int, now: datetime
    ) -> None:
        await tx.execute(
            "INSERT INTO careline_threads (client_id, channel_id, thread_id, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, thread_id = excluded.thread_id, "
            "created_at = excluded.created_at",
            (client_id, channel_id, thread_id, ts(now)),
        )

    async def forget_thread(self, tx: Transaction, thread_id: int) -> int:
        """Drop a thread that no longer exists (the next message makes a new one)."""
        return await tx.rowcount("DELETE FROM careline_threads WHERE thread_id = ?", (thread_id,))

    # ----- conversations -----------------------------------------------------------------

    async def open_conversation(
        self, client_id: int, tx: Transaction | None = None
    ) -> Conversation | None:
        sql = "SELECT * FROM careline_conversations WHERE client_id = ? AND closed_at IS NULL"
        params = (client_id,)
        row = await (tx.fetchone(sql, params) if tx else self.db.fetchone(sql, params))
        return _conversation(row) if row else None

    async def ensure_open(
        self, tx: Transaction, client_id: int, opened_by: int, now: datetime
    ) -> tuple[int, bool]:
        """The client's open conversation id, opening one if none is; (id, newly opened)."""
        row = await tx.fetchone(
            "SELECT id FROM careline_conversations WHERE client_id = ? AND closed_at IS NULL",
            (client_id,),
        )
        if row is not None:
            return int(row["id"]), False
        new_id = await tx.execute(
            "INSERT INTO careline_conversations (client_id, opened_at, opened_by) VALUES (?, ?, ?)",
            (client_id, ts(now), opened_by),
        )
        return new_id, True

    async def close(self, tx: Transaction, client_id: int, closed_by: int, now: datetime) -> int:
        """Close the open conversation; return its id (0 when none was open)."""
        row = await tx.fetchone(
            "SELECT id FROM careline_conversations WHERE client_id = ? AND closed_at IS NULL",
            (client_id,),
        )
        if row is None:
            return 0
        await tx.execute(
            "UPDATE careline_conversations SET closed_at = ?, closed_by = ? WHERE id = ?",
            (ts(now), closed_by, row["id"]),
        )
        return int(row["id"])

    async def conversations_for(self, client_id: int) -> list[Conversation]:
        rows = await self.db.fetchall(
            "SELECT * FROM careline_conversations WHERE client_id = ? ORDER BY id", (client_id,)
        )
        return [_conversation(r) for r in rows]

    # ----- messages ----------------------------------------------------------------------

    async def add_message(
        self,
        tx: Transaction,
        *,
        conversation_id: int | None,
        client_id: int,
        direction: str,
        author_id: int,
        text: str,
        attachments: list[dict[str, Any]],
        discord_message_id: int | None,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO careline_messages (conversation_id, client_id, direction, author_id, "
            "text, attachments, discord_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                client_id,
                direction,
                author_id,
                text,
                json.dumps(attachments, separators=(",", ":")),
                discord_message_id,
                ts(now),
            ),
        )

    async def seen(self, tx: Transaction, discord_message_id: int, direction: str) -> bool:
        """Was this Discord message already stored (a re-delivered event)?"""
        row = await tx.fetchone(
            "SELECT 1 FROM careline_messages WHERE discord_message_id = ? AND direction = ?",
            (discord_message_id, direction),
        )
        return row is not None

    async def messages_for(self, client_id: int) -> list[CareMessage]:
        rows = await self.db.fetchall(
            "SELECT * FROM careline_messages WHERE client_id = ? ORDER BY id", (client_id,)
        )
        return [_message(r) for r in rows]

    async def count_from_client_since(self, client_id: int, since: datetime) -> int:
        """The client's own messages since ``since`` (the per-client rate limit)."""
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM careline_messages "
                "WHERE client_id = ? AND direction = 'in' AND created_at >= ?",
                (client_id, ts(since)),
            )
        )

    # ----- data contract -----------------------------------------------------------------

    async def delete_for(self, tx: Transaction, client_id: int) -> dict[str, int]:
        return {
            "careline_messages": await tx.rowcount(
                "DELETE FROM careline_messages WHERE client_id = ?", (client_id,)
            ),
            "careline_conversations": await tx.rowcount(
                "DELETE FROM careline_conversations WHERE client_id = ?", (client_id,)
            ),
            "careline_threads": await tx.rowcount(
                "DELETE FROM careline_threads WHERE client_id = ?", (client_id,)
            ),
        }

    async def purge_before(self, tx: Transaction, cutoff: datetime) -> dict[str, int]:
        """Messages older than ``cutoff``, then closed conversations left with none."""
        messages = await tx.rowcount(
            "DELETE FROM careline_messages WHERE created_at < ?", (ts(cutoff),)
        )
        conversations = await tx.rowcount(
            "DELETE FROM careline_conversations WHERE closed_at IS NOT NULL AND closed_at < ? "
            "AND NOT EXISTS (SELECT 1 FROM careline_messages m "
            "WHERE m.conversation_id = careline_conversations.id)",
            (ts(cutoff),),
        )
        return {"careline_messages": messages, "careline_conversations": conversations}
