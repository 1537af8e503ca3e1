"""Periodic work, keyed by stable ids. APScheduler is only the alarm clock.

Every job is a coroutine that asks the database what is due *now* (by the injected
clock) and does it, so a restart simply runs the jobs again and catches up, each thing
once. Jobs are added with ``replace_existing=True`` under a stable id, so reloading a
cog never doubles them. ``run_all()`` runs every job once, in registration order
(the sandbox calls it after moving its clock; tests call it instead of waiting).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.services.clock import Clock, SystemClock

log = logging.getLogger("iopbot.jobs")

JobFn = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class JobRun:
    """When a job last finished (injected clock) and whether it raised."""

    finished_at: datetime
    ok: bool


class Jobs:
    def __init__(self, *, misfire_grace_seconds: int, clock: Clock | None = None) -> None:
        self._clock: Clock = clock or SystemClock()
        self.last_runs: dict[str, JobRun] = {}
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": misfire_grace_seconds,
            },
        )
        self._jobs: dict[str, JobFn] = {}
        self._running: dict[str, asyncio.Lock] = {}
        self._active: set[asyncio.Task[object]] = set()

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def stop(self, *, grace_seconds: float = 10.0) -> None:
        """Stop the timers, then let running jobs finish (cancel them after
        ``grace_seconds``) and wait for them: nothing may touch the database once
        ``close()`` goes on to close it."""
        self.shutdown()
        current = asyncio.current_task()
        active = [t for t in self._active if t is not current and not t.done()]
        if not active:
            return
        _, pending = await asyncio.wait(active, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("jobs.cancelled_at_shutdown", extra={"jobs": len(pending)})
            await asyncio.gather(*pending, return_exceptions=True)

    def every(self, job_id: str, func: JobFn, interval: timedelta) -> None:
        """Run ``func`` every ``interval`` (real time) under the stable ``job_id``."""
        self._jobs[job_id] = func
        # replace_existing only applies once the scheduler runs; before that (while cogs
        # load in setup_hook) a second add would sit beside the first, so remove it here.
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)
        self._scheduler.add_job(
            self._guarded(job_id, wait=False),
            IntervalTrigger(seconds=interval.total_seconds(), timezone=UTC),
            id=job_id,
            replace_existing=True,
        )

    def remove(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def wake(self, job_id: str) -> None:
        """Ask for ``job_id`` to run as soon as possible (no-op when not running)."""
        job = self._scheduler.get_job(job_id)
        if job is not None and self._scheduler.running:
            # APScheduler's own wall clock: it only decides *when to look*.
            job.modify(next_run_time=datetime.now(UTC))

    async def run(self, job_id: str) -> None:
        """Run ``job_id`` now; if it is already running, wait for that run, then run again."""
        await self._guarded(job_id, wait=True)()

    async def run_all(self) -> None:
        for job_id in list(self._jobs):
            await self.run(job_id)

    def _guarded(self, job_id: str, *, wait: bool) -> Callable[[], Awaitable[None]]:
        """One run of a job at a time, whoever starts it (the timer or ``run_all``).

        The timer skips a tick while the job is still running; an explicit ``run`` waits.
        """

        async def run_job() -> None:
            func = self._jobs.get(job_id)
            if func is None:
                return
            lock = self._running.setdefault(job_id, asyncio.Lock())
            if lock.locked() and not wait:
                return
            task = asyncio.current_task()
            if task is not None:
                self._active.add(task)
            try:
                async with lock:
                    try:
                        await func()
                    except Exception as exc:  # logged with a ref; the next tick runs again
                        log.error(
                            "job.failed",
                            exc_info=(type(exc), exc, exc.__traceback__),
                            extra={"job": job_id, "ref": secrets.token_hex(2).upper()},
                        )
                        self.last_runs[job_id] = JobRun(self._clock.now(), ok=False)
                    else:
                        self.last_runs[job_id] = JobRun(self._clock.now(), ok=True)
            finally:
                if task is not None:
                    self._active.discard(task)

        return run_job
