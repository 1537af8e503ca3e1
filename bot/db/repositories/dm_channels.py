"""Known DM channel ids (user → the bot's DM channel with them)."""

from __future__ import annotations

from datetime import datetime

from bot.db.codec import ts
from bot.db.database import Database


class DmChannelRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def all(self) -> dict[int, int]:
        rows = await self.db.fetchall("SELECT user_id, channel_id FROM dm_channels")
        return {int(r["user_id"]): int(r["channel_id"]) for r in rows}

    async def get(self, user_id: int) -> int | None:
        value = await self.db.fetchval(
            "SELECT channel_id FROM dm_channels WHERE user_id = ?", (user_id,)
        )
        return None if value is None else int(value)

    async def save(self, user_id: int, channel_id: int, now: datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO dm_channels (user_id, channel_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id, "
                "updated_at = excluded.updated_at",
                (user_id, channel_id, ts(now)),
            )

    async def forget(self, user_id: int) -> int:
        async with self.db.transaction() as tx:
            return await tx.rowcount("DELETE FROM dm_channels WHERE user_id = ?", (user_id,))
