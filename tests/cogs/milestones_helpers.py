"""Shared set-up for the milestone command tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from bot.db.repositories.cohorts import CohortRepository
from cogs.milestones._cog import MilestonesCog
from cogs.milestones._sources import RepositorySources

ZONES = {"alex": "America/Chicago", "sam": "Europe/Berlin", "riley": "America/Los_Angeles"}
SUBSTANCE_AND_CHECKIN_WORDS = (
    "alcohol",
    "opioid",
    "fentanyl",
    "cocaine",
    "meth",
    "heroin",
    "cannabis",
    "pill",
    "mood",
    "craving",
    "check-in answer",
    "used",
    "use ",
    "reported",
    "reset",
)


class FakeSources:
    """Real cohort channels; sessions attended and reported use set by the test."""

    def __init__(self, real: RepositorySources) -> None:
        self.real = real
        self.sessions: dict[int, int] = {}
        self.uses: dict[int, list[date]] = {}

    async def sessions_attended(self, user_id: int) -> int:
        return self.sessions.get(user_id, 0)

    async def sessions_attended_by_client(self) -> dict[int, int]:
        return dict(self.sessions)

    async def reported_use_dates(self, user_id: int) -> list[date]:
        return self.uses.get(user_id, [])

    async def cohort_channel(self, user_id: int) -> int | None:
        return await self.real.cohort_channel(user_id)


def cog(world: Any) -> MilestonesCog:
    found = world.bot.get_cog("MilestonesCog")
    # By name, not isinstance: a test that reloads the extension (tests/test_meta_contract.py)
    # re-imports cogs.milestones._cog, and the class imported above is then a stale copy.
    assert found is not None and type(found).__name__ == MilestonesCog.__name__
    return cast(MilestonesCog, found)


def fake_sources(world: Any) -> FakeSources:
    milestones = cog(world)
    fake = FakeSources(RepositorySources(world.bot.services.db))
    milestones.use_sources(fake)
    return fake


async def enroll_all(world: Any, *, start_date: str | None = None) -> None:
    for member in world.clients:
        options: dict[str, Any] = {"member": member, "timezone": ZONES[member.name]}
        if start_date:
            options["start_date"] = start_date
        result = await world.facilitator.slash(world.cohort, "client enroll", **options)
        assert "rolled" in result.response.content


async def put_in_cohort(world: Any, *members: Any) -> None:
    services = world.bot.services
    repo = CohortRepository(services.db)
    now = services.clock.now()
    async with services.db.transaction() as tx:
        cohort_id = await repo.create(
            tx,
            guild_id=world.guild.id,
            name="Cohort A",
            channel_id=world.cohort.id,
            created_by=world.facilitator.id,
            now=now,
        )
        for member in members:
            await repo.join(
                tx, cohort_id=cohort_id, user_id=member.id, added_by=world.facilitator.id, now=now
            )


def days_ago(world: Any, zone_day: date, days: int) -> str:
    return (zone_day - timedelta(days=days)).isoformat()


async def milestone_rows(world: Any, user_id: int) -> list[tuple[Any, ...]]:
    rows = await world.db.fetchall(
        "SELECT scheme, kind, n, status, late FROM milestones WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [tuple(r) for r in rows]


def contents(messages: list[Any]) -> list[str]:
    return [m.content for m in messages]
