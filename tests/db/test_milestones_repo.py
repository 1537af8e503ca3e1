from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db.repositories.milestones import MilestoneRepository
from bot.domain.milestones import Tally, restart_streak

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


async def insert(repo, db, *, user_id=1, kind="days", n=30, streak=1, scheme="sobriety"):
    async with db.transaction() as tx:
        return await repo.insert(
            tx,
            user_id=user_id,
            scheme=scheme,
            kind=kind,
            n=n,
            streak=streak,
            due_date=date(2026, 3, 2),
            due_at=NOW,
            now=NOW,
        )


async def test_a_milestone_is_recorded_once_per_streak(db):
    repo = MilestoneRepository(db)
    first = await insert(repo, db)
    assert first is not None
    assert await insert(repo, db) is None
    assert await insert(repo, db, streak=2) is not None
    assert await repo.keys(1) == {("sobriety", "days", 30, 1), ("sobriety", "days", 30, 2)}


async def test_celebrate_moves_due_only_once(db):
    repo = MilestoneRepository(db)
    mid = await insert(repo, db)
    assert await repo.due_ids(NOW) == [mid]
    assert await repo.due_ids(NOW - timedelta(seconds=1)) == []
    async with db.transaction() as tx:
        assert await repo.mark_celebrated(
            tx, mid, now=NOW, late=True, public=True, congrats_due_at=NOW + timedelta(hours=11)
        )
        assert not await repo.mark_celebrated(
            tx, mid, now=NOW, late=False, public=False, congrats_due_at=None
        )
        assert not await repo.mark_stale(tx, mid)
    row = await repo.get(mid)
    assert row is not None
    assert (row.status, row.late, row.public) == ("celebrated", True, True)
    assert await repo.due_ids(NOW) == []


async def test_congrats_one_per_peer_and_delivery_closes(db):
    repo = MilestoneRepository(db)
    mid = await insert(repo, db)
    later = NOW + timedelta(hours=11)
    async with db.transaction() as tx:
        await repo.mark_celebrated(tx, mid, now=NOW, late=False, public=True, congrats_due_at=later)
        assert await repo.add_congrats(tx, mid, 7, NOW)
        assert not await repo.add_congrats(tx, mid, 7, NOW)
        assert await repo.add_congrats(tx, mid, 8, NOW)
    assert [c.from_user_id for c in await repo.congrats_for(mid)] == [7, 8]
    assert await repo.congrats_ready_ids(NOW) == []
    assert await repo.congrats_ready_ids(later) == [mid]
    async with db.transaction() as tx:
        assert await repo.mark_congrats_sent(tx, mid, later)
        assert not await repo.mark_congrats_sent(tx, mid, later)
    assert await repo.congrats_ready_ids(later) == []


async def test_sobriety_record_restart_and_public_flag(db):
    repo = MilestoneRepository(db)
    async with db.transaction() as tx:
        await repo.set_public(tx, 1, True, NOW)
    record = await repo.record(1)
    assert record is not None and record.public and record.tally() is None
    async with db.transaction() as tx:
        await repo.set_start(tx, 1, date(2026, 1, 1), NOW)
    record = await repo.record(1)
    assert record is not None and record.public
    tally = record.tally()
    assert tally == Tally(streak_start=date(2026, 1, 1))
    restarted = restart_streak(tally, date(2026, 2, 10))
    async with db.transaction() as tx:
        await repo.save_tally(tx, 1, restarted, NOW)
        await repo.add_reset(
            tx, user_id=1, on_date=date(2026, 2, 10), restarted=True, streak_days=40, now=NOW
        )
    record = await repo.record(1)
    assert record is not None
    assert (record.banked_days, record.longest_streak_days, record.streak_number) == (40, 40, 2)
    assert [(r.restarted, r.streak_days) for r in await repo.resets(1)] == [(True, 40)]


async def test_pending_sobriety_rows_are_dropped_but_celebrated_ones_kept(db):
    repo = MilestoneRepository(db)
    kept = await insert(repo, db, n=7)
    dropped = await insert(repo, db, n=30)
    program = await insert(repo, db, scheme="program", kind="weeks", n=1, streak=0)
    async with db.transaction() as tx:
        await repo.mark_celebrated(
            tx, kept, now=NOW, late=False, public=False, congrats_due_at=None
        )
        assert await repo.drop_pending_sobriety(tx, 1) == 1
    assert {m.id for m in await repo.for_user(1)} == {kept, program}
    assert dropped not in {m.id for m in await repo.for_user(1)}


async def test_delete_removes_everything_about_the_member(db):
    repo = MilestoneRepository(db)
    mine = await insert(repo, db, user_id=1)
    theirs = await insert(repo, db, user_id=2)
    async with db.transaction() as tx:
        await repo.set_start(tx, 1, date(2026, 1, 1), NOW)
        await repo.add_reset(
            tx, user_id=1, on_date=date(2026, 2, 1), restarted=False, streak_days=31, now=NOW
        )
        await repo.add_congrats(tx, mine, 2, NOW)  # 2 congratulated 1
        await repo.add_congrats(tx, theirs, 1, NOW)  # 1 congratulated 2
        removed = await repo.delete_for_user(tx, 1)
    assert removed == {
        "milestone_congrats": 2,
        "milestones": 1,
        "sobriety_resets": 1,
        "sobriety_records": 1,
    }
    assert await repo.record(1) is None
    assert [m.id for m in await repo.for_user(2)] == [theirs]
    assert await repo.congrats_for(theirs) == []


async def test_schema_refuses_unknown_values(db):
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO milestones (user_id, scheme, kind, n, due_date, due_at, created_at) "
                "VALUES (1, 'sobriety', 'weekz', 1, '2026-03-02', 'x', 'x')"
            )
