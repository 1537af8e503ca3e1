"""Issue 16 item 4: the process stays up through non-fatal errors and says what is degraded;
fatal ones end it with one line and a distinct exit code."""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest

import bot.app as app_module
from bot import cli
from bot.app import create_bot
from bot.config import Settings
from bot.db.migrate import MigrationError
from bot.services.jobs import Jobs
from tests.harness import program_world


async def setup(bot):  # this module doubles as a feature that fails to load
    raise RuntimeError("broken feature")


def settings(tmp_path) -> Settings:
    return Settings(
        discord={"token": "t", "guild_id": 1},
        database={"path": str(tmp_path / "x.sqlite3")},
    )


async def test_a_feature_that_fails_to_load_degrades_the_bot_not_stops_it(tmp_path, monkeypatch):
    real = app_module.cog_modules
    monkeypatch.setattr(app_module, "cog_modules", lambda s: [*real(s), "tests.test_stays_up"])
    async with program_world(tmp_path, cogs=("clients",)) as w:
        assert len(w.bot.degraded) == 1
        assert w.bot.degraded[0].startswith("feature tests.test_stays_up (ref ")
        assert "cogs.clients" in w.bot.extensions  # the rest loaded
        for _ in range(50):
            if await w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'bot_status'"):
                break
            await asyncio.sleep(0.05)
        row = await w.db.fetchone("SELECT target_id, payload FROM outbox WHERE kind = 'bot_status'")
        assert row is not None and row["target_id"] == w.mod_log.id
        assert "reduced function" in row["payload"] and "tests.test_stays_up" in row["payload"]


async def test_an_event_handler_error_is_logged_with_a_ref(tmp_path, caplog):
    bot = create_bot(settings(tmp_path))
    caplog.set_level(logging.ERROR, logger="iopbot.app")
    try:
        raise KeyError("a payload field")
    except KeyError:
        await bot.on_error("on_message")
    record = next(r for r in caplog.records if r.getMessage() == "event.error")
    assert len(record.ref) == 4 and record.event == "on_message"


async def test_a_failing_job_is_logged_with_a_ref_and_runs_again(caplog):
    jobs = Jobs(misfire_grace_seconds=30)
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("once")

    from datetime import timedelta

    jobs.every("flaky", flaky, timedelta(hours=1))
    caplog.set_level(logging.ERROR, logger="iopbot.jobs")
    await jobs.run("flaky")
    await jobs.run("flaky")
    assert len(calls) == 2
    record = next(r for r in caplog.records if r.getMessage() == "job.failed")
    assert len(record.ref) == 4


async def test_shutdown_waits_for_running_jobs_before_returning():
    jobs = Jobs(misfire_grace_seconds=30)
    finished = []
    started = asyncio.Event()

    async def slow():
        started.set()
        await asyncio.sleep(0.2)
        finished.append("done")

    from datetime import timedelta

    jobs.every("slow", slow, timedelta(hours=1))
    running = asyncio.create_task(jobs.run("slow"))
    await started.wait()
    await jobs.stop()
    assert finished == ["done"]  # the database may close now
    await running


async def test_shutdown_cancels_a_job_that_overruns_the_grace():
    jobs = Jobs(misfire_grace_seconds=30)
    started = asyncio.Event()

    async def stuck():
        started.set()
        await asyncio.sleep(3600)

    from datetime import timedelta

    jobs.every("stuck", stuck, timedelta(hours=1))
    running = asyncio.create_task(jobs.run("stuck"))
    await started.wait()
    await jobs.stop(grace_seconds=0.05)
    assert running.done()


class _FailingBot:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    async def start(self, token):
        raise self.error

    async def close(self):
        return None


@pytest.mark.parametrize(
    ("error", "code", "says"),
    [
        (RuntimeError("gateway payload"), cli.EXIT_UNEXPECTED, "unexpected RuntimeError"),
        (MigrationError("0009 failed"), cli.EXIT_DATABASE, "could not be opened or upgraded"),
        (discord.LoginFailure("no"), cli.EXIT_LOGIN, "refused the token"),
    ],
)
async def test_a_fatal_error_exits_with_one_line_and_its_own_code(
    tmp_path, monkeypatch, capsys, error, code, says
):
    monkeypatch.setattr(app_module, "create_bot", lambda s: _FailingBot(error))
    assert await cli._run_bot(settings(tmp_path)) == code
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1
    assert "Traceback" not in err


async def test_unexpected_gateway_errors_reconnect_then_give_up(tmp_path, monkeypatch):
    bot = create_bot(settings(tmp_path))
    attempts = []

    async def broken_connect(self, *, reconnect=True):
        attempts.append(1)
        raise KeyError("unparseable payload")

    monkeypatch.setattr(discord.Client, "connect", broken_connect)
    monkeypatch.setattr(app_module.asyncio, "sleep", _no_sleep)
    with pytest.raises(KeyError):
        await bot.connect()
    assert len(attempts) == app_module.GATEWAY_FAILURES


async def test_a_gateway_error_after_ready_starts_the_count_again(tmp_path, monkeypatch):
    bot = create_bot(settings(tmp_path))
    attempts = []

    async def flaky_connect(self, *, reconnect=True):
        attempts.append(1)
        if len(attempts) < 8:
            await bot.on_ready()  # connected fine, then a bad payload
            raise KeyError("unparseable payload")

    monkeypatch.setattr(discord.Client, "connect", flaky_connect)
    monkeypatch.setattr(app_module.asyncio, "sleep", _no_sleep)
    await bot.connect()
    assert len(attempts) == 8


async def _no_sleep(seconds):
    return None
