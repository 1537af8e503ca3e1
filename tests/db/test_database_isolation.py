"""Issue 21 items 2 and 3: reads see only committed data; a transaction never wedges."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.db.database import Database


@pytest.fixture(params=["file", "memory"])
async def db(request, tmp_path):
    path = tmp_path / "t.sqlite3" if request.param == "file" else ":memory:"
    database = Database(path)
    await database.connect()
    async with database.transaction() as tx:
        await tx.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    yield database
    await database.close()


async def test_item_2_reads_do_not_see_uncommitted_writes(db):
    written = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute("INSERT INTO t (v) VALUES ('never committed')")
                written.set()
                await release.wait()
                raise RuntimeError("roll it back")

    task = asyncio.create_task(writer())
    await written.wait()
    read = asyncio.create_task(db.fetchval("SELECT COUNT(*) FROM t"))
    await asyncio.sleep(0.05)
    release.set()
    await task
    assert await read == 0
    assert await db.fetchval("SELECT COUNT(*) FROM t") == 0


async def test_item_2_a_transaction_reads_its_own_writes(db):
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t (v) VALUES ('mine')")
        assert await db.fetchval("SELECT v FROM t") == "mine"
    assert await db.fetchval("SELECT v FROM t") == "mine"


async def test_item_3_cancelled_begin_does_not_wedge_the_connection(tmp_path):
    path = tmp_path / "busy.sqlite3"
    db = Database(path, busy_timeout_ms=2000)
    await db.connect()
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    async def write() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t (v) VALUES ('x')")

    try:
        task = asyncio.create_task(write())
        await asyncio.sleep(0.2)  # BEGIN IMMEDIATE is waiting on the busy timeout
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        other.execute("ROLLBACK")
        other.close()
    await write()  # not "cannot start a transaction within a transaction"
    assert not db.conn.in_transaction
    assert await db.fetchval("SELECT COUNT(*) FROM t") == 1
    await db.close()


async def test_item_3_failed_commit_leaves_no_open_transaction(db):
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        await tx.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, "
            "p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
        )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO child (p) VALUES (42)")  # fails only at COMMIT
    assert not db.conn.in_transaction
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t (v) VALUES ('after')")
    assert await db.fetchval("SELECT COUNT(*) FROM child") == 0
    assert await db.fetchval("SELECT COUNT(*) FROM t") == 1


async def test_item_3_rollback_after_sqlite_rolled_back_keeps_the_first_error(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t (v) VALUES ('x')")
            await tx.execute("ROLLBACK")  # as SQLite does by itself on e.g. a full disk
            raise Boom
    assert not db.conn.in_transaction
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t (v) VALUES ('y')")
    assert await db.fetchval("SELECT v FROM t") == "y"


async def test_savepoint_rolls_back_only_its_own_work(db):
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO t (v) VALUES ('kept')")
        with pytest.raises(ValueError):
            async with tx.savepoint():
                await tx.execute("INSERT INTO t (v) VALUES ('undone')")
                raise ValueError
        await tx.execute("INSERT INTO t (v) VALUES ('also kept')")
    rows = await db.fetchall("SELECT v FROM t ORDER BY id")
    assert [r[0] for r in rows] == ["kept", "also kept"]
