"""Hash chains over the append-only tables: the audit trail and the accounting of disclosures.

Each row stores ``row_hash = sha256(previous row's chain value + the row's canonical
text)``, so changing, adding or removing a row breaks every later link. A trigger
(migration 0014) refuses DELETE except of rows a ``ledger_purges`` record covers: the
retention purge writes that record first (how many rows, up to which id, and the chain
value of the last removed row, which the next row builds on), then deletes. Rows written
before migration 0014 have no stored hash; they are still part of the chain (the first
hashed row commits to them).

The chain is not keyed: it detects changes made with ordinary SQL tools, not by someone
who recomputes every later hash. Removing the newest rows leaves no broken link.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.codec import ts
from bot.db.database import Database, Transaction


@dataclass(frozen=True, slots=True)
class ChainedTable:
    name: str
    columns: tuple[str, ...]  # hashed, in this order (id first); new columns are not hashed
    time_column: str

    @property
    def select_sql(self) -> str:
        cols = ", ".join(self.columns)
        return f"SELECT {cols}, row_hash FROM {self.name}"  # noqa: S608 - constants only


AUDIT_LOG = ChainedTable(
    "audit_log", ("id", "at", "actor_id", "action", "subject_user_id", "detail"), "at"
)
DISCLOSURES = ChainedTable(
    "family_disclosures",
    (
        "id",
        "disclosed_at",
        "client_id",
        "recipient_contact_id",
        "recipient_user_id",
        "recipient_name",
        "category",
        "purpose",
        "consent_id",
        "sender",
        "outbox_id",
        "session_id",
        "stage",
    ),
    "disclosed_at",
)
CHAINED = {t.name: t for t in (AUDIT_LOG, DISCLOSURES)}
MAX_PROBLEMS = 20


def link(table: ChainedTable, previous: str, values: tuple[Any, ...]) -> str:
    canonical = json.dumps([table.name, list(values)], separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((previous + canonical).encode("ascii")).hexdigest()


def _values(table: ChainedTable, row: sqlite3.Row) -> tuple[Any, ...]:
    return tuple(row[c] for c in table.columns)


class LedgerRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- writing ----------------------------------------------------------------------

    async def append(self, tx: Transaction, table: ChainedTable, values: dict[str, Any]) -> int:
        """Insert one row (every hashed column but ``id`` in ``values``); its new id."""
        last = await tx.fetchone(
            f"SELECT id, row_hash FROM {table.name} ORDER BY id DESC LIMIT 1"  # noqa: S608
        )
        anchor_id, anchor = await self._anchor(tx, table)
        if last is None:
            previous = anchor
        elif last["row_hash"] is not None:
            previous = last["row_hash"]
        else:
            previous = await self._chain_value_at(tx, table, int(last["id"]))
        new_id = max(anchor_id, int(last["id"]) if last else 0) + 1
        row = (new_id, *(values[c] for c in table.columns[1:]))
        cols = ", ".join((*table.columns, "row_hash"))
        marks = ", ".join("?" * (len(table.columns) + 1))
        await tx.execute(
            f"INSERT INTO {table.name} ({cols}) VALUES ({marks})",  # noqa: S608 - constants
            (*row, link(table, previous, row)),
        )
        return new_id

    async def purge_before(
        self, tx: Transaction, table: ChainedTable, cutoff: datetime, now: datetime
    ) -> int:
        """Remove the oldest rows, up to the first one at or after ``cutoff``; record it."""
        first_kept = await tx.fetchone(
            f"SELECT MIN(id) AS id FROM {table.name} WHERE {table.time_column} >= ?",  # noqa: S608
            (ts(cutoff),),
        )
        if first_kept is not None and first_kept["id"] is not None:
            up_to = int(first_kept["id"]) - 1
        else:
            newest = await tx.fetchone(f"SELECT MAX(id) AS id FROM {table.name}")  # noqa: S608
            up_to = int(newest["id"]) if newest and newest["id"] is not None else 0
        counted = await tx.fetchone(
            f"SELECT COUNT(*) AS n FROM {table.name} WHERE id <= ?",  # noqa: S608
            (up_to,),
        )
        removed = int(counted["n"]) if counted else 0
        if removed == 0:
            return 0
        anchor = await self._chain_value_at(tx, table, up_to)
        await tx.execute(
            "INSERT INTO ledger_purges (table_name, up_to_id, removed, anchor_hash, cutoff, "
            "purged_at) VALUES (?, ?, ?, ?, ?, ?)",
            (table.name, up_to, removed, anchor, ts(cutoff), ts(now)),
        )
        await tx.execute(f"DELETE FROM {table.name} WHERE id <= ?", (up_to,))  # noqa: S608
        return removed

    # ----- checking ---------------------------------------------------------------------

    async def verify(self) -> list[str]:
        """Every broken link in both chains, as readable lines (empty when intact)."""
        problems: list[str] = []
        for table in CHAINED.values():
            anchor_row = await self.db.fetchone(
                "SELECT up_to_id, anchor_hash FROM ledger_purges WHERE table_name = ? "
                "ORDER BY id DESC LIMIT 1",
                (table.name,),
            )
            up_to = int(anchor_row["up_to_id"]) if anchor_row else 0
            running = str(anchor_row["anchor_hash"]) if anchor_row else ""
            seen_hashed = False
            for row in await self.db.fetchall(table.select_sql + " ORDER BY id"):
                if len(problems) >= MAX_PROBLEMS:
                    return problems
                row_id = int(row["id"])
                if row_id <= up_to:
                    problems.append(
                        f"{table.name} row {row_id}: a purge removed it, yet it is back"
                    )
                running = link(table, running, _values(table, row))
                stored = row["row_hash"]
                if stored is None:
                    if seen_hashed:
                        problems.append(
                            f"{table.name} row {row_id}: written without a hash (not by iopbot)"
                        )
                    continue
                seen_hashed = True
                if stored != running:
                    problems.append(
                        f"{table.name} row {row_id}: hash mismatch (this row was changed, or "
                        "rows before it were changed, added or removed)"
                    )
                    running = str(stored)
        return problems

    async def row_counts(self) -> dict[str, int]:
        counts = {}
        for table in CHAINED.values():
            n = await self.db.fetchval(f"SELECT COUNT(*) FROM {table.name}")  # noqa: S608
            counts[table.name] = int(n)
        return counts

    # ----- helpers ----------------------------------------------------------------------

    async def _anchor(self, tx: Transaction, table: ChainedTable) -> tuple[int, str]:
        row = await tx.fetchone(
            "SELECT up_to_id, anchor_hash FROM ledger_purges WHERE table_name = ? "
            "ORDER BY id DESC LIMIT 1",
            (table.name,),
        )
        return (int(row["up_to_id"]), str(row["anchor_hash"])) if row else (0, "")

    async def _chain_value_at(self, tx: Transaction, table: ChainedTable, row_id: int) -> str:
        """The chain value after row ``row_id`` (stored, or recomputed past unhashed rows)."""
        stored = await tx.fetchone(
            f"SELECT row_hash FROM {table.name} WHERE id = ?",  # noqa: S608
            (row_id,),
        )
        if stored is not None and stored["row_hash"] is not None:
            return str(stored["row_hash"])
        _, running = await self._anchor(tx, table)
        rows = await tx.fetchall(
            table.select_sql + " WHERE id <= ? ORDER BY id",
            (row_id,),
        )
        for row in rows:
            running = link(table, running, _values(table, row))
        return running
