"""The recovery check: responses (one per client and period) and their answers
(migrations/0019_survey.sql; the prompt schedule is the core prompt service's)."""

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

    async def completed_periods_in(
        self, tx: Transaction, user_id: int, periods: list[str]
    ) -> set[str]:
        """Those of ``periods`` the client completed a response for."""
        if not periods:
            return set()
        marks = ", ".join("?" for _ in periods)
        rows = await tx.fetchall(
            "SELECT period FROM survey_responses WHERE user_id = ? "  # noqa: S608 (marks only)
            f"AND period IN ({marks}) AND use_score IS NOT NULL",
            (user_id, *periods),
        )
        return {str(r["period"]) for r in rows}

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

    # ----- delete and retention --------------------------------------------------------

    async def delete_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        answers = await tx.rowcount(
            "DELETE FROM survey_answers WHERE response_id IN "
            "(SELECT id FROM survey_responses WHERE user_id = ?)",
            (user_id,),
        )
        responses = await tx.rowcount("DELETE FROM survey_responses WHERE user_id = ?", (user_id,))
        return {"survey_answers": answers, "survey_responses": responses}

    async def purge_before(self, tx: Transaction, cutoff: date) -> dict[str, int]:
        """Delete responses and answers of periods that began before ``cutoff``."""
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
        }
