from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.db.repositories.survey import SurveyRepository
from bot.domain.survey import Scores

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
W10 = date(2026, 3, 2)


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


async def test_previous_complete_and_completed_periods(db) -> None:
    repo = SurveyRepository(db)
    async with db.transaction() as tx:
        for n, label in enumerate(("2026-W08", "2026-W09")):
            first = W10 - timedelta(days=7 * (2 - n))
            rid = await repo.start(tx, user_id=1, period=label, first_day=first, now=NOW)
            if n == 0:
                await repo.set_scores(tx, rid, Scores(0, 3, 5, 1), NOW)
        done = await repo.completed_periods_in(tx, 1, ["2026-W08", "2026-W09", "2026-W10"])
        assert done == {"2026-W08"}
        previous = await repo.previous_complete_in(tx, 1, W10)
        assert previous is not None and previous.period == "2026-W08"
        assert await repo.previous_complete_in(tx, 1, W10 - timedelta(days=14)) is None


async def test_delete_and_purge_remove_answers_too(db) -> None:
    repo = SurveyRepository(db)
    async with db.transaction() as tx:
        old = await repo.start(
            tx, user_id=1, period="2024-W10", first_day=date(2024, 3, 4), now=NOW
        )
        await repo.save_answers(tx, old, {"a": (1, "One", 1)}, NOW)
        new = await repo.start(tx, user_id=2, period="2026-W10", first_day=W10, now=NOW)
        await repo.save_answers(tx, new, {"a": (1, "One", 1)}, NOW)
    async with db.transaction() as tx:
        purged = await repo.purge_before(tx, date(2025, 1, 1))
    assert purged["survey_answers"] == 1 and purged["survey_responses"] == 1
    async with db.transaction() as tx:
        removed = await repo.delete_for(tx, 2)
    assert removed == {"survey_answers": 1, "survey_responses": 1}
    assert await db.fetchval("SELECT COUNT(*) FROM survey_answers") == 0
