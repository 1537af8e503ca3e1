"""Helpers shared by the security tests: the real command under umask 022, small configs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.audit import AuditRepository

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def iopbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, started the way a shell with the usual umask 022 would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("IOPBOT_")}
    full_env.update(env or {})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.umask(0o022),
    )


def db_config(tmp_path: Path, db: Path, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n{extra}')
    return config


async def migrated(path: Path) -> Database:
    db = Database(path)
    await db.connect()
    await migrate(db)
    return db


async def audit_rows(db: Database, n: int, start: datetime = NOW) -> None:
    repo = AuditRepository(db)
    for i in range(n):
        async with db.transaction() as tx:
            await repo.add(
                tx,
                at=start + timedelta(minutes=i),
                actor_id=1,
                action="client.info",
                subject_user_id=100 + i,
                detail={"n": i},
            )
