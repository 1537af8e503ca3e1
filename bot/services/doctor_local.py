"""The doctor's checks on this machine: database migrated and writable, last backup age,
file permissions and the audit chain. They reuse the security code's own checks
(``program_file_problems``, ``LedgerRepository.verify``)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.db.codec import parse_ts, ts
from bot.db.database import Database
from bot.db.migrate import current_version, load_migrations
from bot.db.repositories.ledger import LedgerRepository
from bot.files import open_new_private, program_file_problems
from bot.keys import key_file_path
from bot.services.doctor import CheckLine

BACKUP_RECORD_SUFFIX = ".last-backup"


def backup_record_path(database: Path) -> Path:
    """Beside the database, so a backup never writes to the database it copies."""
    return database.with_name(database.name + BACKUP_RECORD_SUFFIX)


def record_backup(database: Path, now: datetime) -> None:
    """Remember when ``iopbot backup`` last copied ``database`` (replaced atomically)."""
    record = backup_record_path(database)
    temp = record.with_name(record.name + ".tmp")
    temp.unlink(missing_ok=True)
    fd = open_new_private(temp)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(ts(now) + "\n")
    os.replace(temp, record)


def last_backup_at(database: Path) -> datetime | None:
    try:
        text = backup_record_path(database).read_text(encoding="utf-8").strip()
        return parse_ts(text)
    except (OSError, ValueError):
        return None


def database_file_check(path: Path) -> CheckLine | None:
    """A failing line when there is no database file yet (opening would create one)."""
    if str(path) == ":memory:" or path.is_file():
        return None
    return CheckLine(
        False, f"database: {path}", "no database there; run `iopbot migrate` (or start the bot)"
    )


async def database_checks(db: Database, settings: Settings, now: datetime) -> list[CheckLine]:
    """Schema, write access, last backup, file modes and the audit chain of an open db."""
    known = load_migrations()
    newest = known[-1].version if known else 0
    version = await current_version(db)
    path = settings.database.path
    lines = []
    if version < newest:
        lines.append(
            CheckLine(
                False,
                f"database schema {version}",
                f"this code knows {newest}; stop the bot and run `iopbot migrate`",
            )
        )
    elif version > newest:
        lines.append(
            CheckLine(
                False,
                f"database schema {version}",
                f"made by a newer iopbot (this code knows {newest}); upgrade iopbot",
            )
        )
    else:
        lines.append(CheckLine(True, f"database schema {version} (up to date)"))
    lines.append(await _writable_check(db, path))
    lines.append(backup_check(settings, now))
    lines.append(files_check(settings))
    lines.append(await audit_chain_check(db))
    return lines


async def _writable_check(db: Database, path: Path) -> CheckLine:
    label = f"database writable ({path})"
    if str(path) != ":memory:" and not os.access(path, os.W_OK):
        return CheckLine(False, label, "the file is read-only for this account; fix its owner")
    try:
        async with db.transaction():
            pass  # BEGIN IMMEDIATE takes the write lock; committing nothing changes nothing
    except Exception as exc:
        return CheckLine(False, label, f"cannot start a write ({type(exc).__name__})")
    return CheckLine(True, label)


def backup_check(settings: Settings, now: datetime) -> CheckLine:
    limit = timedelta(hours=settings.database.backup_max_age_hours)
    fix = "run `iopbot backup PATH` and schedule it daily (docs/DEPLOY.md, Backups)"
    recorded = last_backup_at(settings.database.path)
    if recorded is None:
        return CheckLine(False, "last backup: none recorded", fix)
    age = now - recorded
    label = f"last backup: {recorded:%Y-%m-%d %H:%M} UTC ({_age(age)} ago)"
    if age > limit:
        return CheckLine(False, label, f"older than {_age(limit)}; {fix}")
    return CheckLine(True, label)


def files_check(settings: Settings) -> CheckLine:
    path = settings.database.path
    if str(path) == ":memory:":
        return CheckLine(True, "file permissions (in-memory database)")
    problems = program_file_problems(path, key_file_path(settings))
    if problems:
        return CheckLine(False, "file permissions", "; ".join(problems))
    return CheckLine(True, "file permissions: database and key file are private (0600)")


async def audit_chain_check(db: Database) -> CheckLine:
    problems = await LedgerRepository(db).verify()
    if problems:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        return CheckLine(
            False,
            "audit chain",
            f"{shown}. Restore the newest intact backup, or keep it and report the break "
            "(`iopbot verify-audit` lists every broken link)",
        )
    return CheckLine(True, "audit chain intact")


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(int(delta.total_seconds() // 60), 0)} min"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} days"
