"""Enrolled clients: the one domain entity every feature shares."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.db.codec import day, parse_day, parse_ts, ts
from bot.db.database import Database, Transaction

ACTIVE_STATUSES = ("active", "stepped_down")


@dataclass(frozen=True, slots=True)
class Client:
    user_id: int
    guild_id: int
    display_name: str
    timezone: ZoneInfo
    program_start: date
    status: str
    enrolled_by: int
    enrolled_at: datetime
    updated_at: datetime
    record_name: str | None = None  # the name for clinical documents (consent), if recorded

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def document_name(self) -> str:
        """The client's name on a consent: the recorded name, else the display name."""
        return self.record_name or self.display_name


def _client(row: sqlite3.Row) -> Client:
    return Client(
        user_id=row["user_id"],
        guild_id=row["guild_id"],
        display_name=row["display_name"],
        timezone=ZoneInfo(row["timezone"]),
        program_start=parse_day(row["program_start"]),
        status=row["status"],
        enrolled_by=row["enrolled_by"],
        enrolled_at=parse_ts(row["enrolled_at"]),
        updated_at=parse_ts(row["updated_at"]),
        record_name=row["record_name"],
    )


class ClientRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> Client | None:
        row = await self.db.fetchone("SELECT * FROM clients WHERE user_id = ?", (user_id,))
        return None if row is None else _client(row)

    async def get_in(self, tx: Transaction, user_id: int) -> Client | None:
        row = await tx.fetchone("SELECT * FROM clients WHERE user_id = ?", (user_id,))
        return None if row is None else _client(row)

    async def list_active(self) -> list[Client]:
        rows = await self.db.fetchall(
            "SELECT * FROM clients WHERE status IN (?, ?) ORDER BY display_name, user_id",
            ACTIVE_STATUSES,
        )
        return [_client(r) for r in rows]

    async def list_all(self) -> list[Client]:
        rows = await self.db.fetchall("SELECT * FROM clients ORDER BY display_name, user_id")
        return [_client(r) for r in rows]

    async def enroll(
        self,
        tx: Transaction,
        *,
        user_id: int,
        guild_id: int,
        display_name: str,
        timezone: ZoneInfo,
        program_start: date,
        enrolled_by: int,
        now: datetime,
        record_name: str | None = None,
    ) -> bool:
        """Enroll or re-enroll; return True if the client was new.

        ``timezone`` is stored for a new client only: a re-enrollment keeps the zone, which
        changes through ``bot.services.timezones.set_client_timezone`` (it re-plans the
        prompts). A re-enrollment without ``record_name`` keeps the name recorded before."""
        existing = await tx.fetchone("SELECT 1 FROM clients WHERE user_id = ?", (user_id,))
        await tx.execute(
            "INSERT INTO clients (user_id, guild_id, display_name, timezone, program_start, "
            "status, enrolled_by, enrolled_at, updated_at, record_name) "
            "VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, "
            "program_start = excluded.program_start, "
            "status = 'active', updated_at = excluded.updated_at, "
            "record_name = COALESCE(excluded.record_name, clients.record_name)",
            (
                user_id,
                guild_id,
                display_name,
                timezone.key,
                day(program_start),
                enrolled_by,
                ts(now),
                ts(now),
                record_name,
            ),
        )
        return existing is None

    async def set_timezone(
        self, tx: Transaction, user_id: int, timezone: ZoneInfo, now: datetime
    ) -> None:
        await tx.execute(
            "UPDATE clients SET timezone = ?, updated_at = ? WHERE user_id = ?",
            (timezone.key, ts(now), user_id),
        )

    async def set_status(self, tx: Transaction, user_id: int, status: str, now: datetime) -> None:
        await tx.execute(
            "UPDATE clients SET status = ?, updated_at = ? WHERE user_id = ?",
            (status, ts(now), user_id),
        )

    async def delete(self, tx: Transaction, user_id: int) -> int:
        return await tx.rowcount("DELETE FROM clients WHERE user_id = ?", (user_id,))
