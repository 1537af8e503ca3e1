"""Burst: 200 clients submit the check-in modal within one second.

Each client gets the day's prompt (the real planner and dispatcher), presses its
"Check in" button (the bot answers with the modal), and then all of them submit the
form, spread evenly over one second, through the emulator (INTERACTION_CREATE over the
gateway; the bot's answer comes back over REST with the emulator's latency added).

Measured for each submission: from the moment the emulator dispatches INTERACTION_CREATE
to the moment it has processed the bot's interaction callback (the acknowledgement
Discord's 3-second deadline is about).

Then the same with the database lock held (``locked_burst``): a transaction stays open for
``hold`` seconds (as a 500-row dispatcher batch, a backup or a purge can hold it) while
``locked_clients`` submit again. The form defers before any database work, so the first
response must not wait for the lock; the answers are saved once it is free.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.fanout import PLAN_JOB, START, dm_channel_seeder, first_due, queue_prompts
from bench.harness import BenchBot, enroll_all, running_bot

OPEN_ID = "iop:checkin:open"
ANSWERS = {"mood": "6", "craving": "2", "used": "no", "safety": "no", "note": ""}
LOCK_HOLD_S = 4.0


@dataclass
class BurstResult:
    clients: int
    latency_s: float
    window_s: float
    forms_opened: int = 0
    acknowledged: int = 0
    late_or_missing: int = 0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    saved: int = 0
    response_types: dict[str, int] = field(default_factory=dict)
    skipped: str | None = None
    lock_held_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def open_forms(bench: BenchBot) -> dict[int, str]:
    """Every client presses "Check in" on today's prompt; return each form's custom id."""
    emulator = bench.emulator
    forms: dict[int, str] = {}

    async def press(user_id: int) -> None:
        prompts = [
            m
            for m in emulator.dm_messages(user_id)
            if any(c.get("custom_id") == OPEN_ID for c in m.get("components", []))
        ]
        if not prompts:
            return
        result = await emulator.click(user_id, int(prompts[-1]["id"]), OPEN_ID)
        if result.modal is not None:
            forms[user_id] = str(result.modal["custom_id"])

    for start in range(0, len(bench.client_ids), 25):
        chunk = bench.client_ids[start : start + 25]
        await asyncio.gather(*(press(u) for u in chunk))
    return forms


async def submit_all(
    bench: BenchBot, forms: dict[int, str], window: float
) -> tuple[list[float], list[Any]]:
    """Submit every open form, evenly spread over ``window`` seconds; time each ack."""
    interactions = bench.emulator.interactions
    latencies: list[float] = []
    results: list[Any] = []

    async def watch(pending: Any) -> None:
        await pending.answered.wait()
        latencies.append(time.monotonic() - pending.created)

    async def submit(user_id: int) -> None:
        results.append(await bench.emulator.submit_modal(user_id, forms[user_id], ANSWERS))

    tasks: list[asyncio.Task[None]] = []
    watchers: list[asyncio.Task[None]] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    step = window / max(1, len(forms))
    for n, user_id in enumerate(forms):
        delay = started + n * step - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(submit(user_id)))
        await asyncio.sleep(0)  # the submit runs until it has dispatched INTERACTION_CREATE
        newest = interactions.by_id[max(interactions.by_id)]
        watchers.append(asyncio.create_task(watch(newest)))
    await asyncio.gather(*tasks)
    for watcher in watchers:
        if not watcher.done():
            watcher.cancel()
    return latencies, results


async def burst(
    *,
    clients: int,
    latency: float,
    workdir: Path,
    window: float = 1.0,
) -> BurstResult:
    result = BurstResult(clients=clients, latency_s=latency, window_s=window)
    await _burst(result, workdir)
    return result


async def locked_burst(
    *,
    clients: int,
    latency: float,
    workdir: Path,
    window: float = 1.0,
    hold: float = LOCK_HOLD_S,
) -> BurstResult:
    """``clients`` submit their forms while a transaction holds the database lock."""
    result = BurstResult(clients=clients, latency_s=latency, window_s=window, lock_held_s=hold)
    await _burst(result, workdir, name="locked.sqlite3")
    return result


async def _burst(result: BurstResult, workdir: Path, name: str = "burst.sqlite3") -> None:
    clients, latency, window = result.clients, result.latency_s, result.window_s
    db_path = workdir / name
    async with running_bot(
        clients=clients,
        db_path=db_path,
        start=START,
        latency=latency,
        before_start=dm_channel_seeder(db_path, START),  # day 2: DM channels known
    ) as bench:
        if PLAN_JOB not in bench.bot.services.jobs.job_ids():
            result.skipped = "the check-ins cog is not installed"
            return
        await enroll_all(bench, program_start=START.date())
        due = await first_due(bench)
        await queue_prompts(bench, due)
        await bench.bot.services.dispatcher.run_once()
        forms = await open_forms(bench)
        result.forms_opened = len(forms)
        holder = None
        if result.lock_held_s:
            holder = asyncio.create_task(_hold_lock(bench, result.lock_held_s))
            await asyncio.sleep(0.05)  # the holder has the lock before the first submit
        latencies, answers = await submit_all(bench, forms, window)
        if holder is not None:
            await holder
        await bench.emulator.settle(0.2, limit=5.0 + result.lock_held_s)
        result.acknowledged = len(latencies)
        result.late_or_missing = sum(1 for value in latencies if value > 3.0) + (
            clients - len(latencies)
        )
        if latencies:
            result.p50_ms = statistics.median(latencies) * 1000
            result.p90_ms = percentile(latencies, 90) * 1000
            result.p99_ms = percentile(latencies, 99) * 1000
            result.max_ms = max(latencies) * 1000
        for answer in answers:
            name = str(answer.response_type)
            result.response_types[name] = result.response_types.get(name, 0) + 1
        result.saved = int(
            await bench.bot.services.db.fetchval(
                "SELECT COUNT(*) FROM checkins WHERE local_date = ?",
                (due.astimezone(_zone()).date().isoformat(),),
            )
            or 0
        )


async def _hold_lock(bench: BenchBot, seconds: float) -> None:
    async with bench.bot.services.db.transaction():
        await asyncio.sleep(seconds)


def _zone() -> Any:
    from zoneinfo import ZoneInfo

    from bench.harness import CLIENT_ZONE

    return ZoneInfo(CLIENT_ZONE)
