"""One aiosqlite connection, explicit transactions, and small read helpers.

The connection runs with ``isolation_level=None`` so sqlite3 never opens a transaction
behind our back; every write unit is ``async with db.transaction() as tx`` which is
``BEGIN IMMEDIATE … COMMIT`` under an ``asyncio.Lock`` (shared/PITFALLS.md). Never call
Discord inside a transaction.

Reads outside a transaction never see another task's uncommitted writes: a file database
reads on a second connection (``query_only``; WAL gives it the last committed state), and
an in-memory one (a second connection would be another database) reads under the lock.
A task that holds the transaction reads on the writing connection and sees its own writes.

A transaction always ends with the connection out of its transaction: a cancelled
``BEGIN`` (still queued on aiosqlite's thread), a failed ``COMMIT`` or a cancelled body
are cleaned up with a check of ``in_transaction`` (shielded from a second cancel), and a
``ROLLBACK`` that fails because SQLite already rolled back never hides the first error.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.files import database_files, make_private, open_new_private

JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024

Params = Sequence[Any] | dict[str, Any]

log = logging.getLogger("iopbot.db")


class Transaction:
    """The handle a repository writes through; only valid inside ``db.transaction()``."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._savepoints = itertools.count(1)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested unit: an exception rolls back only what ran inside it (then re-raises)."""
        name = f"sp{next(self._savepoints)}"
        await self.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await asyncio.shield(self._undo(name))
            raise
        else:
            await self.execute(f"RELEASE {name}")

    async def _undo(self, name: str) -> None:
        await self.execute(f"ROLLBACK TO {name}")
        await self.execute(f"RELEASE {name}")

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
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        # Tasks that committed a write (the error handler asks: was anything saved?).
        self._committed: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()

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
            self._reader = await self._open_reader()

    async def _open_reader(self) -> aiosqlite.Connection:
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        reader.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}",
            # the same privacy settings as the writer, so what a read reports is the truth
            "PRAGMA secure_delete=ON",
            f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}",
            "PRAGMA query_only=ON",
        ):
            async with reader.execute(pragma) as cursor:
                await cursor.fetchall()
        return reader

    async def close(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            await reader.close()
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
            self._owner = asyncio.current_task()
            try:
                try:
                    await self._run(conn, "BEGIN IMMEDIATE")
                except BaseException:
                    await self._settle(conn)
                    raise
                try:
                    yield Transaction(conn)
                except BaseException:
                    await self._settle(conn)
                    raise
                try:
                    await self._run(conn, "COMMIT")
                except BaseException:
                    await self._settle(conn)
                    raise
                if self._owner is not None:
                    self._committed.add(self._owner)
            finally:
                self._owner = None

    async def _settle(self, conn: aiosqlite.Connection) -> None:
        """Leave the connection outside any transaction, whatever state it is in.

        Shielded: a second cancel must not leave the clean-up half done with the lock
        released. Errors here are logged, never raised over the original one.
        """
        cleanup = asyncio.ensure_future(self._rollback_if_open(conn))
        while True:
            try:
                await asyncio.shield(cleanup)
                return
            except asyncio.CancelledError:
                if cleanup.done():
                    return
                # cancelled again while cleaning up: finish first; the caller re-raises
            except Exception as exc:
                log.error("db.rollback_failed", extra={"error": type(exc).__name__})
                return

    @staticmethod
    async def _rollback_if_open(conn: aiosqlite.Connection) -> None:
        # Queued behind any statement still waiting on aiosqlite's thread (a cancelled
        # BEGIN still runs), so in_transaction is read after it.
        await Database._run(conn, "SELECT 1")
        if conn.in_transaction:
            await Database._run(conn, "ROLLBACK")

    @staticmethod
    async def _run(conn: aiosqlite.Connection, sql: str) -> None:
        cursor = await conn.execute(sql)
        await cursor.close()

    def committed_in_current_task(self) -> bool:
        """Whether the running task (e.g. one interaction's handler) committed a write."""
        task = asyncio.current_task()
        return task is not None and task in self._committed

    def _holds_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def _read_conn(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._holds_transaction():
            yield self.conn
        elif self._reader is not None:
            yield self._reader
        else:
            async with self._lock:
                yield self.conn

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._read_conn() as conn, conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._read_conn() as conn, conn.execute(sql, params) as cursor:
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
