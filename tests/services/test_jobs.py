"""Jobs: stable ids, one run at a time, errors logged and never lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.services.jobs import Jobs


async def test_replacing_a_job_keeps_one_and_run_all_runs_each_once():
    jobs = Jobs(misfire_grace_seconds=60)
    calls: list[str] = []

    async def first() -> None:
        calls.append("first")

    async def second() -> None:
        calls.append("second")

    jobs.every("a", first, timedelta(minutes=1))
    jobs.every("a", second, timedelta(minutes=1))
    jobs.every("b", first, timedelta(minutes=1))
    assert jobs.job_ids() == ["a", "b"]
    await jobs.run_all()
    assert calls == ["second", "first"]
    jobs.remove("a")
    assert jobs.job_ids() == ["b"]


async def test_a_job_never_runs_twice_at_once():
    jobs = Jobs(misfire_grace_seconds=60)
    active = 0
    most = 0
    runs = 0

    async def slow() -> None:
        nonlocal active, most, runs
        active += 1
        most = max(most, active)
        await asyncio.sleep(0.01)
        active -= 1
        runs += 1

    jobs.every("slow", slow, timedelta(minutes=1))
    await asyncio.gather(jobs.run("slow"), jobs.run("slow"), jobs.run("slow"))
    assert (most, runs) == (1, 3)
    # the timer's path skips a tick while the job runs
    timer = jobs._guarded("slow", wait=False)
    await asyncio.gather(jobs.run("slow"), timer())
    assert runs == 4


async def test_a_failing_job_is_logged_and_others_still_run(caplog):
    jobs = Jobs(misfire_grace_seconds=60)
    ran: list[str] = []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def fine() -> None:
        ran.append("fine")

    jobs.every("broken", broken, timedelta(minutes=1))
    jobs.every("fine", fine, timedelta(minutes=1))
    await jobs.run_all()
    assert ran == ["fine"]
    assert any(r.message == "job.failed" and r.job == "broken" for r in caplog.records)


async def test_jobs_remember_their_last_run_and_outcome():
    from datetime import UTC, datetime

    from bot.services.clock import FakeClock
    from bot.services.jobs import Jobs

    clock = FakeClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    jobs = Jobs(misfire_grace_seconds=60, clock=clock)

    async def fine() -> None:
        return None

    async def broken() -> None:
        raise RuntimeError("boom")

    jobs.every("fine", fine, timedelta(minutes=1))
    jobs.every("broken", broken, timedelta(minutes=1))
    assert jobs.last_runs == {}
    await jobs.run_all()
    assert jobs.last_runs["fine"].ok and jobs.last_runs["fine"].finished_at == clock.now()
    assert not jobs.last_runs["broken"].ok
    jobs.shutdown()
