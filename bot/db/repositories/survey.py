"""The weekly recovery check: responses (one per client and period), their answers, and
the prompt schedule and period bookkeeping (migrations/0019_survey.sql)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.db.codec import day, parse_day, parse_ts, ts
from bot.db.database import Database, Transaction
from bot.domain.survey import Scores


@dataclass(frozen=True, slots=True)
class Answer:
    item_key: str
    choice: int
    label: str
    points: int
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class Response:
    id: int
    user_id: int
    period: str
    first_day: date
    scores: Scores | None  # None until every question is answered
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    replaced: int

    @property
    def complete(self) -> bool:
        return self.scores is not None


@dataclass(frozen=True, slots=True)
class Schedule:
    user_id: int
    planned_zone: str
    next_prompt_at: datetime


@dataclass(frozen=True, slots=True)
class PromptedPeriod:
    period: str
    first_day: date
    status: str
    undeliverable: bool


def _response(row: sqlite3.Row) -> Response:
    scores = None
    if row["use_score"] is not None:
        scores = Scores(
            use=row["use_score"],
            risk=row["risk_score"],
            protective=row["protective_score"],
            satisfaction=row["satisfaction"],
        )
    return Response(
        id=row["id"],
        user_id=row["user_id"],
        period=row["period"],
        first_day=parse_day(row["first_day"]),
        scores=scores,
        started_at=parse_ts(row["started_at"]),
        updated_at=parse_ts(row["updated_at"]),
        completed_at=parse_ts(row["completed_at"]) if row["completed_at"] else None,
        replaced=row["replaced"],
    )


def _answer(row: sqlite3.Row) -> Answer:
    return Answer(
        item_key=row["item_key"],
        choice=row["choice"],
        label=row["label"],
        points=row["points"],
        answered_at=parse_ts(row["answered_at"]),
    )


def _prompted(row: sqlite3.Row) -> PromptedPeriod:
    return PromptedPeriod(
        period=row["period"],
        first_day=parse_day(row["first_day"]),
        status=row["status"],
        undeliverable=bool(row["undeliverable"]),
    )


class SurveyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- responses and answers ------------------------------------------------------

    async def response_in(self, tx: Transaction, user_id: int, period: str) -> Response | None:
        row = await tx.fetchone(
            "SELECT * FROM survey_responses WHERE user_id = ? AND period = ?", (user_id, period)
        )
        return None if row is None else _response(row)

    async def response(self, user_id: int, period: str) -> Response | None:
        row = await self.db.fetchone(
            "SELECT * FROM survey_responses WHERE user_id = ? AND period = ?", (user_id, period)
        )
        return None if row is None else _response(row)

    async def get(self, response_id: int) -> Response | None:
        row = await self.db.fetchone("SELECT * FROM survey_responses WHERE id = ?", (response_id,))
        return None if row is None else _response(row)

    async def start(
        self, tx: Transaction, *, user_id: int, period: str, first_day: date, now: datetime
    ) -> int:
        """The response for ``period`` (created if new); its id."""
        row = await tx.fetchone(
            "INSERT INTO survey_responses (user_id, period, first_day, started_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, period) "
            "DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
            (user_id, period, day(first_day), ts(now), ts(now)),
        )
        if row is None:  # pragma: no cover - an upsert always returns its row
            raise RuntimeError("survey response upsert returned no row")
        return int(row["id"])

    async def save_answers(
        self,
        tx: Transaction,
        response_id: int,
        answers: Mapping[str, tuple[int, str, int]],
        now: datetime,
    ) -> None:
        """Store ``item key → (choice, label, points)``; an answer given again replaces it."""
        for key, (choice, label, points) in answers.items():
            await tx.execute(
                "INSERT INTO survey_answers (response_id, item_key, choice, label, points, "
                "answered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (response_id, item_key) "
                "DO UPDATE SET choice = excluded.choice, label = excluded.label, "
                "points = excluded.points, answered_at = excluded.answered_at",
                (response_id, key, choice, label, points, ts(now)),
            )

    async def answers_in(self, tx: Transaction, response_id: int) -> list[Answer]:
        rows = await tx.fetchall(
            "SELECT * FROM survey_answers WHERE response_id = ? ORDER BY rowid", (response_id,)
        )
        return [_answer(r) for r in rows]

    async def answers(self, response_id: int) -> list[Answer]:
        rows = await self.db.fetchall(
            "SELECT * FROM survey_answers WHERE response_id = ? ORDER BY rowid", (response_id,)
        )
        return [_answer(r) for r in rows]

    async def set_scores(
        self, tx: Transaction, response_id: int, scores: Scores, now: datetime
    ) -> bool:
        """Record a complete response's scores; True when it was complete before (replaced)."""
        row = await tx.fetchone(
            "SELECT completed_at FROM survey_responses WHERE id = ?", (response_id,)
        )
        again = row is not None and row["completed_at"] is not None
        await tx.execute(
            "UPDATE survey_responses SET use_score = ?, risk_score = ?, protective_score = ?, "
            "satisfaction = ?, updated_at = ?, completed_at = COALESCE(completed_at, ?), "
            "replaced = replaced + ? WHERE id = ?",
            (
                scores.use,
                scores.risk,
                scores.protective,
                scores.satisfaction,
                ts(now),
                ts(now),
                1 if again else 0,
                response_id,
            ),
        )
        return again

    async def previous_complete_in(
        self, tx: Transaction, user_id: int, first_day: date
    ) -> Response | None:
        """The client's latest complete response from a period before ``first_day``."""
        row = await tx.fetchone(
            "SELECT * FROM survey_responses WHERE user_id = ? AND first_day < ? "
            "AND use_score IS NOT NULL ORDER BY first_day DESC LIMIT 1",
            (user_id, day(first_day)),
        )
        return None if row is None else _response(row)

    async def complete_for(self, user_id: int, limit: int | None = None) -> list[Response]:
        """The client's complete responses, oldest first (the last ``limit`` of them)."""
        rows = await self.db.fetchall(
            "SELECT * FROM (SELECT * FROM survey_responses WHERE user_id = ? "
            "AND use_score IS NOT NULL ORDER BY first_day DESC LIMIT ?) ORDER BY first_day",
            (user_id, -1 if limit is None else limit),
        )
        return [_response(r) for r in rows]

    async def all_for(self, user_id: int) -> list[Response]:
        rows = await self.db.fetchall(
            "SELECT * FROM survey_responses WHERE user_id = ? ORDER BY first_day", (user_id,)
        )
        return [_response(r) for r in rows]

    async def complete_since(self, user_ids: list[int], first: date) -> list[Response]:
        """Complete responses of ``user_ids`` from periods starting on or after ``first``."""
        if not user_ids:
            return []
        marks = ", ".join("?" for _ in user_ids)
        rows = await self.db.fetchall(
            f"SELECT * FROM survey_responses WHERE user_id IN ({marks}) "  # noqa: S608 (marks only)
            "AND first_day >= ? AND use_score IS NOT NULL ORDER BY first_day",
            (*user_ids, day(first)),
        )
        return [_response(r) for r in rows]

    # ----- the prompt schedule ---------------------------------------------------------

    async def user_ids_with_schedules(self) -> set[int]:
        rows = await self.db.fetchall("SELECT user_id FROM survey_schedules")
        return {int(r["user_id"]) for r in rows}

    async def schedule(self, user_id: int) -> Schedule | None:
        row = await self.db.fetchone("SELECT * FROM survey_schedules WHERE user_id = ?", (user_id,))
        return None if row is None else _schedule(row)

    async def schedules(self) -> list[Schedule]:
        rows = await self.db.fetchall("SELECT * FROM survey_schedules")
        return [_schedule(r) for r in rows]

    async def schedule_in(self, tx: Transaction, user_id: int) -> Schedule | None:
        row = await tx.fetchone("SELECT * FROM survey_schedules WHERE user_id = ?", (user_id,))
        return None if row is None else _schedule(row)

    async def due(self, now: datetime) -> list[Schedule]:
        rows = await self.db.fetchall(
            "SELECT * FROM survey_schedules WHERE next_prompt_at <= ? ORDER BY next_prompt_at",
            (ts(now),),
        )
        return [_schedule(r) for r in rows]

    async def set_schedule(
        self,
        tx: Transaction,
        user_id: int,
        *,
        planned_zone: str,
        next_prompt_at: datetime,
        now: datetime,
    ) -> None:
        await tx.execute(
            "INSERT INTO survey_schedules (user_id, planned_zone, next_prompt_at, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "planned_zone = excluded.planned_zone, next_prompt_at = excluded.next_prompt_at, "
            "updated_at = excluded.updated_at",
            (user_id, planned_zone, ts(next_prompt_at), ts(now)),
        )

    async def advance(
        self,
        tx: Transaction,
        user_id: int,
        *,
        expected: datetime,
        next_prompt_at: datetime,
        now: datetime,
    ) -> bool:
        """Move the next prompt on, only if nobody else already did (compare-and-set)."""
        changed = await tx.rowcount(
            "UPDATE survey_schedules SET next_prompt_at = ?, updated_at = ? "
            "WHERE user_id = ? AND next_prompt_at = ?",
            (ts(next_prompt_at), ts(now), user_id, ts(expected)),
        )
        return changed == 1

    # ----- period bookkeeping ----------------------------------------------------------

    async def record_period(
        self,
        tx: Transaction,
        *,
        user_id: int,
        period: str,
        first_day: date,
        status: str,
        planned_at: datetime,
        now: datetime,
    ) -> bool:
        """Record how a period's prompt was handled; False if it was already handled."""
        row = await tx.fetchone(
            "INSERT INTO survey_periods (user_id, period, first_day, status, planned_at, "
            "queued_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, period) DO NOTHING "
            "RETURNING user_id",
            (user_id, period, day(first_day), status, ts(planned_at), ts(now)),
        )
        return row is not None

    async def period_recorded_in(self, tx: Transaction, user_id: int, period: str) -> bool:
        row = await tx.fetchone(
            "SELECT 1 FROM survey_periods WHERE user_id = ? AND period = ?", (user_id, period)
        )
        return row is not None

    async def mark_undeliverable(self, tx: Transaction, user_id: int, period: str) -> None:
        await tx.execute(
            "UPDATE survey_periods SET undeliverable = 1 WHERE user_id = ? AND period = ?",
            (user_id, period),
        )

    async def prompted_before_in(
        self, tx: Transaction, user_id: int, first_day: date, limit: int
    ) -> list[PromptedPeriod]:
        """The most recent prompted (not skipped) periods before ``first_day``, oldest first."""
        rows = await tx.fetchall(
            "SELECT * FROM (SELECT * FROM survey_periods WHERE user_id = ? AND first_day < ? "
            "AND status IN ('queued', 'late') ORDER BY first_day DESC LIMIT ?) "
            "ORDER BY first_day",
            (user_id, day(first_day), limit),
        )
        return [_prompted(r) for r in rows]

    async def completed_periods_in(
        self, tx: Transaction, user_id: int, periods: list[str]
    ) -> set[str]:
        if not periods:
            return set()
        marks = ", ".join("?" for _ in periods)
        rows = await tx.fetchall(
            "SELECT period FROM survey_responses WHERE user_id = ? "  # noqa: S608 (marks only)
            f"AND period IN ({marks}) AND use_score IS NOT NULL",
            (user_id, *periods),
        )
        return {str(r["period"]) for r in rows}

    async def periods(self, user_id: int) -> list[PromptedPeriod]:
        rows = await self.db.fetchall(
            "SELECT * FROM survey_periods WHERE user_id = ? ORDER BY first_day", (user_id,)
        )
        return [_prompted(r) for r in rows]

    # ----- delete and retention --------------------------------------------------------

    async def delete_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        answers = await tx.rowcount(
            "DELETE FROM survey_answers WHERE response_id IN "
            "(SELECT id FROM survey_responses WHERE user_id = ?)",
            (user_id,),
        )
        removed = {"survey_answers": answers}
        for table in ("survey_responses", "survey_periods", "survey_schedules"):
            removed[table] = await tx.rowcount(
                f"DELETE FROM {table} WHERE user_id = ?",  # noqa: S608 (fixed table names)
                (user_id,),
            )
        return removed

    async def purge_before(self, tx: Transaction, cutoff: date) -> dict[str, int]:
        """Delete responses, answers and bookkeeping of periods that began before ``cutoff``."""
        answers = await tx.rowcount(
            "DELETE FROM survey_answers WHERE response_id IN "
            "(SELECT id FROM survey_responses WHERE first_day < ?)",
            (day(cutoff),),
        )
        return {
            "survey_answers": answers,
            "survey_responses": await tx.rowcount(
                "DELETE FROM survey_responses WHERE first_day < ?", (day(cutoff),)
            ),
            "survey_periods": await tx.rowcount(
                "DELETE FROM survey_periods WHERE first_day < ?", (day(cutoff),)
            ),
        }


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        user_id=row["user_id"],
        planned_zone=row["planned_zone"],
        next_prompt_at=parse_ts(row["next_prompt_at"]),
    )
