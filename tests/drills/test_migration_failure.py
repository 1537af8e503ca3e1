"""A migration that fails leaves the database exactly as it was (version, schema, rows)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from bot.db.database import Database
from bot.db.migrate import MigrationError, current_version, migrate, migrations_dir

BROKEN = """-- 0099 broken: why — a drill; the third statement fails after two succeed.
CREATE TABLE drill_new (id INTEGER PRIMARY KEY, note TEXT);
INSERT INTO drill_new (note) VALUES ('half-done');
ALTER TABLE clients ADD COLUMN drill_flag INTEGER;
INSERT INTO no_such_table VALUES (1);
"""


def schema_and_rows(path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    conn = sqlite3.connect(path)
    try:
        schema = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        conn.close()
    return schema, rows


async def test_failed_migration_changes_nothing(tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), directory)
    db_path = tmp_path / "m.sqlite3"
    db = Database(db_path)
    await db.connect()
    try:
        applied = await migrate(db, directory)
        good_version = await current_version(db)
        assert good_version == applied[-1].version
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO clients (user_id, guild_id, display_name, timezone, program_start, "
                "enrolled_by, enrolled_at, updated_at) VALUES (1, 2, 'Alex', 'UTC', "
                "'2026-03-02', 3, '2026-03-02T12:00:00+00:00', '2026-03-02T12:00:00+00:00')"
            )
        before = schema_and_rows(db_path)
        (directory / "0099_broken.sql").write_text(BROKEN)
        with pytest.raises(MigrationError, match="0099_broken failed"):
            await migrate(db, directory)
        assert await current_version(db) == good_version
        assert not db.conn.in_transaction
    finally:
        await db.close()
    after = schema_and_rows(db_path)
    assert after == before
    print(f"\nfailed migration: version stays {good_version}, schema and rows unchanged")


async def test_fresh_database_keeps_the_good_migration_only(tmp_path):
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_good.sql").write_text(
        "-- 0001 good: why — a drill.\nCREATE TABLE clients (user_id INTEGER PRIMARY KEY);\n"
    )
    (directory / "0002_broken.sql").write_text(BROKEN)
    db = Database(tmp_path / "fresh.sqlite3")
    await db.connect()
    try:
        with pytest.raises(MigrationError):
            await migrate(db, directory)
        assert await current_version(db) == 1
        names = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")]
        assert names == ["clients"]
        columns = [r[1] for r in await db.fetchall("PRAGMA table_info(clients)")]
        assert columns == ["user_id"]
    finally:
        await db.close()
