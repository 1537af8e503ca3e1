"""Scale: 5,000 clients and a year of data; report queries, the chart, start-up, memory.

Runs as two child processes so the memory figure is the bot's own:

* ``python -m bench.scale generate DB --clients N`` migrates and fills ``DB``
  (``bench.dataset``) for the same member ids the emulator will give;
* ``python -m bench.scale measure DB --clients N`` starts the emulator with those members
  and the real bot on ``DB`` (login, ``setup_hook``: connect, migrate, services, cogs,
  command-sync check, then READY with every member), runs every scheduled job once (the
  planners' first run after a start), times the facilitator report paths and the 30-day
  chart, and reads the process's resident memory from ``/proc/self/status``.

Both print one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.dataset import NOW, build

REPEATS = 7


def member_ids(clients: int) -> list[int]:
    """The ids the emulator gives the bench's clients (snowflakes on a fixed clock)."""
    from bench.harness import seed_clients
    from bot.sandbox.demo_world import seed_demo_world
    from bot.sandbox.emulator import Emulator

    emulator = Emulator(now=lambda: NOW)
    world = seed_demo_world(emulator)
    return seed_clients(emulator, world, clients)


def generate(db: Path, clients: int) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    info = build(db, clients=clients, days=365, user_ids=member_ids(clients))
    return {
        "clients": info.clients,
        "days": info.days,
        "rows": info.rows,
        "skipped_tables": info.skipped,
        "seconds": round(info.seconds, 1),
        "size_mb": round(info.size_mb, 1),
    }


def memory() -> dict[str, float]:
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024  # kB -> MiB
    return found


async def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await fn(*args)
    return (time.perf_counter() - started) * 1000, result


async def measure(db: Path, clients: int) -> dict[str, Any]:
    from bench.harness import running_bot
    from cogs.checkins._chart import render_chart
    from cogs.checkins._history import load_history, report_clients, report_rows
    from cogs.checkins._render import report_text

    out: dict[str, Any] = {"memory_before_start_mib": memory()}
    started = time.perf_counter()
    async with running_bot(clients=clients, db_path=db, start=NOW, latency=0.05) as bench:
        out["startup_s"] = time.perf_counter() - started
        out["cogs"] = bench.extra["cogs"]
        services = bench.bot.services
        enrolled = {c.user_id for c in await services.clients.list_active()}
        out["members_enrolled"] = len(enrolled & set(bench.client_ids))
        per_job: dict[str, float] = {}
        jobs_started = time.perf_counter()
        for job_id in services.jobs.job_ids():  # run_due_work: planners, then the dispatcher
            if job_id != "outbox:dispatch":
                per_job[job_id] = (await timed(services.jobs.run, job_id))[0]
        per_job["outbox:dispatch"] = (await timed(services.jobs.run, "outbox:dispatch"))[0]
        out["first_jobs_run_s"] = time.perf_counter() - jobs_started
        out["jobs_ms"] = per_job

        cohorts = await services.db.fetchall(
            "SELECT id, name, channel_id FROM cohorts ORDER BY id LIMIT ?", (REPEATS,)
        )
        report_ms, hours_ms = [], []
        for cohort in cohorts:
            channel = SimpleNamespace(id=cohort["channel_id"], name=cohort["name"])

            async def checkin_report(channel: Any = channel) -> str:
                title, members = await report_clients(services, channel)
                week, rows = await report_rows(services, members)
                return report_text(title, week, rows)

            elapsed, _ = await timed(checkin_report)
            report_ms.append(elapsed)
            elapsed, _ = await timed(hours_report, services, int(cohort["id"]))
            hours_ms.append(elapsed)
        out["checkin_report_cohort_ms"] = statistics.median(report_ms)
        out["hours_report_cohort_ms"] = statistics.median(hours_ms)

        async def all_clients_report() -> str:
            title, members = await report_clients(services, None)
            week, rows = await report_rows(services, members)
            return report_text(title, week, rows)

        out["checkin_report_all_ms"], _ = await timed(all_clients_report)

        load_ms, render_ms = [], []
        for user_id in bench.client_ids[:REPEATS]:
            client = await services.clients.get(user_id)
            elapsed, history = await timed(load_history, services, client)
            load_ms.append(elapsed)
            began = time.perf_counter()
            await asyncio.to_thread(
                render_chart, history.days, history.points, history.missed, title="Check-ins"
            )
            render_ms.append((time.perf_counter() - began) * 1000)
        out["chart_load_ms"] = statistics.median(load_ms)
        out["chart_render_ms"] = statistics.median(render_ms)
        out["chart_first_render_ms"] = render_ms[0]
        out["chart_total_ms"] = out["chart_load_ms"] + out["chart_render_ms"]
        out["memory_mib"] = memory()
    return out


async def hours_report(services: Any, cohort_id: int) -> int:
    """What ``/hours report`` reads (cogs/groups/_hours.py): members, week hours, names."""
    from bot.db.repositories.attendance import AttendanceRepository
    from bot.db.repositories.cohorts import CohortRepository
    from bot.domain.localtime import iso_week, local_date

    members = await CohortRepository(services.db).members(cohort_id)
    week = iso_week(local_date(services.clock.now(), services.settings.program.timezone))
    hours = await AttendanceRepository(services.db).hours_in_week(members, week)
    names = [await services.clients.get(user_id) for user_id in members]
    return len(hours) + len(names)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("step", choices=("generate", "measure"))
    parser.add_argument("db", type=Path)
    parser.add_argument("--clients", type=int, default=5000)
    args = parser.parse_args(argv)
    if args.step == "generate":
        result = generate(args.db, args.clients)
    else:
        result = asyncio.run(measure(args.db, args.clients))
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
