"""One run of the real bot inside the sandbox: start it, stop it cleanly, or crash it.

Every asyncio task the bot creates (discord.py's event handlers, the bot's own task
group, scheduled jobs) is tagged with the run it belongs to, through a context variable
read by a task factory. That is what lets `crash()` behave like a killed process: every
task of the run is cancelled and none of the bot's shutdown code (`IopBot.close`, cog
unloads, the outbox's final flush) runs. What the operating system would then free for a
dead process is freed here too: the scheduler's timers, the bot's sockets (the emulator
sees the gateway drop), the SQLite connection (anything uncommitted is rolled back) and
the database lock file.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import weakref
from collections.abc import Coroutine, Generator
from typing import Any

_RUN: contextvars.ContextVar[BotRun | None] = contextvars.ContextVar(
    "sandbox_bot_run", default=None
)
STOP_TIMEOUT = 10.0


class BotRun:
    """The bot object, its `start` task, and every task created on its behalf."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self.task: asyncio.Task[None] | None = None

    def start(self, token: str) -> asyncio.Task[None]:
        loop = asyncio.get_running_loop()
        _track_tasks(loop)
        context = contextvars.copy_context()
        context.run(_RUN.set, self)
        self.task = loop.create_task(self.bot.start(token), name="sandbox-bot", context=context)
        self.tasks.add(self.task)
        return self.task

    async def stop(self) -> None:
        """A clean stop: the bot's own `close()`, as on Ctrl-C or SIGTERM."""
        await self.bot.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self.task, STOP_TIMEOUT)

    async def crash(self) -> None:
        """Like a killed process: tasks cancelled, no shutdown code, resources freed."""
        doomed = [t for t in self.tasks if not t.done() and t is not asyncio.current_task()]
        for task in doomed:
            task.cancel()
        if doomed:
            await asyncio.wait(doomed, timeout=STOP_TIMEOUT)
        with contextlib.suppress(Exception):
            self.bot.services.jobs.shutdown()  # the timers die with the process
        await self.bot.http.close()  # its sockets close: the emulator sees the gateway drop
        await self.bot.db.close()  # uncommitted work is rolled back, as SQLite does
        self.bot.release_database()


def _track_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Install (once per loop) a task factory that tags tasks with the current run."""
    previous = loop.get_task_factory()
    if getattr(previous, "sandbox_tracking", False):
        return

    def factory(
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any] | Generator[Any, None, Any],
        **kwargs: Any,
    ) -> asyncio.Future[Any]:
        if previous is not None:
            task = previous(loop, coro, **kwargs)
        else:
            task = asyncio.Task(coro, loop=loop, **kwargs)
        run = _RUN.get()
        if run is not None and isinstance(task, asyncio.Task):
            run.tasks.add(task)
        return task

    factory.sandbox_tracking = True  # type: ignore[attr-defined]
    loop.set_task_factory(factory)
