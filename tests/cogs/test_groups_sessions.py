"""Weekly sessions: Discord events for two weeks, reminders/start/end once, cancel, move, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cogs.groups_helpers import (
    GROUP,
    bot_messages,
    breathe,
    groups_world,
    is_private,
    jump_to,
    restart,
    setup_group,
    text,
)
from tests.harness import World

NY = ZoneInfo("America/New_York")
# the harness clock starts Monday 2026-03-02 12:00 UTC (07:00 in New York)
TUE_MAR_3 = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)  # 18:00 EST
TUE_MAR_10 = datetime(2026, 3, 10, 22, 0, tzinfo=UTC)  # 18:00 EDT, after 2026-03-08


def events(w: World) -> dict[int, tuple[datetime, datetime, str]]:
    """Discord's scheduled events in the server: id -> (start, end, description)."""
    found = w.env.backend.get_guild(w.guild.id).scheduled_events
    return {
        eid: (
            datetime.fromisoformat(e.scheduled_start_time),
            datetime.fromisoformat(e.scheduled_end_time),
            e.description or "",
        )
        for eid, e in found.items()
    }


async def schedule(w: World, **options: object) -> str:
    values = {"cohort": GROUP, "weekday": "Tuesday", "start": "18:00", "duration": 180}
    values.update(options)
    result = await w.facilitator.slash(w.staff, "session schedule", **values)
    await w.run_due_work()
    return text(result)


async def occurrences(w: World) -> list[dict[str, object]]:
    rows = await w.db.fetchall("SELECT * FROM session_occurrences ORDER BY starts_at")
    return [dict(r) for r in rows]


async def test_schedule_keeps_two_weeks_of_events_without_duplicates(tmp_path):
    async with groups_world(tmp_path) as w:
        await setup_group(w)
        reply = await schedule(w)
        assert "Tuesdays at 18:00 for 180 minutes" in reply
        assert "Next: Tuesday 2026-03-03 18:00" in reply
        found = events(w)
        assert sorted(start for start, _, _ in found.values()) == [TUE_MAR_3, TUE_MAR_10]
        assert all(end - start == timedelta(hours=3) for start, end, _ in found.values())
        assert all("session" not in d.lower() or "group" in d.lower() for *_, d in found.values())
        rows = await occurrences(w)
        assert sorted(r["event_id"] for r in rows) == sorted(found)
        # running again, many times, changes nothing
        for _ in range(3):
            await w.run_due_work()
        assert events(w) == found
        # a crash between creating the event and saving its id: the tag adopts it
        async with w.db.transaction() as tx:
            await tx.execute(
                "UPDATE session_occurrences SET event_id = NULL, event_synced = 0 WHERE id = 1"
            )
        await w.run_due_work()
        assert events(w) == found
        assert (await occurrences(w))[0]["event_id"] == rows[0]["event_id"]
        # a bot restart on the same database makes no new events
        await restart(w)
        await w.run_due_work()
        await w.run_due_work()
        assert events(w) == found
        # a week later the window has moved on by one session
        await w.advance(timedelta(days=7), step=timedelta(hours=6))
        later = events(w)
        assert len(later) == 3
        assert max(start for start, _, _ in later.values()) == datetime(
            2026, 3, 17, 22, 0, tzinfo=UTC
        )
        rows = await occurrences(w)
        assert len(rows) == 3 and len({r["event_id"] for r in rows}) == 3


async def test_reminder_start_and_end_are_each_sent_once(tmp_path):
    async with groups_world(tmp_path) as w:
        channel = await setup_group(w)
        await schedule(w)
        await jump_to(w, TUE_MAR_3 - timedelta(minutes=90))
        assert bot_messages(w, channel, "Reminder") == []
        await jump_to(w, TUE_MAR_3 - timedelta(minutes=60))
        reminder = bot_messages(w, channel, "Reminder")
        assert len(reminder) == 1 and "18:00" in reminder[0].content
        await w.run_due_work()
        await restart(w)
        await w.run_due_work()
        await jump_to(w, TUE_MAR_3)
        started = bot_messages(w, channel, "the session has started")
        assert len(started) == 1
        button = started[0].components[0].children[0]  # type: ignore[union-attr]
        assert button.label == "I'm here" and button.custom_id == "iop:group:here:1"
        await w.advance(timedelta(hours=3), step=timedelta(minutes=30))
        await w.run_due_work()
        assert len(bot_messages(w, channel, "Reminder")) == 1
        assert len(bot_messages(w, channel, "the session has started")) == 1
        assert len(bot_messages(w, channel, "the session has ended")) == 1
        keys = await w.db.fetchall(
            "SELECT dedupe_key, status FROM outbox WHERE kind LIKE 'session%'"
        )
        assert sorted((r["dedupe_key"], r["status"]) for r in keys) == [
            ("session:1:end", "sent"),
            ("session:1:reminder", "sent"),
            ("session:1:start", "sent"),
        ]


async def test_downtime_through_a_whole_session_sends_nothing_stale(tmp_path):
    async with groups_world(tmp_path) as w:
        channel = await setup_group(w)
        await schedule(w)
        await jump_to(w, TUE_MAR_3 + timedelta(hours=5))
        assert bot_messages(w, channel, "Reminder") == []
        assert bot_messages(w, channel, "session has") == []


@pytest.mark.parametrize(
    ("start_at", "dates"),
    [
        # spring forward on Sunday 2026-03-08
        (
            datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
            [datetime(2026, 3, 3, 23, 0, tzinfo=UTC), datetime(2026, 3, 10, 22, 0, tzinfo=UTC)],
        ),
        # fall back on Sunday 2026-11-01
        (
            datetime(2026, 10, 26, 12, 0, tzinfo=UTC),
            [datetime(2026, 10, 27, 22, 0, tzinfo=UTC), datetime(2026, 11, 3, 23, 0, tzinfo=UTC)],
        ),
    ],
    ids=["spring-forward", "fall-back"],
)
async def test_a_tuesday_18_00_session_stays_18_00_local_across_dst(tmp_path, start_at, dates):
    async with groups_world(tmp_path, start=start_at) as w:
        channel = await setup_group(w)
        await schedule(w)
        starts = sorted(start for start, _, _ in events(w).values())
        assert starts == dates
        for start in starts:
            local = start.astimezone(NY)
            assert (local.strftime("%A"), local.hour, local.minute) == ("Tuesday", 18, 0)
        # the start notices go out at 18:00 local on both sides of the change
        for start in dates:
            await jump_to(w, start - timedelta(minutes=1))
            before = len(bot_messages(w, channel, "the session has started"))
            await jump_to(w, start)
            assert len(bot_messages(w, channel, "the session has started")) == before + 1
            assert (
                "18:00 to 21:00" in bot_messages(w, channel, "the session has started")[-1].content
            )


async def test_cancel_one_session(tmp_path):
    async with groups_world(tmp_path) as w:
        channel = await setup_group(w)
        await schedule(w)
        first_event = (await occurrences(w))[0]["event_id"]
        result = await w.facilitator.slash(
            w.staff, "session cancel", cohort=GROUP, date="2026-03-03"
        )
        assert is_private(result) and "Cancelled" in text(result)
        await w.run_due_work()
        assert first_event not in events(w)
        assert len(events(w)) == 1
        assert len(bot_messages(w, channel, "is cancelled")) == 1
        await jump_to(w, TUE_MAR_3 + timedelta(hours=4))
        assert bot_messages(w, channel, "Reminder") == []
        assert bot_messages(w, channel, "session has") == []
        before = await w.table_snapshot()
        again = await w.facilitator.slash(
            w.staff, "session cancel", cohort=GROUP, date="2026-03-10"
        )
        assert "Cancelled" in text(again)
        repeat = await w.facilitator.slash(
            w.staff, "session cancel", cohort=GROUP, date="2026-03-10"
        )
        assert "already cancelled" in text(repeat)
        assert before != await w.table_snapshot()


async def test_cancel_beyond_the_event_window_is_remembered(tmp_path):
    async with groups_world(tmp_path) as w:
        await setup_group(w)
        await schedule(w)
        result = await w.facilitator.slash(
            w.staff, "session cancel", cohort=GROUP, date="2026-03-24"
        )
        assert "Cancelled" in text(result)
        await w.advance(timedelta(days=14), step=timedelta(hours=12))
        rows = {str(r["local_date"]): r for r in await occurrences(w)}
        assert rows["2026-03-24"]["status"] == "cancelled"
        assert rows["2026-03-24"]["event_id"] is None
        assert rows["2026-03-17"]["event_id"] is not None


async def test_move_one_session(tmp_path):
    async with groups_world(tmp_path) as w:
        channel = await setup_group(w)
        await schedule(w)
        event_id = (await occurrences(w))[0]["event_id"]
        result = await w.facilitator.slash(
            w.staff, "session move", cohort=GROUP, date="2026-03-03", new_start="19:30"
        )
        assert "Moved" in text(result) and "19:30" in text(result)
        await w.run_due_work()
        moved_start = datetime(2026, 3, 4, 0, 30, tzinfo=UTC)
        start, end, _ = events(w)[event_id]  # the same event, edited
        assert (start, end) == (moved_start, moved_start + timedelta(hours=3))
        assert len(events(w)) == 2
        assert len(bot_messages(w, channel, "moves to")) == 1
        await jump_to(w, TUE_MAR_3)
        assert bot_messages(w, channel, "session has started") == []
        await jump_to(w, moved_start)
        started = bot_messages(w, channel, "session has started")
        assert len(started) == 1 and "19:30 to 22:30" in started[0].content
        # the weekly template is unchanged
        rows = await occurrences(w)
        assert rows[1]["starts_at"].startswith("2026-03-10T22:00")
        # to another day
        await breathe(w)
        other = await w.facilitator.slash(
            w.staff,
            "session move",
            cohort=GROUP,
            date="2026-03-10",
            new_start="10:00",
            new_date="2026-03-12",
        )
        assert "Thursday 2026-03-12 10:00" in text(other)


async def test_list_sessions(tmp_path):
    async with groups_world(tmp_path) as w:
        await setup_group(w)
        empty = await w.facilitator.slash(w.staff, "session list", cohort=GROUP)
        assert "No weekly sessions yet" in text(empty)
        await schedule(w)
        await schedule(w, weekday="Thu", start="09:00", duration=120)
        await w.facilitator.slash(w.staff, "session cancel", cohort=GROUP, date="2026-03-05")
        listed = await w.facilitator.slash(w.staff, "session list", cohort=GROUP)
        body = text(listed)
        assert is_private(listed)
        assert "Tuesdays at 18:00 for 180 minutes" in body
        assert "Thursdays at 09:00 for 120 minutes" in body
        assert "Thursday 2026-03-05 09:00 (America/New_York) (cancelled)" in body


SCHEDULE_REFUSALS = [
    ({"weekday": "Funday"}, "weekday"),
    ({"weekday": "8"}, "weekday"),
    ({"start": "25:00"}, "HH:MM"),
    ({"start": "6pm"}, "HH:MM"),
    ({"duration": 0}, "positive"),
    ({"duration": -30}, "positive"),
    ({"duration": 361}, "at most 6 hours"),
    ({"duration": 28 * 24 * 60 + 1}, "at most 6 hours"),
    ({"cohort": "Unknown Group"}, "no group called"),
    ({"cohort": "x" * 300}, "existing group"),
    ({"weekday": "Tue", "start": "20:00", "duration": 60}, "overlaps"),
]


@pytest.mark.parametrize(("options", "problem"), SCHEDULE_REFUSALS)
async def test_schedule_refuses_bad_input(tmp_path, options, problem):
    async with groups_world(tmp_path) as w:
        await setup_group(w, members=[])
        await schedule(w)
        before = await w.table_snapshot()
        events_before = events(w)
        values = {"cohort": GROUP, "weekday": "Wednesday", "start": "18:00", "duration": 180}
        values.update(options)
        result = await w.facilitator.slash(w.staff, "session schedule", **values)
        assert is_private(result)
        assert problem in text(result), text(result)
        await w.run_due_work()
        assert await w.table_snapshot() == before
        assert events(w) == events_before


CHANGE_REFUSALS = [
    ("session cancel", {"date": "2026-03-01"}, "can't be more than 0 days ago"),
    ("session cancel", {"date": "03/03/2026"}, "YYYY-MM-DD"),
    ("session cancel", {"date": "2026-03-04"}, "no session on 2026-03-04"),
    ("session cancel", {"date": "2026-09-01"}, "90 days ahead"),
    ("session cancel", {"date": "2026-03-03", "at": "19:00"}, "no session"),
    ("session cancel", {"date": "2026-03-03", "cohort": "Nope"}, "no group called"),
    ("session move", {"date": "2026-03-03", "new_start": "7pm"}, "HH:MM"),
    ("session move", {"date": "2026-03-03", "new_start": "18:00"}, "already at that time"),
    (
        "session move",
        {"date": "2026-03-03", "new_start": "06:00", "new_date": "2026-03-02"},
        "in the past",
    ),
    (
        "session move",
        {"date": "2026-03-03", "new_start": "10:00", "new_date": "2026-02-01"},
        "days ago",
    ),
    ("session move", {"date": "2026-02-24", "new_start": "18:00"}, "days ago"),
]


@pytest.mark.parametrize(("command", "options", "problem"), CHANGE_REFUSALS)
async def test_cancel_and_move_refuse_bad_input(tmp_path, command, options, problem):
    async with groups_world(tmp_path) as w:
        await setup_group(w, members=[])
        await schedule(w)
        before = await w.table_snapshot()
        values: dict[str, object] = {"cohort": GROUP}
        values.update(options)
        result = await w.facilitator.slash(w.staff, command, **values)
        assert is_private(result)
        assert problem in text(result), text(result)
        assert await w.table_snapshot() == before


async def test_a_started_session_cannot_be_cancelled_or_moved(tmp_path):
    async with groups_world(tmp_path) as w:
        await setup_group(w, members=[])
        await schedule(w)
        await jump_to(w, TUE_MAR_3 + timedelta(minutes=5))
        before = await w.table_snapshot()
        cancel = await w.facilitator.slash(
            w.staff, "session cancel", cohort=GROUP, date="2026-03-03"
        )
        assert "already started" in text(cancel)
        move = await w.facilitator.slash(
            w.staff, "session move", cohort=GROUP, date="2026-03-03", new_start="20:00"
        )
        assert "already started" in text(move)
        assert await w.table_snapshot() == before


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("session schedule", {"weekday": "Wed", "start": "10:00", "duration": 60}),
        ("session list", {}),
        ("session cancel", {"date": "2026-03-03"}),
        ("session move", {"date": "2026-03-03", "new_start": "19:00"}),
        ("session attendance", {"date": "2026-03-03"}),
    ],
)
async def test_clients_cannot_use_session_commands(tmp_path, command, options):
    async with groups_world(tmp_path) as w:
        channel = await setup_group(w)
        await schedule(w)
        before = await w.table_snapshot()
        events_before = events(w)
        result = await w.clients[0].slash(channel, command, cohort=GROUP, **options)
        assert is_private(result)
        assert "only for facilitators" in text(result)
        assert await w.table_snapshot() == before
        assert events(w) == events_before


async def test_programs_can_turn_discord_events_off(tmp_path):
    async with groups_world(tmp_path, groups={"discord_events": False}) as w:
        await setup_group(w)
        reply = await schedule(w)
        assert "Tuesdays at 18:00" in reply
        for _ in range(2):
            await w.run_due_work()
        assert events(w) == {}
        assert all(r["event_id"] is None for r in await occurrences(w))


async def test_schedule_claims_discord_events_only_when_they_were_made(tmp_path, monkeypatch):
    from types import SimpleNamespace

    import discord

    async def refused(self, **kwargs):
        response = SimpleNamespace(status=403, reason="Forbidden")
        raise discord.Forbidden(response, {"code": 50013, "message": "Missing Permissions"})

    async with groups_world(tmp_path) as w:
        await setup_group(w)
        with monkeypatch.context() as patch:
            patch.setattr(discord.Guild, "create_scheduled_event", refused)
            reply = await schedule(w)
        assert "kept for the next" not in reply
        assert "couldn't create the Discord events" in reply
        assert events(w) == {}
        # The planner keeps trying; once Discord accepts, a new schedule says so truly.
        await w.run_due_work()
        assert len(events(w)) == 2
        second = await schedule(w, weekday="Thursday")
        assert "Discord events are kept for the next 14 days" in second
