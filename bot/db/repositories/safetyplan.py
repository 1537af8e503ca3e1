"""Personal safety plans: one row per person, one column per part (bot/domain/safetyplan.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import parse_ts, ts
from bot.db.database import Database, Transaction
from bot.domain.safetyplan import PART_KEYS

_COLUMNS = ", ".join(PART_KEYS)


@dataclass(frozen=True, slots=True)
class SafetyPlan:
    user_id: int
    texts: Mapping[str, str | None]  # part key → the person's text (None when empty)
    created_at: datetime
    updated_at: datetime

    def text(self, key: str) -> str | None:
        return self.texts.get(key)

    @property
    def is_empty(self) -> bool:
        return not any(self.texts.values())


def _plan(row: sqlite3.Row) -> SafetyPlan:
    return SafetyPlan(
        user_id=row["user_id"],
        texts={key: row[key] for key in PART_KEYS},
        created_at=parse_ts(row["created_at"]),
        updated_at=parse_ts(row["updated_at"]),
    )


class SafetyPlanRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> SafetyPlan | None:
        row = await self.db.fetchone(
            f"SELECT user_id, {_COLUMNS}, created_at, updated_at "  # noqa: S608 (fixed columns)
            "FROM safety_plans WHERE user_id = ?",
            (user_id,),
        )
        return _plan(row) if row else None

    async def save_parts(
        self, tx: Transaction, user_id: int, texts: Mapping[str, str | None], now: datetime
    ) -> None:
        """Write the given parts (the others are kept as they are); create the row if new."""
        keys = [key for key in PART_KEYS if key in texts]
        if len(keys) != len(texts):
            raise ValueError(f"unknown safety plan parts: {sorted(set(texts) - set(keys))}")
        columns = "".join(f"{key}, " for key in keys)
        marks = "".join("?, " for _ in keys)
        updates = "".join(f"{key} = excluded.{key}, " for key in keys)
        await tx.execute(
            f"INSERT INTO safety_plans (user_id, {columns}created_at, updated_at) "  # noqa: S608 (keys from PART_KEYS)
            f"VALUES (?, {marks}?, ?) "
            f"ON CONFLICT (user_id) DO UPDATE SET {updates}updated_at = excluded.updated_at",
            (user_id, *(texts[key] for key in keys), ts(now), ts(now)),
        )

    async def delete_for(self, tx: Transaction, user_id: int) -> dict[str, int]:
        return {
            "safety_plans": await tx.rowcount(
                "DELETE FROM safety_plans WHERE user_id = ?", (user_id,)
            )
        }

    async def purge_unchanged_since(self, tx: Transaction, cutoff: datetime) -> dict[str, int]:
        """Delete plans nobody has changed since ``cutoff`` (retention.safety_plan_days)."""
        return {
            "safety_plans": await tx.rowcount(
                "DELETE FROM safety_plans WHERE updated_at < ?", (ts(cutoff),)
            )
        }
