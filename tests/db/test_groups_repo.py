"""Cohorts, sessions, attendance and the hours ledger on a real migrated SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.db.database import Database
from bot.db.repositories.attendance import AttendanceRepository
from bot.db.repositories.cohorts import CohortRepository
from bot.db.repositories.groups_sessions import SessionRepository
from bot.domain.sessions import occurrences_between

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


async def make_cohort(db: Database, name: str = "Tuesday Evening", channel_id: int = 500) -> int:
    async with db.transaction() as tx:
        return await CohortRepository(db).create(
            tx, guild_id=1, name=name, channel_id=channel_id, created_by=9, now=NOW
        )


async def test_contract_reads(db):
    repo = CohortRepository(db)
    first = await make_cohort(db)
    second = await make_cohort(db, "Thursday Morning", 600)
    async with db.transaction() as tx:
        await repo.join(tx, cohort_id=first, user_id=11, added_by=9, now=NOW)
        await repo.join(tx, cohort_id=first, user_id=12, added_by=9, now=NOW)
    assert [c.name for c in await repo.list()] == ["Thursday Morning", "Tuesday Evening"]
    assert await repo.members(first) == [11, 12]
    assert await repo.members(second) == []
    assert await repo.channel_for_client(11) == 500
    assert await repo.channel_for_client(99) is None
    cohort = await repo.cohort_for_client(12)
    assert cohort is not None and (cohort.id, cohort.name, cohort.channel_id) == (
        first,
        "Tuesday Evening",
        500,
    )


async def test_one_cohort_at_a_time_and_moving_keeps_history(db):
    repo = CohortRepository(db)
    first = await make_cohort(db)
    second = await make_cohort(db, "Thursday Morning", 600)
    async with db.transaction() as tx:
        await repo.join(tx, cohort_id=first, user_id=11, added_by=9, now=NOW)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await repo.join(tx, cohort_id=second, user_id=11, added_by=9, now=NOW)
    later = NOW + timedelta(days=3)
    async with db.transaction() as tx:
        ended = await repo.leave(tx, user_id=11, removed_by=9, reason="moved", now=later)
        await repo.join(tx, cohort_id=second, user_id=11, added_by=9, now=later)
    assert ended is not None and ended.cohort_id == first
    history = await repo.history(11)
    assert [(m.cohort_id, m.left_reason) for m in history] == [(first, "moved"), (second, None)]
    assert history[0].left_at == later
    assert await repo.channel_for_client(11) == 600
    assert await repo.members_ever(first) == [11]
    assert await repo.members(first) == []


async def test_cohort_names_are_unique_ignoring_case(db):
    await make_cohort(db)
    with pytest.raises(sqlite3.IntegrityError):
        await make_cohort(db, "tuesday evening", 501)
    assert await CohortRepository(db).by_name("TUESDAY EVENING") is not None


async def test_agreement_acceptance_is_recorded_once_per_version(db):
    repo = CohortRepository(db)
    cohort = await make_cohort(db)
    async with db.transaction() as tx:
        assert await repo.accept(tx, cohort_id=cohort, user_id=11, version="v1", now=NOW)
        assert not await repo.accept(tx, cohort_id=cohort, user_id=11, version="v1", now=NOW)
    assert await repo.has_accepted(cohort, 11, "v1")
    assert not await repo.has_accepted(cohort, 11, "v2")
    assert [a.accepted_at for a in await repo.acceptances(11)] == [NOW]


async def planned_occurrence(db: Database, cohort: int) -> int:
    sessions = SessionRepository(db)
    async with db.transaction() as tx:
        await sessions.add_template(
            tx,
            cohort_id=cohort,
            weekday=1,
            start_local=time(18, 0),
            duration_minutes=180,
            created_by=9,
            now=NOW,
        )
    (template,) = await sessions.templates(cohort)
    planned = occurrences_between(
        1, time(18, 0), timedelta(hours=3), NY, NOW, NOW + timedelta(days=14)
    )
    async with db.transaction() as tx:
        created = [await sessions.ensure_occurrence(tx, template, p, NOW) for p in planned]
        again = [await sessions.ensure_occurrence(tx, template, p, NOW) for p in planned]
    assert created == [True, True] and again == [False, False]
    occs = await sessions.between(NOW, NOW + timedelta(days=14), cohort)
    return occs[0].id


async def test_planning_twice_creates_nothing_new_and_stages_mark_once(db):
    sessions = SessionRepository(db)
    cohort = await make_cohort(db)
    occ_id = await planned_occurrence(db, cohort)
    occ = await sessions.get(occ_id)
    assert occ is not None and occ.local_date == date(2026, 3, 3)
    at_start = occ.starts_at
    async with db.transaction() as tx:
        due = await sessions.due(
            tx, "reminder", at_start - timedelta(minutes=60), lead=timedelta(minutes=60)
        )
        assert [o.id for o in due] == [occ_id]
        assert await sessions.mark(tx, occ_id, "reminder", NOW)
        assert not await sessions.mark(tx, occ_id, "reminder", NOW)
        assert (
            await sessions.due(
                tx, "reminder", at_start - timedelta(minutes=30), lead=timedelta(minutes=60)
            )
            == []
        )
        assert await sessions.due(tx, "end", occ.ends_at) == []  # start not marked yet
        assert [o.id for o in await sessions.due(tx, "start", at_start)] == [occ_id]
        await sessions.mark(tx, occ_id, "start", at_start)
        assert [o.id for o in await sessions.due(tx, "end", occ.ends_at)] == [occ_id]


async def test_confirmed_attendance_feeds_the_ledger_and_removal_takes_it_back(db):
    repo = AttendanceRepository(db)
    cohort = await make_cohort(db)
    occ_id = await planned_occurrence(db, cohort)
    async with db.transaction() as tx:
        assert await repo.mark_here(tx, occurrence_id=occ_id, user_id=11, now=NOW)
        assert not await repo.mark_here(tx, occurrence_id=occ_id, user_id=11, now=NOW)
        args = {"by": 9, "local_date": date(2026, 3, 3), "iso_week": "2026-W10", "hours": 3.0}
        assert await repo.confirm(tx, occurrence_id=occ_id, user_id=11, now=NOW, **args)
        assert not await repo.confirm(tx, occurrence_id=occ_id, user_id=11, now=NOW, **args)
        assert await repo.confirm(tx, occurrence_id=occ_id, user_id=12, now=NOW, **args)
    assert await repo.count_confirmed(11) == 1
    assert await repo.hours_by_week(11) == {"2026-W10": 3.0}
    assert await repo.hours_in_week([11, 12, 13], "2026-W10") == {11: 3.0, 12: 3.0, 13: 0.0}
    async with db.transaction() as tx:
        assert await repo.remove(tx, occurrence_id=occ_id, user_id=12, by=9, now=NOW)
    assert await repo.hours_by_week(12) == {}
    assert await repo.count_confirmed(12) == 0
    row = await repo.get(occ_id, 12)
    assert row is not None and row.removed_at == NOW and not row.confirmed
    async with db.transaction() as tx:
        removed = await repo.delete_user(tx, 11)
    assert removed == {"hours_ledger": 1, "attendance": 1}
    assert await repo.hours_by_week(11) == {}


async def test_delete_user_removes_membership_and_acceptance(db):
    repo = CohortRepository(db)
    cohort = await make_cohort(db)
    async with db.transaction() as tx:
        await repo.join(tx, cohort_id=cohort, user_id=11, added_by=9, now=NOW)
        await repo.accept(tx, cohort_id=cohort, user_id=11, version="v1", now=NOW)
        removed = await repo.delete_user(tx, 11)
    assert removed == {"agreement_acceptances": 1, "cohort_members": 1}
    assert await repo.history(11) == []
