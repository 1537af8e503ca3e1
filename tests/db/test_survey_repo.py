from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.survey import SurveyRepository
from bot.domain.survey import Scores

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
W10 = date(2026, 3, 2)


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "repo.sqlite3")
    await database.connect()
    await migrate(database)
    yield database
    await database.close()


async def test_steps_fill_one_response_per_period_and_a_second_answer_replaces(db) -> None:
    repo = SurveyRepository(db)
    async with db.transaction() as tx:
        rid = await repo.start(tx, user_id=1, period="2026-W10", first_day=W10, now=NOW)
        await repo.save_answers(tx, rid, {"a": (1, "One", 1), "b": (0, "None", 0)}, NOW)
    async with db.transaction() as tx:
        again = await repo.start(tx, user_id=1, period="2026-W10", first_day=W10, now=NOW)
        await repo.save_answers(tx, again, {"a": (2, "Two", 2)}, NOW)
        assert not await repo.set_scores(tx, again, Scores(2, 0, 0, None), NOW)
        assert await repo.set_scores(tx, again, Scores(1, 0, 0, None), NOW)
    assert again == rid
    answers = {a.item_key: a.choice for a in await repo.answers(rid)}
    assert answers == {"a": 2, "b": 0}
    response = await repo.get(rid)
    assert response is not None and response.complete and response.replaced == 1
    assert response.scores == Scores(1, 0, 0, None)
    assert response.completed_at == NOW


async def test_previous_complete_and_missed_periods(db) -> None:
    repo = SurveyRepository(db)
    async with db.transaction() as tx:
        for n, label in enumerate(("2026-W08", "2026-W09", "2026-W10")):
            first = W10 - timedelta(days=7 * (2 - n))
            await repo.record_period(
                tx,
                user_id=1,
                period=label,
                first_day=first,
                status="queued",
                planned_at=NOW,
                now=NOW,
            )
        rid = await repo.start(
            tx, user_id=1, period="2026-W08", first_day=W10 - timedelta(14), now=NOW
        )
        await repo.set_scores(tx, rid, Scores(0, 3, 5, 1), NOW)
        assert not await repo.record_period(
            tx, user_id=1, period="2026-W10", first_day=W10, status="late", planned_at=NOW, now=NOW
        )
        prompted = await repo.prompted_before_in(tx, 1, W10 + timedelta(7), 2)
        assert [p.period for p in prompted] == ["2026-W09", "2026-W10"]
        done = await repo.completed_periods_in(tx, 1, ["2026-W08", "2026-W09"])
        assert done == {"2026-W08"}
        previous = await repo.previous_complete_in(tx, 1, W10)
        assert previous is not None and previous.period == "2026-W08"


async def test_delete_and_purge_remove_answers_too(db) -> None:
    repo = SurveyRepository(db)
    async with db.transaction() as tx:
        old = await repo.start(
            tx, user_id=1, period="2024-W10", first_day=date(2024, 3, 4), now=NOW
        )
        await repo.save_answers(tx, old, {"a": (1, "One", 1)}, NOW)
        new = await repo.start(tx, user_id=2, period="2026-W10", first_day=W10, now=NOW)
        await repo.save_answers(tx, new, {"a": (1, "One", 1)}, NOW)
        await repo.set_schedule(tx, 2, planned_zone="UTC", next_prompt_at=NOW, now=NOW)
    async with db.transaction() as tx:
        purged = await repo.purge_before(tx, date(2025, 1, 1))
    assert purged["survey_answers"] == 1 and purged["survey_responses"] == 1
    async with db.transaction() as tx:
        removed = await repo.delete_for(tx, 2)
    assert removed["survey_answers"] == 1 and removed["survey_schedules"] == 1
    assert await db.fetchval("SELECT COUNT(*) FROM survey_answers") == 0
