"""The tamper-evident audit trail (issue 22, item 10) and backup/restore checks (item 12)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.db.database import Database
from bot.db.migrate import load_migrations, migrate
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.ledger import LedgerRepository
from tests.security_helpers import NOW, audit_rows, db_config, iopbot, migrated

# ----- item 10: the audit trail is tamper-evident ---------------------------------------


async def test_the_audit_trail_refuses_delete_and_detects_changes(tmp_path):
    path = tmp_path / "iop.sqlite3"
    db = await migrated(path)
    try:
        await audit_rows(db, 4)
        ledger = LedgerRepository(db)
        assert await ledger.verify() == []
        with pytest.raises(sqlite3.IntegrityError, match="recorded retention purge"):
            async with db.transaction() as tx:
                await tx.execute("DELETE FROM audit_log WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            async with db.transaction() as tx:
                await tx.execute("UPDATE audit_log SET action = 'x' WHERE id = 2")
    finally:
        await db.close()
    # Someone with the file and sqlite3 drops the triggers and edits a row.
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("UPDATE audit_log SET subject_user_id = 999 WHERE id = 2")
    conn.commit()
    conn.close()
    config = db_config(tmp_path, path)
    result = iopbot("verify-audit", "--config", str(config))
    assert result.returncode == 1
    assert "audit_log row 2: hash mismatch" in result.stderr


async def test_removing_a_row_is_detected_and_the_purge_is_recorded(tmp_path):
    path = tmp_path / "iop.sqlite3"
    db = await migrated(path)
    try:
        await audit_rows(db, 5, start=NOW - timedelta(days=10))
        async with db.transaction() as tx:
            removed = await AuditRepository(db).purge_before(
                tx, NOW - timedelta(days=10) + timedelta(minutes=2), NOW
            )
        assert removed == 2
        record = await db.fetchone("SELECT table_name, up_to_id, removed FROM ledger_purges")
        assert tuple(record) == ("audit_log", 2, 2)
        assert await LedgerRepository(db).verify() == []
        await audit_rows(db, 1)
        assert await LedgerRepository(db).verify() == []
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as tx:
                await tx.execute("DELETE FROM ledger_purges")
    finally:
        await db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 4")
    conn.commit()
    conn.close()
    result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
    assert result.returncode == 1 and "audit_log row 5" in result.stderr
    assert "intact" not in result.stdout


async def test_rows_from_before_the_chain_are_covered_by_the_first_hashed_row(tmp_path):
    path = tmp_path / "old.sqlite3"
    older = tmp_path / "older_migrations"
    older.mkdir()
    for migration in load_migrations():
        if migration.version <= 10:
            (older / f"{migration.version:04d}_{migration.name}.sql").write_text(migration.sql)
    db = Database(path)
    await db.connect()
    try:
        await migrate(db, older)
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO audit_log (at, actor_id, action) VALUES ('2025-01-01', 1, 'old')"
            )
        await migrate(db)
        await audit_rows(db, 2)
        assert await LedgerRepository(db).verify() == []
        result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
        assert result.returncode == 0 and "audit_log 3 rows" in result.stdout
    finally:
        await db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("UPDATE audit_log SET action = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    result = iopbot("verify-audit", "--config", str(db_config(tmp_path, path)))
    assert result.returncode == 1 and "audit_log row 2" in result.stderr


# ----- item 12: backup never follows a symlink; restore checks its source ---------------


def test_backup_refuses_a_symlink_even_a_dangling_one(tmp_path):
    db = tmp_path / "iop.sqlite3"
    config = db_config(tmp_path, db)
    assert iopbot("migrate", "--config", str(config)).returncode == 0
    elsewhere = tmp_path / "elsewhere.sqlite3"
    dangling = tmp_path / "dangling.sqlite3"
    dangling.symlink_to(elsewhere)
    result = iopbot("backup", str(dangling), "--config", str(config))
    assert result.returncode == 1 and "symlink" in result.stderr
    assert not elsewhere.exists()
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    pointing = tmp_path / "pointing.sqlite3"
    pointing.symlink_to(existing)
    assert iopbot("backup", str(pointing), "--config", str(config)).returncode == 1
    assert existing.read_text() == "keep me"


async def test_backup_to_refuses_anything_already_there(tmp_path):
    db = await migrated(tmp_path / "iop.sqlite3")
    try:
        link = tmp_path / "b.sqlite3"
        link.symlink_to(tmp_path / "target.sqlite3")
        with pytest.raises(FileExistsError):
            await db.backup_to(link)
        assert not (tmp_path / "target.sqlite3").exists()
    finally:
        await db.close()


def test_restore_refuses_a_file_that_is_not_an_iopbot_database(tmp_path):
    live = tmp_path / "live.sqlite3"
    config = db_config(tmp_path, live)
    assert iopbot("migrate", "--config", str(config)).returncode == 0
    before = live.read_bytes()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all " * 100)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    broken = tmp_path / "broken.sqlite3"
    good = tmp_path / "good.sqlite3"
    assert iopbot("backup", str(good), "--config", str(config)).returncode == 0
    data = bytearray(good.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(page * 2, len(data), page):  # garbage cell counts on every b-tree page
        data[start + 3 : start + 5] = b"\x7f\xff"
    broken.write_bytes(bytes(data))
    for source, why in (
        (text, "not an SQLite database"),
        (other, "not an iopbot database"),
        (broken, ""),
    ):
        result = iopbot("restore", str(source), "--force", "--config", str(config))
        assert result.returncode == 1, (source, result.stdout)
        assert why in result.stderr and "nothing was changed" in result.stderr
        assert live.read_bytes() == before
    result = iopbot("restore", str(good), "--force", "--config", str(config))
    assert result.returncode == 0, result.stderr
