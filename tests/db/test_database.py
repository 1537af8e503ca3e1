"""Storage: the migration runner and transactions, on a real temporary SQLite file."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.migrate import MigrationError, current_version, load_migrations, migrate, migrations_dir


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "t.sqlite3")
    await database.connect()
    yield database
    await database.close()


async def tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    return {r[0] for r in rows}


async def test_fresh_database_gets_every_migration(db):
    applied = await migrate(db)
    known = load_migrations()
    assert [m.version for m in applied] == [m.version for m in known]
    assert await current_version(db) == known[-1].version
    assert {"clients", "outbox", "alerts", "audit_log", "meta"} <= await tables(db)
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA journal_mode") == "wal"


async def test_rerun_changes_nothing(db):
    await migrate(db)
    before = await tables(db)
    assert await migrate(db) == []
    assert await tables(db) == before


def _copy_migrations(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), target)
    return target


async def test_broken_migration_rolls_back_whole(db, tmp_path):
    directory = _copy_migrations(tmp_path)
    good = load_migrations(directory)
    await migrate(db, directory)
    before_tables = await tables(db)
    before_version = await current_version(db)
    n = good[-1].version + 1
    (directory / f"{n:04d}_broken.sql").write_text(
        "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    with pytest.raises(MigrationError, match="broken"):
        await migrate(db, directory)
    assert await current_version(db) == before_version
    assert await tables(db) == before_tables
    assert not db.conn.in_transaction


async def test_newer_database_is_refused(db, tmp_path):
    await migrate(db)
    newest = load_migrations()[-1].version
    await db.conn.execute(f"PRAGMA user_version = {newest + 5}")
    with pytest.raises(MigrationError, match=r"knows only"):
        await migrate(db)


async def test_badly_named_file_is_refused(tmp_path):
    directory = _copy_migrations(tmp_path)
    (directory / "oops.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="badly named"):
        load_migrations(directory)


async def test_transaction_commits_and_rolls_back(db):
    await migrate(db)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
            raise RuntimeError("boom")
    rows = await db.fetchall("SELECT key FROM meta ORDER BY key")
    assert [r[0] for r in rows] == ["a"]


async def test_concurrent_transactions_do_not_share_a_rollback(db):
    """One coroutine's rollback must not discard another's insert (shared connection)."""
    await migrate(db)

    async def good(i: int) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, 'ok')", (f"good{i}",))
            await asyncio.sleep(0)

    async def bad(i: int) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (f"bad{i}",))
            await asyncio.sleep(0)
            raise ValueError("rolled back")

    results = await asyncio.gather(
        *(good(i) for i in range(10)), *(bad(i) for i in range(10)), return_exceptions=True
    )
    assert sum(isinstance(r, ValueError) for r in results) == 10
    keys = {r[0] for r in await db.fetchall("SELECT key FROM meta")}
    assert keys == {f"good{i}" for i in range(10)}


async def test_audit_log_is_append_only(db):
    await migrate(db)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO audit_log (at, actor_id, action) VALUES ('2026-01-01', 1, 'x')"
        )
    with pytest.raises(Exception, match="append-only"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE audit_log SET action = 'y'")


async def test_backup_copies_rows(db, tmp_path):
    await migrate(db)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')")
    target = tmp_path / "backup.sqlite3"
    await db.backup_to(target)
    copy = Database(target)
    await copy.connect()
    try:
        assert await copy.fetchval("SELECT value FROM meta WHERE key = 'k'") == "v"
    finally:
        await copy.close()


def test_one_bot_per_database_and_the_lock_dies_with_the_holder(tmp_path):
    from bot.db.lock import DatabaseInUse, DatabaseLock, database_in_use

    path = tmp_path / "live.sqlite3"
    assert not database_in_use(path)
    first = DatabaseLock(path)
    first.acquire()
    assert database_in_use(path)
    with pytest.raises(DatabaseInUse, match="in use"):
        DatabaseLock(path).acquire()
    first.release()
    assert not database_in_use(path)
