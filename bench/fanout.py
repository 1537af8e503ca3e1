"""Fan-out: 1,000 check-in prompts due in the same minute, sent by the real dispatcher.

The real bot (discord.py's own HTTP client, its per-route buckets and 429 handling) talks
to the loopback emulator, which enforces Discord's limits (50 requests/s per token, 5 per
5 s per channel for message creates, 10 per 10 s for DM-channel creation) and adds
``latency`` seconds to every REST request.

Two runs on the same bot, one after the other:

* **dispatcher**: the prompts are queued (through the real ``checkins:plan`` job when the
  check-ins cog is installed, else straight through ``services.outbox.enqueue`` with the
  same kind and dedupe key) and ``Dispatcher.run_once`` sends them;
* **naive**: the next day's prompts, claimed the same way, then sent one after another
  (``await sender(row, notice)`` and a transaction per row), through the same sender.

The lower bound is the number of requests the run needed (message creates plus DM-channel
creations, 429s not counted) divided by 50 per second. DM-channel creation has its own
bucket (10 per 10 s, no major parameter), so a run that must open many DM channels is
bounded by that bucket instead; ``bucket_bound_s`` reports it.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import BenchBot, enroll_all, running_bot

GLOBAL_RATE = 50.0
DM_CREATE_LIMIT, DM_CREATE_PERIOD = 10, 10.0
MESSAGE_ROUTE = "POST /channels/{channel_id}/messages"
DM_ROUTE = "POST /users/@me/channels"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, 07:00 in New York
PLAN_JOB = "checkins:plan"


@dataclass
class SendRun:
    """What one way of sending (dispatcher or naive) did, read from the emulator's log."""

    mode: str
    elapsed_s: float
    messages: int = 0
    dm_creates: int = 0
    other_requests: int = 0
    rate_limited_global: int = 0
    rate_limited_bucket: int = 0
    rate_limited_by_route: dict[str, int] = field(default_factory=dict)
    bound_s: float = 0.0
    bucket_bound_s: float = 0.0
    ratio: float = 0.0
    bucket_ratio: float = 0.0  # elapsed / bucket_bound_s
    lost: int = 0
    duplicates: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return self.messages + self.dm_creates + self.other_requests


@dataclass
class FanoutResult:
    clients: int
    latency_s: float
    queued_by: str  # "checkins:plan" or "outbox.enqueue"
    dm_channels_loaded: int  # clients whose DM channel id the bot loaded at start-up
    dispatcher: SendRun
    naive: SendRun | None
    ratio_to_naive: float | None
    discord_py_429_warnings: int
    settings: dict[str, Any]
    cold: SendRun | None = None  # first day: no DM channel known yet
    cold_clients: int = 0
    cold_dm_channels_loaded: int = 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for run in ("dispatcher", "naive", "cold"):
            if data[run] is not None:
                data[run]["requests"] = getattr(self, run).requests
        return data


# ----- queueing the prompts ------------------------------------------------------------


async def first_due(bench: BenchBot) -> datetime:
    """When everyone's first prompt falls due: the check-in time the planner gives.

    With the check-ins cog, one planner run at the start adopts every newly enrolled
    client with the program's default check-in time (all in one time zone, so all due
    in the same minute). Without it, an hour after the start.
    """
    if PLAN_JOB not in bench.bot.services.jobs.job_ids():
        return START + timedelta(hours=1)
    await bench.bot.services.jobs.run(PLAN_JOB)
    value = await bench.bot.services.db.fetchval(
        "SELECT MIN(next_at) FROM prompt_schedules WHERE schedule = 'checkin'"
    )
    latest = await bench.bot.services.db.fetchval(
        "SELECT MAX(next_at) FROM prompt_schedules WHERE schedule = 'checkin'"
    )
    if value is None or value != latest:
        raise RuntimeError("the planner did not give every client the same prompt time")
    return datetime.fromisoformat(str(value))


async def queue_prompts(bench: BenchBot, due_at: datetime) -> str:
    """Move the clock to ``due_at`` and queue that day's prompts; return how."""
    bench.clock.set(due_at)
    if PLAN_JOB in bench.bot.services.jobs.job_ids():
        await bench.bot.services.jobs.run(PLAN_JOB)
        return PLAN_JOB
    await _enqueue_directly(bench, due_at)
    return "outbox.enqueue"


async def _enqueue_directly(bench: BenchBot, due_at: datetime) -> None:
    from bot.services.notices import Button, Notice
    from bot.services.outbox import DM

    services = bench.bot.services
    local_date = due_at.date().isoformat()
    notice = Notice(
        content="Good morning. Your daily check-in is open.",
        buttons=(Button("Check in", "iop:checkin:open"),),
    )
    async with services.db.transaction() as tx:
        for user_id in bench.client_ids:
            await services.outbox.enqueue(
                tx,
                dedupe_key=f"checkin:{user_id}:{local_date}",
                kind="checkin_prompt",
                target=DM(user_id),
                notice=notice,
                due_at=due_at,
                expires_at=due_at + timedelta(hours=12),
                subject_user_id=user_id,
            )


# ----- DM channels ---------------------------------------------------------------------


def sender_of(bench: BenchBot) -> Any:
    return bench.bot.services.dispatcher._send  # the DiscordSender app.py built


def dm_channel_seeder(db_path: Path, now: datetime) -> Any:
    """A ``running_bot(before_start=...)`` hook: the state of day 2 of a real program.

    On day 1 the sender opened each client's DM channel and stored its id in the
    ``dm_channels`` table (migration 0009). Here the emulator opens the channels
    server-side (no REST request, nothing counted) and the rows are written to the
    database *before* the bot starts, so the bot's own start-up (``setup_hook`` ->
    ``DiscordSender.load_known_channels``) is what makes them known, as after a restart.
    """

    async def seed(emulator: Any, client_ids: list[int]) -> None:
        from bot.db.database import Database
        from bot.db.migrate import migrate

        db = Database(db_path)
        await db.connect()
        try:
            await migrate(db)
            async with db.transaction() as tx:
                for user_id in client_ids:
                    channel_id = int(emulator.dm_channel_for(user_id)["id"])
                    await tx.execute(
                        "INSERT INTO dm_channels (user_id, channel_id, updated_at) "
                        "VALUES (?, ?, ?)",
                        (user_id, channel_id, now.isoformat()),
                    )
        finally:
            await db.close()

    return seed


def known_dm_channels(bench: BenchBot) -> int:
    """How many clients' DM channels the sender knows (loaded at start-up)."""
    known: dict[int, int] = getattr(sender_of(bench), "_dm_channel_ids", {})
    return sum(1 for user_id in bench.client_ids if user_id in known)


# ----- measuring -----------------------------------------------------------------------


def summarise_requests(requests: list[dict[str, Any]], run: SendRun) -> None:
    by_route: Counter[str] = Counter()
    for entry in requests:
        route = str(entry.get("route", entry.get("path")))
        if entry.get("status") == 429:
            by_route[route] += 1
            if entry.get("rate_limited") == "global":
                run.rate_limited_global += 1
            else:
                run.rate_limited_bucket += 1
            continue
        if route == MESSAGE_ROUTE:
            run.messages += 1
        elif route == DM_ROUTE:
            run.dm_creates += 1
        else:
            run.other_requests += 1
    run.rate_limited_by_route = dict(by_route)
    run.bound_s = run.requests / GLOBAL_RATE
    # DM-channel creation shares one bucket: 10 per fixed 10-second window.
    windows = max(0, -(-run.dm_creates // DM_CREATE_LIMIT) - 1)
    run.bucket_bound_s = max(run.bound_s, windows * DM_CREATE_PERIOD)
    run.ratio = run.elapsed_s / run.bound_s if run.bound_s else 0.0
    run.bucket_ratio = run.elapsed_s / run.bucket_bound_s if run.bucket_bound_s else 0.0


def count_deliveries(bench: BenchBot, nonces: set[str], run: SendRun) -> None:
    """Lost: a client without the prompt; duplicates: a prompt delivered twice."""
    per_nonce: Counter[str] = Counter()
    state = bench.emulator.state
    for user_id in bench.client_ids:
        channel_id = state.dm_channel_by_user.get(user_id)
        if channel_id is None:
            continue
        for message in state.messages_in(channel_id):
            nonce = str(message.get("nonce") or "")
            if nonce in nonces:
                per_nonce[nonce] += 1
    run.lost = sum(1 for nonce in nonces if per_nonce[nonce] == 0)
    run.duplicates = sum(n - 1 for n in per_nonce.values() if n > 1)


async def outbox_statuses(bench: BenchBot, ids: list[int]) -> dict[str, int]:
    rows = await bench.bot.services.db.fetchall(
        "SELECT status, COUNT(*) AS n FROM outbox WHERE id BETWEEN ? AND ? GROUP BY status",
        (min(ids), max(ids)),
    )
    return {str(r["status"]): int(r["n"]) for r in rows}


async def run_dispatcher(bench: BenchBot, due_at: datetime) -> tuple[SendRun, list[int]]:
    """Queue the day's prompts and let the real dispatcher send them; time all of it."""
    first_request = len(bench.emulator.requests)
    started = time.perf_counter()
    queued_by = await queue_prompts(bench, due_at)
    await bench.bot.services.dispatcher.run_once()  # waits for a kicked run, then drains
    elapsed = time.perf_counter() - started
    run = SendRun(mode=f"dispatcher ({queued_by})", elapsed_s=elapsed)
    summarise_requests(bench.emulator.requests[first_request:], run)
    return run, await _rows_for(bench, due_at)


async def _rows_for(bench: BenchBot, due_at: datetime) -> list[int]:
    local_date = due_at.date().isoformat()
    rows = await bench.bot.services.db.fetchall(
        "SELECT id FROM outbox WHERE kind = 'checkin_prompt' AND dedupe_key LIKE ? ORDER BY id",
        (f"checkin:%:{local_date}",),
    )
    return [int(r["id"]) for r in rows]


async def run_naive(bench: BenchBot, due_at: datetime) -> tuple[SendRun, list[int]]:
    """The next day's prompts, sent one at a time: await each send, one transaction each."""
    from bot.services.notices import Notice

    services = bench.bot.services
    services.outbox.on_due_now(None)  # no kicked dispatcher run: this loop sends
    try:
        await queue_prompts(bench, due_at)
        async with services.db.transaction() as tx:
            rows = await services.outbox_repo.claim_due(tx, bench.clock.now(), 1_000_000)
    finally:
        services.outbox.on_due_now(bench.bot.kick_dispatcher)
    sender = sender_of(bench)
    first_request = len(bench.emulator.requests)
    started = time.perf_counter()
    for row in rows:
        message_id = await sender(row, Notice.from_json(row.payload))
        async with services.db.transaction() as tx:
            await services.outbox_repo.mark_sent(tx, row.id, message_id, bench.clock.now())
    elapsed = time.perf_counter() - started
    run = SendRun(mode="naive (await each send)", elapsed_s=elapsed)
    summarise_requests(bench.emulator.requests[first_request:], run)
    return run, [row.id for row in rows]


async def finish(bench: BenchBot, run: SendRun, ids: list[int]) -> None:
    run.statuses = await outbox_statuses(bench, ids) if ids else {}
    count_deliveries(bench, {f"ob{i}" for i in ids}, run)
    run.lost = max(run.lost, len(bench.client_ids) - len(ids))


async def fanout(
    *,
    clients: int,
    latency: float,
    workdir: Path,
    naive: bool = True,
    cold_clients: int = 0,
) -> FanoutResult:
    """Day 2 of a program (DM channel ids stored on day 1, loaded at start-up): the
    dispatcher, then the naive loop; then, with ``cold_clients``, a separate first day."""
    db_path = workdir / "fanout.sqlite3"
    async with running_bot(
        clients=clients,
        db_path=db_path,
        start=START,
        latency=latency,
        before_start=dm_channel_seeder(db_path, START),
    ) as bench:
        await enroll_all(bench, program_start=START.date())
        loaded = known_dm_channels(bench)
        bench.discord_log.rate_limited = 0
        day1 = await first_due(bench)
        dispatched, ids = await run_dispatcher(bench, day1)
        await finish(bench, dispatched, ids)
        naive_run: SendRun | None = None
        if naive:
            await asyncio.sleep(1.1)  # let the global window from the first run pass
            naive_run, naive_ids = await run_naive(bench, day1 + timedelta(days=1))
            await finish(bench, naive_run, naive_ids)
        outbox = bench.bot.settings.outbox
        result = FanoutResult(
            clients=clients,
            latency_s=latency,
            queued_by=dispatched.mode,
            dm_channels_loaded=loaded,
            dispatcher=dispatched,
            naive=naive_run,
            ratio_to_naive=(
                dispatched.elapsed_s / naive_run.elapsed_s if naive_run is not None else None
            ),
            discord_py_429_warnings=bench.discord_log.rate_limited,
            settings={
                "rate_per_second": outbox.rate_per_second,
                "concurrency": outbox.concurrency,
                "batch_size": outbox.batch_size,
            },
        )
    if cold_clients:
        result.cold_clients = cold_clients
        result.cold, result.cold_dm_channels_loaded = await cold_fanout(
            clients=cold_clients, latency=latency, workdir=workdir
        )
    return result


async def cold_fanout(*, clients: int, latency: float, workdir: Path) -> tuple[SendRun, int]:
    """A program's first day: no DM channel known, so each prompt opens its DM channel
    (``POST /users/@me/channels``, 10 per 10 s) before it is sent; a fresh database."""
    async with running_bot(
        clients=clients, db_path=workdir / "fanout-cold.sqlite3", start=START, latency=latency
    ) as bench:
        await enroll_all(bench, program_start=START.date())
        loaded = known_dm_channels(bench)
        day1 = await first_due(bench)
        run, ids = await run_dispatcher(bench, day1)
        run.mode = f"cold first day, {run.mode}"
        await finish(bench, run, ids)
        return run, loaded
