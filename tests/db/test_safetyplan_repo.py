from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db.repositories.safetyplan import SafetyPlanRepository

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


async def test_each_step_writes_its_parts_and_keeps_the_others(db):
    repo = SafetyPlanRepository(db)
    assert await repo.get(1) is None
    async with db.transaction() as tx:
        await repo.save_parts(
            tx, 1, {"warning_signs": "a", "coping": "b", "distraction": None}, NOW
        )
    later = NOW + timedelta(hours=1)
    async with db.transaction() as tx:
        await repo.save_parts(
            tx, 1, {"support": "c", "professionals": "d", "environment": "e"}, later
        )
    plan = await repo.get(1)
    assert plan is not None
    assert dict(plan.texts) == {
        "warning_signs": "a",
        "coping": "b",
        "distraction": None,
        "support": "c",
        "professionals": "d",
        "environment": "e",
    }
    assert (plan.created_at, plan.updated_at) == (NOW, later)
    assert not plan.is_empty
    async with db.transaction() as tx:
        await repo.save_parts(tx, 1, {"coping": None}, later)
    plan = await repo.get(1)
    assert plan is not None and plan.text("coping") is None and plan.text("warning_signs") == "a"


async def test_unknown_parts_are_refused_and_write_nothing(db):
    repo = SafetyPlanRepository(db)
    with pytest.raises(ValueError, match="unknown safety plan parts"):
        async with db.transaction() as tx:
            await repo.save_parts(tx, 1, {"coping": "b", "name; DROP TABLE x": "y"}, NOW)
    assert await repo.get(1) is None


async def test_delete_and_purge_touch_only_their_rows(db):
    repo = SafetyPlanRepository(db)
    async with db.transaction() as tx:
        await repo.save_parts(tx, 1, {"coping": "old"}, NOW)
        await repo.save_parts(tx, 2, {"coping": "new"}, NOW + timedelta(days=10))
        await repo.save_parts(tx, 3, {"coping": "other"}, NOW + timedelta(days=10))
    async with db.transaction() as tx:
        assert await repo.purge_unchanged_since(tx, NOW + timedelta(days=1)) == {"safety_plans": 1}
    async with db.transaction() as tx:
        assert await repo.delete_for(tx, 2) == {"safety_plans": 1}
    assert await repo.get(1) is None and await repo.get(2) is None
    assert await repo.get(3) is not None
