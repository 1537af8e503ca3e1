"""What milestones read from other features' data, through their repositories' contracts:

* sessions attended — ``AttendanceRepository.count_confirmed`` (groups feature);
* reported use — ``CheckinRepository.reported_use_dates`` (check-ins feature), used only
  to gently mention ``/sobriety reset`` to the client, privately; never to reset;
* the client's cohort channel — ``CohortRepository.channel_for_client`` (groups feature).

The tables exist whether or not those cogs are enabled (migrations all run), so with a
feature switched off the answers are simply "nothing". Tests may swap in a fake through
``MilestonesCog.use_sources``.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.db.database import Database
from bot.db.repositories.attendance import AttendanceRepository
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.cohorts import CohortRepository


class ProgramSources(Protocol):
    async def sessions_attended(self, user_id: int) -> int: ...

    async def sessions_attended_by_client(self) -> dict[int, int]: ...

    async def reported_use_dates(self, user_id: int) -> list[date]: ...

    async def cohort_channel(self, user_id: int) -> int | None: ...


class RepositorySources:
    """The real sources: the other features' repositories on the shared database."""

    def __init__(self, db: Database) -> None:
        self.attendance = AttendanceRepository(db)
        self.checkins = CheckinRepository(db)
        self.cohorts = CohortRepository(db)

    async def sessions_attended(self, user_id: int) -> int:
        return await self.attendance.count_confirmed(user_id)

    async def sessions_attended_by_client(self) -> dict[int, int]:
        return await self.attendance.confirmed_counts()

    async def reported_use_dates(self, user_id: int) -> list[date]:
        return await self.checkins.reported_use_dates(user_id)

    async def cohort_channel(self, user_id: int) -> int | None:
        return await self.cohorts.channel_for_client(user_id)
