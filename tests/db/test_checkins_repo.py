from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.db.database import Database
from bot.db.migrate import migrate, migrations_dir
from bot.db.repositories.checkins import CheckinRepository
from bot.domain.checkins import CheckinAnswers

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def answers(**changes: object) -> CheckinAnswers:
    values: dict[str, object] = {
        "mood": 6,
        "craving": 2,
        "used": "no",
        "sleep_hours": 7.5,
        "note": None,
    }
    values.update(changes)
    return CheckinAnswers(**values)  # type: ignore[arg-type]


async def test_save_replaces_the_same_local_day_and_keeps_the_id(db):
    repo = CheckinRepository(db)
    async with db.transaction() as tx:
        first = await repo.save(
            tx, user_id=1, local_date=date(2026, 3, 2), answers=answers(), now=NOW
        )
    async with db.transaction() as tx:
        second = await repo.save(
            tx, user_id=1, local_date=date(2026, 3, 2), answers=answers(mood=2), now=NOW
        )
    assert not first.replaced and second.replaced
    assert first.checkin_id == second.checkin_id
    stored = await repo.get(first.checkin_id)
    assert stored is not None and stored.mood == 2 and stored.replaced == 1
    assert await db.fetchval("SELECT COUNT(*) FROM checkins") == 1


async def test_reported_use_dates_lists_only_use_days_in_order(db):
    repo = CheckinRepository(db)
    async with db.transaction() as tx:
        for day_, used in (
            (date(2026, 3, 5), "yes"),
            (date(2026, 3, 1), "yes"),
            (date(2026, 3, 3), "no"),
        ):
            await repo.save(tx, user_id=7, local_date=day_, answers=answers(used=used), now=NOW)
        await repo.save(
            tx, user_id=8, local_date=date(2026, 3, 2), answers=answers(used="yes"), now=NOW
        )
        await repo.save(
            tx, user_id=7, local_date=date(2026, 3, 4), answers=answers(used="prefer_not"), now=NOW
        )
    assert await repo.reported_use_dates(7) == [date(2026, 3, 1), date(2026, 3, 5)]
    assert await repo.reported_use_dates(99) == []


async def test_delete_and_purge(db):
    repo = CheckinRepository(db)
    async with db.transaction() as tx:
        await repo.save(tx, user_id=1, local_date=date(2024, 1, 1), answers=answers(), now=NOW)
        await repo.save(tx, user_id=1, local_date=date(2026, 3, 1), answers=answers(), now=NOW)
        await repo.save(tx, user_id=2, local_date=date(2026, 3, 1), answers=answers(), now=NOW)
    async with db.transaction() as tx:
        purged = await repo.purge_before(tx, date(2025, 1, 1))
    assert purged["checkins"] == 1
    async with db.transaction() as tx:
        removed = await repo.delete_for(tx, 1)
    assert removed == {"checkins": 1}  # the prompt schedule: tests/db/test_prompts_repo.py
    assert await db.fetchval("SELECT COUNT(*) FROM checkins") == 1


async def test_safety_answer_and_an_unasked_sleep_round_trip(db):
    repo = CheckinRepository(db)
    async with db.transaction() as tx:
        saved = await repo.save(
            tx,
            user_id=1,
            local_date=date(2026, 3, 2),
            answers=answers(sleep_hours=None, safety="yes"),
            now=NOW,
        )
    stored = await repo.get(saved.checkin_id)
    assert stored is not None
    assert (stored.safety, stored.sleep_hours) == ("yes", None)
    assert stored.answers == answers(sleep_hours=None, safety="yes")
    async with db.transaction() as tx:
        await repo.save(tx, user_id=1, local_date=date(2026, 3, 2), answers=answers(), now=NOW)
    again = await repo.get(saved.checkin_id)
    assert again is not None and (again.safety, again.sleep_hours) == (None, 7.5)


def _migrations_before(version: int, target: Path) -> Path:
    target.mkdir()
    for path in sorted(migrations_dir().glob("*.sql")):
        if int(path.name[:4]) < version:
            shutil.copy(path, target / path.name)
    return target


async def test_migration_0015_keeps_existing_checkins_and_their_ids(tmp_path):
    older = _migrations_before(15, tmp_path / "older")
    database = Database(tmp_path / "upgrade.sqlite3")
    await database.connect()
    try:
        await migrate(database, older)
        async with database.transaction() as tx:
            await tx.execute(
                "INSERT INTO checkins (id, user_id, local_date, mood, craving, used, "
                "sleep_hours, note, submitted_at, created_at, replaced) "
                "VALUES (41, 7, '2026-03-01', 5, 3, 'prefer_not', 6.5, 'kept', ?, ?, 2)",
                (NOW.isoformat(), NOW.isoformat()),
            )
        applied = await migrate(database, _migrations_before(16, tmp_path / "with15"))
        assert [m.version for m in applied] == [15]
        stored = await CheckinRepository(database).get(41)
        assert stored is not None
        assert (stored.used, stored.sleep_hours, stored.note, stored.replaced) == (
            "prefer_not",
            6.5,
            "kept",
            2,
        )
        assert stored.safety is None
        index = await database.fetchval(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'checkins_user_date'"
        )
        assert index == 1
        with pytest.raises(Exception, match="CHECK constraint"):
            async with database.transaction() as tx:
                await tx.execute("UPDATE checkins SET safety = 'maybe' WHERE id = 41")
    finally:
        await database.close()
