"""Forward-only migrations: ``migrations/NNNN_name.sql`` tracked by ``PRAGMA user_version``.

Each file runs whole or not at all (its statements and the version bump share one
``BEGIN IMMEDIATE`` transaction). A database newer than the code is refused.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.db.database import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_dir() -> Path:
    """The shipped migrations: ``bot/_migrations`` in a wheel, ``migrations/`` in a checkout."""
    shipped = Path(str(resources.files("bot"))) / "_migrations"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "migrations"


def load_migrations(directory: Path | None = None) -> list[Migration]:
    directory = directory or migrations_dir()
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise MigrationError(f"badly named migration file: {path.name}")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or 0 in versions:
        raise MigrationError(f"migration numbers must be unique and start at 1, got {versions}")
    return found


async def current_version(db: Database) -> int:
    return int(await db.fetchval("PRAGMA user_version"))


async def migrate(db: Database, directory: Path | None = None) -> list[Migration]:
    """Apply every pending migration; return those applied."""
    available = load_migrations(directory)
    version = await current_version(db)
    newest = available[-1].version if available else 0
    if version > newest:
        raise MigrationError(
            f"database is at version {version} but this code knows only {newest}; "
            "upgrade iopbot instead of running an older release"
        )
    applied = []
    for migration in (m for m in available if m.version > version):
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{migration.sql}\n;\n"
            f"PRAGMA user_version = {migration.version};\n"
            "COMMIT;"
        )
        try:
            await db.conn.executescript(script)
        except sqlite3.Error as exc:
            if db.conn.in_transaction:
                cursor = await db.conn.execute("ROLLBACK")
                await cursor.close()
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} failed: {exc}"
            ) from exc
        applied.append(migration)
    return applied
