"""The prompt schedule repository: compare-and-set, one record per period, delete/purge
(``db``: tests/db/conftest.py)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

from bot.db.database import Database
from bot.db.migrate import migrate, migrations_dir
from bot.db.repositories.prompts import PromptRepository

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


async def test_schedules_are_kept_apart_by_name(db):
    repo = PromptRepository(db)
    async with db.transaction() as tx:
        assert await repo.create(tx, "checkin", user_id=1, planned_zone="UTC", next_at=NOW, now=NOW)
        assert not await repo.create(
            tx, "checkin", user_id=1, planned_zone="UTC", next_at=NOW, now=NOW
        )
        later = NOW + timedelta(days=3)
        assert await repo.create(
            tx, "survey", user_id=1, planned_zone="UTC", next_at=later, now=NOW
        )
    assert [s.user_id for s in await repo.due("checkin", NOW)] == [1]
    assert await repo.due("survey", NOW) == []
    assert await repo.user_ids("survey") == {1}


async def test_advance_is_a_compare_and_set(db):
    repo = PromptRepository(db)
    following = NOW + timedelta(days=1)
    async with db.transaction() as tx:
        await repo.create(tx, "checkin", user_id=1, planned_zone="UTC", next_at=NOW, now=NOW)
        assert await repo.advance(tx, "checkin", 1, expected=NOW, next_at=following, now=NOW)
        # a second run that read the old value loses
        assert not await repo.advance(tx, "checkin", 1, expected=NOW, next_at=following, now=NOW)
    state = await repo.get("checkin", 1)
    assert state is not None and state.next_at == following


async def test_a_period_is_recorded_once_and_found_by_its_outbox_row(db):
    repo = PromptRepository(db)
    day = date(2026, 3, 2)
    async with db.transaction() as tx:
        assert await repo.record_period(
            tx,
            "checkin",
            user_id=1,
            period="2026-03-02",
            local_date=day,
            status="queued",
            planned_at=NOW,
            now=NOW,
        )
        assert not await repo.record_period(
            tx,
            "checkin",
            user_id=1,
            period="2026-03-02",
            local_date=day,
            status="late",
            planned_at=NOW,
            now=NOW,
        )
        await repo.link_outbox(tx, "checkin", 1, "2026-03-02", 42)
        found = await repo.period_for_outbox(tx, "checkin", 42)
        assert found is not None and found.period == "2026-03-02"
        assert await repo.period_for_outbox(tx, "survey", 42) is None
        await repo.mark_undeliverable(tx, "checkin", 1, "2026-03-02")
    (period,) = await repo.periods("checkin", 1)
    assert period.status == "queued" and period.undeliverable and period.outbox_id == 42


async def test_delete_and_purge_touch_only_their_schedule(db):
    repo = PromptRepository(db)
    async with db.transaction() as tx:
        for name in ("checkin", "survey"):
            await repo.create(tx, name, user_id=1, planned_zone="UTC", next_at=NOW, now=NOW)
            for day in (date(2024, 1, 1), date(2026, 3, 1)):
                await repo.record_period(
                    tx,
                    name,
                    user_id=1,
                    period=day.isoformat(),
                    local_date=day,
                    status="queued",
                    planned_at=NOW,
                    now=NOW,
                )
    async with db.transaction() as tx:
        assert await repo.purge_periods_before(tx, "checkin", date(2025, 1, 1)) == 1
    async with db.transaction() as tx:
        removed = await repo.delete_for(tx, "checkin", 1)
    assert removed == {"prompt_periods": 1, "prompt_schedules": 1}
    assert len(await repo.periods("survey", 1)) == 2
    assert await repo.get("survey", 1) is not None


async def test_migration_0018_moves_the_checkin_schedule_and_prompted_days(tmp_path):
    older = tmp_path / "older"
    older.mkdir()
    for path in sorted(migrations_dir().glob("*.sql")):
        if int(path.name[:4]) < 18:
            shutil.copy(path, older / path.name)
    database = Database(tmp_path / "upgrade.sqlite3")
    await database.connect()
    try:
        await migrate(database, older)
        stamp = NOW.isoformat()
        async with database.transaction() as tx:
            await tx.execute(
                "INSERT INTO checkin_settings (user_id, local_time, planned_zone, paused_until, "
                "next_prompt_at, updated_at) VALUES (7, '08:30', 'Europe/Berlin', '2026-03-09', "
                "?, ?), (8, NULL, 'America/New_York', NULL, ?, ?)",
                (stamp, stamp, stamp, stamp),
            )
            await tx.execute(
                "INSERT INTO checkin_prompts (user_id, local_date, status, planned_at, queued_at, "
                "undeliverable) VALUES (7, '2026-03-01', 'queued', ?, ?, 1), "
                "(7, '2026-02-28', 'skipped', ?, ?, 0)",
                (stamp, stamp, stamp, stamp),
            )
            await tx.execute(
                "INSERT INTO outbox (id, dedupe_key, kind, target_type, target_id, "
                "subject_user_id, payload, due_at, created_at, updated_at) VALUES "
                "(55, 'checkin:7:2026-03-01', 'checkin_prompt', 'dm', 7, 7, '{}', ?, ?, ?)",
                (stamp, stamp, stamp),
            )
        applied = await migrate(database)
        assert [m.version for m in applied][:1] == [18]  # later migrations follow it
        repo = PromptRepository(database)
        berlin = await repo.get("checkin", 7)
        assert berlin is not None
        assert (berlin.local_time, berlin.planned_zone, berlin.paused_until, berlin.next_at) == (
            "08:30",
            "Europe/Berlin",
            date(2026, 3, 9),
            NOW,
        )
        assert (await repo.get("checkin", 8)) is not None
        days = {
            p.period: (p.status, p.undeliverable, p.outbox_id)
            for p in await repo.periods("checkin", 7)
        }
        assert days == {"2026-02-28": ("skipped", False, None), "2026-03-01": ("queued", True, 55)}
        gone = await database.fetchval(
            "SELECT COUNT(*) FROM sqlite_master "
            "WHERE name IN ('checkin_settings', 'checkin_prompts')"
        )
        assert gone == 0
    finally:
        await database.close()
