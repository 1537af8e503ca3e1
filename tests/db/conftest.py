"""The repository tests' database: a fresh file in ``tmp_path`` with every migration applied.

A test module that needs something else (an empty database, an in-memory one) defines its
own ``db`` fixture, which takes precedence over this one (``test_database.py``,
``test_database_isolation.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.migrate import migrate


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "repo.sqlite3")
    await database.connect()
    await migrate(database)
    yield database
    await database.close()
