"""``iopbot backup``, ``restore`` and ``verify-audit``: copies of the database and checks.

A backup is a new ``0600`` file, never written through a symlink or over anything; a
restore first checks that its source is an intact iopbot database this code can read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from bot.config import Settings
from bot.db.database import Database
from bot.db.lock import database_in_use
from bot.db.migrate import load_migrations
from bot.files import database_files, make_private
from bot.services.clock import SystemClock
from bot.services.doctor_local import record_backup

# A restore source must hold at least these (the spine every iopbot schema has).
IOPBOT_TABLES = frozenset({"meta", "outbox", "audit_log", "clients"})


async def _backup(settings: Settings, target: Path) -> int:
    await backup_database(settings, target, SystemClock().now())
    print(f"Backed up {settings.database.path} to {target}")
    return 0


async def backup_database(settings: Settings, target: Path, now: datetime) -> None:
    """Copy the database to the new file ``target``; note ``now`` beside it (backup age)."""
    db = Database(settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms)
    await db.connect()
    try:
        await db.backup_to(target)
    finally:
        await db.close()
    record_backup(settings.database.path, now)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.database.path.is_file():
        print(f"backup: no database at {settings.database.path}", file=sys.stderr)
        return 1
    if os.path.lexists(args.path):
        kind = "is a symlink" if args.path.is_symlink() else "exists"
        print(f"backup: {args.path} {kind}; choose a new file name", file=sys.stderr)
        return 1
    try:
        return asyncio.run(_backup(settings, args.path))
    except FileExistsError:
        print(f"backup: {args.path} appeared meanwhile; choose a new file name", file=sys.stderr)
        return 1


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    target = settings.database.path
    source: Path = args.path
    if not source.is_file():
        print(f"restore: no backup at {source}", file=sys.stderr)
        return 1
    if database_in_use(target):
        print(
            f"restore: {target} is in use by a running iopbot; stop the bot first.",
            file=sys.stderr,
        )
        return 1
    if target.exists() and not args.force:
        print(f"restore: {target} exists; pass --force to replace it.", file=sys.stderr)
        return 1
    problem = backup_problem(source)
    if problem is not None:
        print(f"restore: {source} {problem}; nothing was changed.", file=sys.stderr)
        return 1
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()
    for path in database_files(target):
        make_private(path)
    for suffix in ("-wal", "-shm"):
        stale = target.with_name(target.name + suffix)
        if stale.exists() and stale.stat().st_size == 0:
            stale.unlink()
    print(f"Restored {source} into {target}")
    return 0


def backup_problem(source: Path) -> str | None:
    """Why ``source`` is not an iopbot database this code can restore, or None."""
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return "cannot be opened as a database"
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(row) for row in check] != [("ok",)]:
            return "failed SQLite's integrity check"
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return "is not an SQLite database"
    finally:
        conn.close()
    known = load_migrations()
    newest = known[-1].version if known else 0
    if version < 1 or not tables >= IOPBOT_TABLES:
        return "is not an iopbot database"
    if version > newest:
        return f"was made by a newer iopbot (schema {version}; this code knows {newest})"
    return None


async def _verify_audit(settings: Settings) -> int:
    from bot.db.repositories.ledger import LedgerRepository

    db = Database(settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms)
    await db.connect()
    try:
        problems = await LedgerRepository(db).verify()
        counts = await LedgerRepository(db).row_counts()
    finally:
        await db.close()
    for line in problems:
        print(f"verify-audit: {line}", file=sys.stderr)
    if problems:
        return 1
    summary = ", ".join(f"{table} {n} rows" for table, n in counts.items())
    print(f"Audit trail and accounting of disclosures intact ({summary}).")
    return 0


def cmd_verify_audit(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.database.path.is_file():
        print(f"verify-audit: no database at {settings.database.path}", file=sys.stderr)
        return 1
    return asyncio.run(_verify_audit(settings))
