"""One aiosqlite connection, explicit transactions, and small read helpers.

The connection runs with ``isolation_level=None`` so sqlite3 never opens a transaction
behind our back; every write unit is ``async with db.transaction() as tx`` which is
``BEGIN IMMEDIATE … COMMIT`` under an ``asyncio.Lock`` (shared/PITFALLS.md). Never call
Discord inside a transaction.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.files import database_files, make_private, open_new_private

JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024

Params = Sequence[Any] | dict[str, Any]


class Transaction:
    """The handle a repository writes through; only valid inside ``db.transaction()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last row id (for INSERT) or the row count."""
        cursor = await self._conn.execute(sql, params)
        try:
            if sql.lstrip().upper().startswith("INSERT") and cursor.rowcount == 1:
                return int(cursor.lastrowid or 0)
            return int(cursor.rowcount)
        finally:
            await cursor.close()

    async def rowcount(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        try:
            return int(cursor.rowcount)
        finally:
            await cursor.close()

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        cursor = await self._conn.executemany(sql, rows)
        await cursor.close()

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class Database:
    def __init__(self, path: Path | str, *, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self._busy_timeout_ms = busy_timeout_ms
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    async def connect(self) -> None:
        if self._conn is not None:
            return
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}",
            "PRAGMA synchronous=NORMAL",
            # Deleted rows are overwritten, not left in free pages; the WAL is cut back
            # to this size after a checkpoint (docs/DATA.md, "Deleted data").
            "PRAGMA secure_delete=ON",
            f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}",
        ):
            async with conn.execute(pragma) as cursor:
                await cursor.fetchall()
        self._conn = conn
        if str(self.path) != ":memory:":
            for path in database_files(self.path):
                make_private(path)

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not connected")
        return self._conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock:
            conn = self.conn
            await self._run(conn, "BEGIN IMMEDIATE")
            try:
                yield Transaction(conn)
            except BaseException:
                await self._run(conn, "ROLLBACK")
                raise
            else:
                await self._run(conn, "COMMIT")

    @staticmethod
    async def _run(conn: aiosqlite.Connection, sql: str) -> None:
        cursor = await conn.execute(sql)
        await cursor.close()

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it, so deleted rows leave no copy
        in the WAL (call after deletions and purges). False if a reader kept it busy."""
        async with self._lock, self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
        return row is None or row[0] == 0

    async def backup_to(self, target: Path) -> None:
        """Copy the live database with SQLite's online backup API into a new ``0600``
        file; refuse if anything is at ``target`` already, a symlink included."""
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(open_new_private(target))
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()
        for path in database_files(target):
            make_private(path)
