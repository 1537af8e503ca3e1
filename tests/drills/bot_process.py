"""The real iopbot in its own process, against an emulator started by a drill test.

    python -m tests.drills.bot_process CONFIG.json

CONFIG holds the emulator's api base, the database path, the seeded ids and the cogs to
enable. The drills SIGKILL this process and start it again on the same database.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TOKEN = "drill-token"


class OffsetClock:
    """The system clock moved ``offset`` ahead: the bot restarted after simulated downtime."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def build_settings(config: dict[str, Any]) -> Any:
    from bot.config import Settings

    return Settings(
        discord={
            "token": TOKEN,
            "guild_id": config["guild_id"],
            "api_base": config["api_base"],
        },
        roles=config["roles"],
        channels=config["channels"],
        database={"path": config["db"]},
        cogs={"enabled": config["cogs"]},
        program={"name": "Drill IOP", "timezone": "America/New_York"},
        outbox={"poll_seconds": 0.5, **config.get("outbox", {})},
        logging={"level": "INFO", "json": True},
    )


async def main(config: dict[str, Any]) -> None:
    from bot.app import create_bot

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    offset = timedelta(seconds=float(config.get("clock_offset_seconds", 0)))
    bot = create_bot(build_settings(config), clock=OffsetClock(offset))
    bot._connection.guild_ready_timeout = 0.2  # the emulator sends every guild at once
    async with bot:
        await bot.start(TOKEN)


if __name__ == "__main__":
    asyncio.run(main(json.loads(Path(sys.argv[1]).read_text())))
