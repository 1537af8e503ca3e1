"""The prompt service on a real migrated database: a weekly schedule (Mondays 09:00 local)
and a daily one, queued through the outbox; catch-up, cut-off, pause, zone re-plan,
concurrent runs, 50007."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.config import OutboxSettings
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.clients import ClientRepository
from bot.db.repositories.outbox import OutboxRepository, OutboxRow
from bot.domain.recurrence import Cadence
from bot.keys import ProgramKey
from bot.services import prompt_run
from bot.services.clock import FakeClock
from bot.services.dispatcher import Dispatcher
from bot.services.jobs import Jobs
from bot.services.notices import Notice
from bot.services.outbox import Outbox
from bot.services.prompts import Occurrence, PeriodRecord, Prompts, PromptSchedule, cutoff_at
from bot.services.timezones import set_client_timezone

NY = ZoneInfo("America/New_York")
MONDAY_0800 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # Monday 08:00 EST
MONDAY_0900 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
ALEX = 1001


class Sends:
    def __init__(self) -> None:
        self.sent: list[OutboxRow] = []
        self.closed = False

    async def __call__(self, row: OutboxRow, notice: Notice) -> int:
        if self.closed:
            response = SimpleNamespace(status=403, reason="Forbidden")
            raise discord.Forbidden(response, {"code": 50007, "message": "closed"})  # type: ignore[arg-type]
        self.sent.append(row)
        return 50_000 + row.id


class Hooks:
    """What the cog would do: record each call."""

    def __init__(self) -> None:
        self.due: list[Occurrence] = []
        self.before: list[Occurrence] = []
        self.closed: list[PeriodRecord] = []
        self.skip_queue = False

    async def on_due(self, tx: Any, occ: Occurrence) -> Notice | None:
        self.due.append(occ)
        return None if self.skip_queue else Notice(content=f"Survey for {occ.period}")

    async def before_period(self, tx: Any, occ: Occurrence) -> None:
        self.before.append(occ)

    async def on_closed(self, tx: Any, period: PeriodRecord, row: OutboxRow) -> None:
        self.closed.append(period)


def weekly(hooks: Hooks, **changes: Any) -> PromptSchedule:
    values: dict[str, Any] = {
        "name": "survey",
        "kind": "survey_prompt",
        "cadence": Cadence.weekly(0),
        "default_time": lambda: "09:00",
        "late_cutoff": cutoff_at(lambda: "20:00"),
        "dedupe_key": lambda user_id, period: f"survey:{user_id}:{period}",
        "on_due": hooks.on_due,
        "before_period": hooks.before_period,
        "on_undeliverable": hooks.on_closed,
    }
    return PromptSchedule(**{**values, **changes})


@pytest.fixture
async def env(tmp_path):
    db = Database(tmp_path / "prompts.sqlite3")
    await db.connect()
    await migrate(db)
    clock = FakeClock(MONDAY_0800)
    outbox_repo = OutboxRepository(db)
    outbox = Outbox(outbox_repo, clock)
    sends = Sends()
    dispatcher = Dispatcher(
        db=db, repo=outbox_repo, clock=clock, send=sends, settings=OutboxSettings()
    )
    clients = ClientRepository(db)
    jobs = Jobs(misfire_grace_seconds=60, clock=clock)
    prompts = Prompts(
        db=db,
        clock=clock,
        clients=clients,
        outbox=outbox,
        dispatcher=dispatcher,
        jobs=jobs,
        key=ProgramKey.generate(),
    )
    hooks = Hooks()
    prompts.register(weekly(hooks))
    async with db.transaction() as tx:
        await clients.enroll(
            tx,
            user_id=ALEX,
            guild_id=1,
            display_name="Alex",
            timezone=NY,
            program_start=date(2026, 3, 2),
            enrolled_by=9,
            now=clock.now(),
        )
    yield SimpleNamespace(
        db=db,
        clock=clock,
        prompts=prompts,
        hooks=hooks,
        sends=sends,
        dispatcher=dispatcher,
        clients=clients,
        outbox=outbox,
        jobs=jobs,
    )
    await db.close()


async def periods(env: Any, name: str = "survey") -> dict[str, str]:
    return {p.period: p.status for p in await env.prompts.repo.periods(name, ALEX)}


async def queued_keys(env: Any) -> list[str]:
    rows = await env.db.fetchall("SELECT dedupe_key FROM outbox ORDER BY id")
    return [r["dedupe_key"] for r in rows]


async def test_a_new_client_is_adopted_and_prompted_once_at_the_local_time(env):
    assert await env.prompts.run("survey") == 0  # adopted: Monday 09:00 New York is next
    state = await env.prompts.state("survey", ALEX)
    assert state is not None and state.next_at == MONDAY_0900
    env.clock.set(MONDAY_0900)
    assert await env.prompts.run("survey") == 1
    assert await env.prompts.run("survey") == 0
    assert await queued_keys(env) == [f"survey:{ALEX}:2026-W10"]
    assert await periods(env) == {"2026-W10": "queued"}
    (occ,) = env.hooks.due
    assert (occ.local_date, occ.planned_at, occ.status) == (date(2026, 3, 2), MONDAY_0900, "queued")
    assert occ.cutoff == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 20:00 EST
    state = await env.prompts.state("survey", ALEX)
    assert state is not None and state.next_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # EDT
    assert env.jobs.job_ids() == ["prompts:survey"]


async def test_after_the_cutoff_the_period_is_skipped_and_the_next_one_comes(env):
    await env.prompts.run("survey")
    env.clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # Monday 21:00: the bot was down
    assert await env.prompts.run("survey") == 0
    assert await periods(env) == {"2026-W10": "skipped"}
    assert [o.status for o in env.hooks.before] == ["skipped"]  # the cog's rule still ran
    assert env.hooks.due == [] and await queued_keys(env) == []
    env.clock.set(datetime(2026, 3, 9, 13, 5, tzinfo=UTC))  # the next Monday 09:05 EDT
    assert await env.prompts.run("survey") == 1
    assert await periods(env) == {"2026-W10": "skipped", "2026-W11": "queued"}


async def test_before_the_cutoff_a_late_prompt_still_goes_out_once(env):
    await env.prompts.run("survey")
    env.clock.set(datetime(2026, 3, 2, 16, 30, tzinfo=UTC))  # 11:30, down since 08:00
    assert await env.prompts.run("survey") == 1
    assert await periods(env) == {"2026-W10": "late"}
    assert await env.prompts.run("survey") == 0


async def test_a_long_downtime_catches_up_only_the_latest_periods(env):
    hooks = Hooks()
    env.prompts.register(weekly(hooks, name="daily", kind="daily_prompt", cadence=Cadence.daily()))
    await env.prompts.run("daily")
    env.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))  # Thursday 11:00 EDT, 10 days on
    assert await env.prompts.run("daily") == 1
    # Older days are gone; yesterday is past its cut-off; today goes out late.
    assert await periods(env, "daily") == {"2026-03-11": "skipped", "2026-03-12": "late"}


async def test_the_catch_up_cap_bounds_one_run(env):
    hooks = Hooks()
    daily = weekly(hooks, name="daily", kind="daily_prompt", cadence=Cadence.daily(), catch_up=1)
    env.prompts.register(daily)
    await env.prompts.run("daily")
    env.clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))  # Tuesday 10:00: Monday missed
    assert await env.prompts.run("daily") == 0  # one period only: Monday, skipped
    assert await periods(env, "daily") == {"2026-03-02": "skipped"}
    assert await env.prompts.run("daily") == 1  # the next run: Tuesday
    assert await periods(env, "daily") == {"2026-03-02": "skipped", "2026-03-03": "late"}


async def test_a_pause_leaves_periods_before_its_end_alone_and_cancels_a_queued_prompt(env):
    env.prompts.register(weekly(env.hooks, name="survey"))
    env.clock.set(MONDAY_0900)
    await env.prompts.run("survey")
    client = await env.clients.get(ALEX)
    async with env.db.transaction() as tx:
        await env.prompts.pause(tx, "survey", client, date(2026, 3, 16), env.clock.now())
    status = await env.db.fetchval("SELECT status FROM outbox")
    assert status != "pending"  # the queued prompt will not be sent
    env.clock.set(datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    assert await env.prompts.run("survey") == 0
    assert await periods(env) == {"2026-W10": "queued"}  # W11 paused: not recorded
    env.clock.set(datetime(2026, 3, 16, 14, 0, tzinfo=UTC))
    assert await env.prompts.run("survey") == 1
    async with env.db.transaction() as tx:
        await env.prompts.resume(tx, "survey", client, env.clock.now())
    state = await env.prompts.state("survey", ALEX)
    assert state is not None and state.paused_until is None


async def test_the_zone_and_every_schedule_move_in_one_transaction(env):
    daily_hooks = Hooks()
    env.prompts.register(
        weekly(daily_hooks, name="daily", kind="daily_prompt", cadence=Cadence.daily())
    )
    await env.prompts.run("survey")
    await env.prompts.run("daily")
    services = SimpleNamespace(clients=env.clients, prompts=env.prompts)
    tokyo = ZoneInfo("Asia/Tokyo")
    now = env.clock.now()  # Monday 08:00 New York = Monday 22:00 Tokyo
    with pytest.raises(RuntimeError):
        async with env.db.transaction() as tx:
            plans = await set_client_timezone(services, tx, ALEX, tokyo, now)  # type: ignore[arg-type]
            assert set(plans) == {"survey", "daily"}
            state = await env.prompts.state_in(tx, "survey", ALEX)
            assert state is not None and state.planned_zone == "Asia/Tokyo"
            raise RuntimeError("the command failed after the write")
    # rolled back together: the zone and both plans
    assert (await env.clients.get(ALEX)).timezone == NY
    for name in ("survey", "daily"):
        state = await env.prompts.state(name, ALEX)
        assert state is not None and state.planned_zone == "America/New_York"
    async with env.db.transaction() as tx:
        plans = await set_client_timezone(services, tx, ALEX, tokyo, now)  # type: ignore[arg-type]
    # Tokyo: Monday's 09:00 has passed (13 hours ago, cut-off 20:00 passed too): next Monday
    assert plans["survey"] == datetime(2026, 3, 9, 0, 0, tzinfo=UTC)
    assert plans["daily"] == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # Tuesday 09:00 Tokyo
    for name in ("survey", "daily"):
        state = await env.prompts.state(name, ALEX)
        assert state is not None and state.planned_zone == "Asia/Tokyo"


async def test_a_zone_change_keeps_a_period_whose_prompt_time_just_passed(env):
    await env.prompts.run("survey")
    services = SimpleNamespace(clients=env.clients, prompts=env.prompts)
    env.clock.set(datetime(2026, 3, 2, 12, 30, tzinfo=UTC))  # 07:30 New York, 12:30 London
    async with env.db.transaction() as tx:
        plans = await set_client_timezone(  # type: ignore[arg-type]
            services, tx, ALEX, ZoneInfo("Europe/London"), env.clock.now()
        )
    assert plans["survey"] == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # London's Monday 09:00
    assert await env.prompts.run("survey") == 1
    assert await periods(env) == {"2026-W10": "late"}


async def test_two_concurrent_runs_never_both_queue(env):
    await env.prompts.run("survey")
    env.clock.set(MONDAY_0900)
    results = await asyncio.gather(*(env.prompts.run("survey") for _ in range(4)))
    assert sorted(results) == [0, 0, 0, 1]
    # A run that read the schedule before another moved it on loses the compare-and-set.
    stale = await env.prompts.state("survey", ALEX)
    env.clock.set(datetime(2026, 3, 9, 13, 0, tzinfo=UTC))
    client = await env.clients.get(ALEX)
    schedule = env.prompts.get("survey")
    first, second = await asyncio.gather(
        prompt_run._plan_client(env.prompts, schedule, client, stale, env.clock.now()),
        prompt_run._plan_client(env.prompts, schedule, client, stale, env.clock.now()),
    )
    assert sorted([first, second]) == [0, 1]
    assert await queued_keys(env) == [f"survey:{ALEX}:2026-W10", f"survey:{ALEX}:2026-W11"]
    assert len(env.hooks.due) == 2
    # the losers stopped at the compare-and-set: the cog's per-period hook ran once a period
    assert [o.period for o in env.hooks.before] == ["2026-W10", "2026-W11"]


async def test_moving_the_weekday_within_a_week_does_not_prompt_that_week_twice(env):
    env.clock.set(MONDAY_0900)
    await env.prompts.run("survey")
    async with env.db.transaction() as tx:
        next_at = await env.prompts.replan(tx, "survey", ALEX, env.clock.now(), day=2)
    assert next_at == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wednesday 09:00
    env.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    assert await env.prompts.run("survey") == 0  # week 10 was already prompted on Monday
    env.clock.set(datetime(2026, 3, 11, 13, 0, tzinfo=UTC))
    assert await env.prompts.run("survey") == 1
    assert await periods(env) == {"2026-W10": "queued", "2026-W11": "queued"}
    with pytest.raises(ValueError):
        async with env.db.transaction() as tx:
            await env.prompts.replan(tx, "survey", ALEX, env.clock.now(), day=7)


async def test_nothing_to_send_is_still_one_handled_period(env):
    env.hooks.skip_queue = True
    env.clock.set(MONDAY_0900)
    assert await env.prompts.run("survey") == 0
    assert await periods(env) == {"2026-W10": "queued"}
    assert await queued_keys(env) == []


async def test_a_closed_dm_marks_the_period_and_calls_the_cog(env):
    env.clock.set(MONDAY_0900)
    await env.prompts.run("survey")
    env.sends.closed = True
    await env.dispatcher.run_once()
    (closed,) = env.hooks.closed
    assert (closed.period, closed.undeliverable) == ("2026-W10", True)
    (record,) = await env.prompts.repo.periods("survey", ALEX)
    assert record.undeliverable


async def test_unregister_removes_the_job_and_the_hook(env):
    env.prompts.unregister("survey")
    assert env.jobs.job_ids() == []
    assert env.prompts.names() == []
    with pytest.raises(LookupError):
        await env.prompts.run("survey")


async def test_export_and_delete_cover_every_schedule(env):
    env.clock.set(MONDAY_0900)
    await env.prompts.run("survey")
    exported = await env.prompts.export_all(ALEX)
    assert exported["survey"]["schedule"]["time_zone"] == "America/New_York"
    assert exported["survey"]["periods"][0]["period"] == "2026-W10"
    async with env.db.transaction() as tx:
        removed = await env.prompts.delete_all_for(tx, ALEX)
    assert removed == {"prompt_periods": 1, "prompt_schedules": 1}
    assert await env.prompts.export_all(ALEX) == {}


def test_the_zone_has_one_writer():
    """Only bot/services/timezones.py calls ``clients.set_timezone`` (so every schedule is
    re-planned with it), and the enrollment upsert does not overwrite the zone."""
    root = Path(__file__).resolve().parents[2]
    callers = sorted(
        str(path.relative_to(root))
        for folder in ("bot", "cogs")
        for path in (root / folder).rglob("*.py")
        if ".set_timezone(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["bot/services/timezones.py"]
    clients_sql = (root / "bot/db/repositories/clients.py").read_text(encoding="utf-8")
    assert "timezone = excluded.timezone" not in clients_sql
