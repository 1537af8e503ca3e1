"""Family-therapy sessions, the answers to them, and the accounting of disclosures."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction
from bot.db.repositories.ledger import DISCLOSURES, LedgerRepository


@dataclass(frozen=True, slots=True)
class FamilySession:
    id: int
    client_id: int
    facilitator_id: int
    facilitator_name: str
    starts_at: datetime
    duration_minutes: int
    place: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, slots=True)
class Response:
    session_id: int
    responder_id: int
    answer: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Disclosure:
    id: int
    disclosed_at: datetime
    client_id: int
    recipient_contact_id: int
    recipient_user_id: int
    recipient_name: str
    category: str
    purpose: str
    consent_id: int
    sender: str
    outbox_id: int
    session_id: int
    stage: str


def _session(row: sqlite3.Row) -> FamilySession:
    return FamilySession(
        id=row["id"],
        client_id=row["client_id"],
        facilitator_id=row["facilitator_id"],
        facilitator_name=row["facilitator_name"],
        starts_at=parse_ts(row["starts_at"]),
        duration_minutes=row["duration_minutes"],
        place=row["place"],
        status=row["status"],
        version=row["version"],
        created_at=parse_ts(row["created_at"]),
        updated_at=parse_ts(row["updated_at"]),
    )


def _disclosure(row: sqlite3.Row) -> Disclosure:
    return Disclosure(
        id=row["id"],
        disclosed_at=parse_ts(row["disclosed_at"]),
        client_id=row["client_id"],
        recipient_contact_id=row["recipient_contact_id"],
        recipient_user_id=row["recipient_user_id"],
        recipient_name=row["recipient_name"],
        category=row["category"],
        purpose=row["purpose"],
        consent_id=row["consent_id"],
        sender=row["sender"],
        outbox_id=row["outbox_id"],
        session_id=row["session_id"],
        stage=row["stage"],
    )


class FamilySessionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- sessions ---------------------------------------------------------------------

    async def add(
        self,
        tx: Transaction,
        *,
        client_id: int,
        facilitator_id: int,
        facilitator_name: str,
        starts_at: datetime,
        duration_minutes: int,
        place: str,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO family_sessions (client_id, facilitator_id, facilitator_name, "
            "starts_at, duration_minutes, place, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                client_id,
                facilitator_id,
                facilitator_name,
                ts(starts_at),
                duration_minutes,
                place,
                ts(now),
                ts(now),
            ),
        )

    async def get(self, session_id: int) -> FamilySession | None:
        row = await self.db.fetchone("SELECT * FROM family_sessions WHERE id = ?", (session_id,))
        return None if row is None else _session(row)

    async def get_in(self, tx: Transaction, session_id: int) -> FamilySession | None:
        row = await tx.fetchone("SELECT * FROM family_sessions WHERE id = ?", (session_id,))
        return None if row is None else _session(row)

    async def change(
        self,
        tx: Transaction,
        session_id: int,
        *,
        starts_at: datetime,
        duration_minutes: int,
        place: str,
        facilitator_id: int,
        facilitator_name: str,
        now: datetime,
    ) -> None:
        await tx.execute(
            "UPDATE family_sessions SET starts_at = ?, duration_minutes = ?, place = ?, "
            "facilitator_id = ?, facilitator_name = ?, status = 'rescheduled', "
            "version = version + 1, updated_at = ? WHERE id = ?",
            (
                ts(starts_at),
                duration_minutes,
                place,
                facilitator_id,
                facilitator_name,
                ts(now),
                session_id,
            ),
        )

    async def cancel(self, tx: Transaction, session_id: int, now: datetime) -> bool:
        return (
            await tx.rowcount(
                "UPDATE family_sessions SET status = 'cancelled', version = version + 1, "
                "updated_at = ? WHERE id = ? AND status <> 'cancelled'",
                (ts(now), session_id),
            )
            == 1
        )

    async def upcoming_in(self, tx: Transaction, now: datetime) -> list[FamilySession]:
        rows = await tx.fetchall(
            "SELECT * FROM family_sessions WHERE status <> 'cancelled' AND starts_at > ? "
            "ORDER BY starts_at, id",
            (ts(now),),
        )
        return [_session(r) for r in rows]

    async def upcoming_for_client_in(
        self, tx: Transaction, client_id: int, now: datetime
    ) -> list[FamilySession]:
        rows = await tx.fetchall(
            "SELECT * FROM family_sessions WHERE client_id = ? AND status <> 'cancelled' "
            "AND starts_at > ? ORDER BY starts_at, id",
            (client_id, ts(now)),
        )
        return [_session(r) for r in rows]

    async def list_from(
        self, since: datetime, client_id: int | None = None, limit: int = 25
    ) -> list[FamilySession]:
        if client_id is None:
            rows = await self.db.fetchall(
                "SELECT * FROM family_sessions WHERE starts_at >= ? ORDER BY starts_at, id LIMIT ?",
                (ts(since), limit),
            )
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM family_sessions WHERE starts_at >= ? AND client_id = ? "
                "ORDER BY starts_at, id LIMIT ?",
                (ts(since), client_id, limit),
            )
        return [_session(r) for r in rows]

    async def for_client(self, client_id: int) -> list[FamilySession]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_sessions WHERE client_id = ? ORDER BY starts_at, id",
            (client_id,),
        )
        return [_session(r) for r in rows]

    async def delete_for_client(self, tx: Transaction, client_id: int) -> dict[str, int]:
        responses = await tx.rowcount(
            "DELETE FROM family_responses WHERE session_id IN "
            "(SELECT id FROM family_sessions WHERE client_id = ?)",
            (client_id,),
        )
        sessions = await tx.rowcount(
            "DELETE FROM family_sessions WHERE client_id = ?", (client_id,)
        )
        return {"family_responses": responses, "family_sessions": sessions}

    # ----- responses --------------------------------------------------------------------

    async def respond(
        self, tx: Transaction, session_id: int, responder_id: int, answer: str, now: datetime
    ) -> str | None:
        """Record the answer; return the one it replaced (None if it is the first)."""
        earlier = await tx.fetchone(
            "SELECT answer FROM family_responses WHERE session_id = ? AND responder_id = ?",
            (session_id, responder_id),
        )
        await tx.execute(
            "INSERT INTO family_responses (session_id, responder_id, answer, at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (session_id, responder_id) "
            "DO UPDATE SET answer = excluded.answer, at = excluded.at",
            (session_id, responder_id, answer, ts(now)),
        )
        return None if earlier is None else str(earlier["answer"])

    async def responses(self, session_id: int) -> list[Response]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_responses WHERE session_id = ? ORDER BY at, id", (session_id,)
        )
        return [
            Response(r["session_id"], r["responder_id"], r["answer"], parse_ts(r["at"]))
            for r in rows
        ]

    async def responses_by(self, responder_id: int) -> list[Response]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_responses WHERE responder_id = ? ORDER BY at, id",
            (responder_id,),
        )
        return [
            Response(r["session_id"], r["responder_id"], r["answer"], parse_ts(r["at"]))
            for r in rows
        ]

    async def delete_responses_by(self, tx: Transaction, responder_id: int) -> int:
        return await tx.rowcount(
            "DELETE FROM family_responses WHERE responder_id = ?", (responder_id,)
        )

    # ----- disclosures (append-only) ----------------------------------------------------

    async def record_disclosure(
        self,
        tx: Transaction,
        *,
        disclosed_at: datetime,
        client_id: int,
        recipient_contact_id: int,
        recipient_user_id: int,
        recipient_name: str,
        category: str,
        purpose: str,
        consent_id: int,
        sender: str,
        outbox_id: int,
        session_id: int,
        stage: str,
    ) -> bool:
        """One row per notice sent; a second call for the same outbox row does nothing."""
        exists = await tx.fetchone(
            "SELECT 1 FROM family_disclosures WHERE outbox_id = ?", (outbox_id,)
        )
        if exists is not None:
            return False
        await LedgerRepository(self.db).append(
            tx,
            DISCLOSURES,
            {
                "disclosed_at": ts(disclosed_at),
                "client_id": client_id,
                "recipient_contact_id": recipient_contact_id,
                "recipient_user_id": recipient_user_id,
                "recipient_name": recipient_name,
                "category": category,
                "purpose": purpose,
                "consent_id": consent_id,
                "sender": sender,
                "outbox_id": outbox_id,
                "session_id": session_id,
                "stage": stage,
            },
        )
        return True

    async def disclosures_for_client(self, client_id: int) -> list[Disclosure]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_disclosures WHERE client_id = ? ORDER BY disclosed_at, id",
            (client_id,),
        )
        return [_disclosure(r) for r in rows]

    async def disclosures_to_user(self, user_id: int) -> list[Disclosure]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_disclosures WHERE recipient_user_id = ? "
            "ORDER BY disclosed_at, id",
            (user_id,),
        )
        return [_disclosure(r) for r in rows]

    async def purge_disclosures(self, tx: Transaction, before: datetime, now: datetime) -> int:
        """Remove the oldest rows before ``before`` through the recorded purge path."""
        return await LedgerRepository(self.db).purge_before(tx, DISCLOSURES, before, now)
