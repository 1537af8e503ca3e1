"""Storage: moderation cases, notes and lock rows; crisis events and reports (real SQLite)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.repositories.moderation import ModerationRepository
from bot.db.repositories.safety import SafetyRepository

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def test_cases_round_trip_and_delivery(db):
    repo = ModerationRepository(db)
    async with db.transaction() as tx:
        case_id = await repo.add_case(
            tx, member_id=5, actor_id=1, action="warn", now=NOW, reason="r", delivery="queued"
        )
        await repo.set_outboxes(tx, case_id, warn_outbox_id=10, mod_log_outbox_id=11)
        await repo.set_delivery(tx, case_id, "delivered")
        await repo.set_mod_log_message(tx, case_id, 99)
    case = await repo.get_case(case_id)
    assert case is not None
    assert (case.action, case.reason, case.delivery) == ("warn", "r", "delivered")
    assert (case.warn_outbox_id, case.mod_log_outbox_id, case.mod_log_message_id) == (10, 11, 99)
    assert case.created_at == NOW
    assert [c.id for c in await repo.cases_for(5)] == [case_id]


async def test_reason_and_note_lengths_are_enforced_by_the_schema(db):
    repo = ModerationRepository(db)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await repo.add_case(
                tx, member_id=5, actor_id=1, action="warn", now=NOW, reason="x" * 501
            )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await repo.add_note(
                tx, member_id=5, author_id=1, body="x" * 1001, case_id=None, now=NOW
            )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await repo.add_case(tx, member_id=5, actor_id=1, action="ban", now=NOW)
    assert await db.fetchval("SELECT COUNT(*) FROM mod_cases") == 0


async def test_lock_rows_and_purge_keeps_active_locks(db):
    repo = ModerationRepository(db)
    old = NOW - timedelta(days=800)
    async with db.transaction() as tx:
        lock_case = await repo.add_case(tx, member_id=None, actor_id=1, action="lock", now=old)
        await repo.add_lock_rows(
            tx, lock_case, [(7, 70, "role", "inherit"), (7, 71, "member", "allow")]
        )
        await repo.add_case(tx, member_id=5, actor_id=1, action="timeout", now=old)
        await repo.add_note(tx, member_id=5, author_id=1, body="n", case_id=None, now=old)
        await repo.add_case(tx, member_id=5, actor_id=1, action="warn", now=NOW)
    assert [(r.target_id, r.prior) for r in await repo.lock_rows(7)] == [
        (70, "inherit"),
        (71, "allow"),
    ]
    async with db.transaction() as tx:
        purged = await repo.purge_before(tx, NOW - timedelta(days=730))
    assert purged == {"mod_notes": 1, "mod_cases": 1}
    async with db.transaction() as tx:
        assert await repo.clear_lock(tx, 7) == 2
        assert await repo.purge_before(tx, NOW - timedelta(days=730)) == {
            "mod_notes": 0,
            "mod_cases": 1,
        }


async def test_reports_once_per_person_and_message(db):
    repo = SafetyRepository(db)
    async with db.transaction() as tx:
        first = await repo.add_report(
            tx, reporter_id=1, reported_user_id=2, channel_id=3, message_id=4, crisis=False, now=NOW
        )
        again = await repo.add_report(
            tx, reporter_id=1, reported_user_id=2, channel_id=3, message_id=4, crisis=True, now=NOW
        )
        other = await repo.add_report(
            tx, reporter_id=9, reported_user_id=2, channel_id=3, message_id=4, crisis=False, now=NOW
        )
    assert first is not None and again is None and other is not None
    assert [r.reporter_id for r in await repo.reports_about(2)] == [1, 9]
    async with db.transaction() as tx:
        assert await repo.delete_reports_by(tx, 1) == 1
    assert [r.reporter_id for r in await repo.reports_about(2)] == [9]


async def test_crisis_events_hold_ids_only(db):
    repo = SafetyRepository(db)
    async with db.transaction() as tx:
        await repo.add_event(
            tx, user_id=2, source="group_message", source_ref=4, alert_id=1, dm_outbox_id=8, now=NOW
        )
        found = await repo.event_for_dm(tx, 8)
    assert found is not None and found.source == "group_message"
    columns = {r[1] for r in await db.fetchall("PRAGMA table_info(crisis_events)")}
    assert columns == {
        "id",
        "user_id",
        "source",
        "source_ref",
        "alert_id",
        "dm_outbox_id",
        "created_at",
        "severity",  # urgent | concern
        "category",  # e.g. overdose_intent
        "channel_id",  # where the message is (for View message / the jump link)
    }
    async with db.transaction() as tx:
        assert await repo.purge_events_before(tx, NOW + timedelta(seconds=1)) == 1
        assert await repo.purge_reports_before(tx, NOW) == 0
