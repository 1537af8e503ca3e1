"""Attendance → hours ledger → /hours mine, /hours report, /hours export (CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.cogs.groups_helpers import (
    GROUP,
    bot_messages,
    groups_world,
    is_private,
    jump_to,
    setup_group,
    text,
)
from tests.harness import World

TUE_MAR_3 = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)  # 18:00 in New York


async def scheduled(w: World) -> None:
    await setup_group(w)
    result = await w.facilitator.slash(
        w.staff, "session schedule", cohort=GROUP, weekday="Tuesday", start="18:00", duration=180
    )
    assert "Scheduled" in text(result)
    await w.run_due_work()


def here_message(w: World):  # type: ignore[no-untyped-def]
    channel = w.guild.channels["tuesday-evening"]
    (message,) = bot_messages(w, channel, "the session has started")
    return message


async def test_attendance_to_hours_to_report_to_csv(tmp_path):
    async with groups_world(tmp_path) as w:
        alex, sam, riley = w.clients
        await scheduled(w)
        channel = w.guild.channels["tuesday-evening"]
        # "I'm here" on the reminder is not open an hour early
        await jump_to(w, TUE_MAR_3 - timedelta(minutes=60))
        (reminder,) = bot_messages(w, channel, "Reminder")
        early = await alex.click(reminder, custom_id="iop:group:here:1")
        assert is_private(early) and "opens at 17:45" in text(early)
        # ... and is open 15 minutes before the start
        await jump_to(w, TUE_MAR_3 - timedelta(minutes=15))
        ok = await alex.click(reminder, custom_id="iop:group:here:1")
        assert "marked as here" in text(ok)
        await jump_to(w, TUE_MAR_3 + timedelta(minutes=5))
        start = here_message(w)
        again = await alex.click(start, custom_id="iop:group:here:1")
        assert "already marked" in text(again)
        await sam.click(start, custom_id="iop:group:here:1")
        # the facilitator sees who said they're here
        shown = await w.facilitator.slash(
            w.staff, "session attendance", cohort=GROUP, date="2026-03-03"
        )
        body = text(shown)
        assert is_private(shown)
        assert 'Alex: said "I\'m here" at 17:45' in body
        assert 'Sam: said "I\'m here"' in body
        assert "Riley: no response" in body
        confirm = await w.facilitator.click(shown.response, custom_id="iop:group:confirmhere:1")
        assert "Confirmed 2 attendee(s)" in text(confirm)
        # add someone who forgot to press, remove someone who left early
        added = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="add",
            member=riley,
        )
        assert "Riley's attendance is confirmed" in text(added)
        removed = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="remove",
            member=sam,
        )
        assert "not attending" in text(removed)
        await jump_to(w, TUE_MAR_3 + timedelta(hours=4))
        late = await sam.click(start, custom_id="iop:group:here:1")
        assert "has ended" in text(late)
        # the ledger: 3 hours in ISO week 2026-W10 for Alex and Riley
        attendance = w.bot.get_cog("GroupsCog").core.attendance  # type: ignore[union-attr]
        assert await attendance.hours_by_week(alex.id) == {"2026-W10": 3.0}
        assert await attendance.hours_by_week(riley.id) == {"2026-W10": 3.0}
        assert await attendance.hours_by_week(sam.id) == {}
        assert await attendance.count_confirmed(alex.id) == 1
        mine = await alex.slash(channel, "hours mine")
        assert is_private(mine)
        assert "This week (2026-W10): 3 hours" in text(mine)
        # Tuesday's session was the week's only one, so the week is settled
        assert "fewer than the program's 9-15 hours a week" in text(mine)
        assert "Program total: 3 hours over 1 confirmed sessions" in text(mine)
        report = await w.facilitator.slash(w.staff, "hours report", cohort=GROUP)
        assert is_private(report)
        assert "Under the program's range this week: Alex, Sam, Riley" in text(report)
        embed = report.response.embeds[0]
        assert embed.title == "Tuesday Evening: hours for 2026-W10"
        assert "Alex: 3 h ⚠ under" in (embed.description or "")
        assert "Sam: 0 h ⚠ under" in (embed.description or "")
        exported = await w.facilitator.slash(w.staff, "hours export", cohort=GROUP)
        assert is_private(exported)
        (attachment,) = exported.response.attachments
        assert attachment.filename.startswith("hours-tuesday-evening-")
        rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode())))
        assert [
            (r["name"], r["iso_week"], r["sessions"], r["hours"], r["band_status"]) for r in rows
        ] == [
            ("Alex", "2026-W10", "1", "3", "under"),
            ("Riley", "2026-W10", "1", "3", "under"),
        ]
        actions = [
            r["action"] for r in await w.db.fetchall("SELECT action FROM audit_log ORDER BY id")
        ]
        for action in (
            "attendance.view",
            "attendance.confirm",
            "attendance.remove",
            "hours.report",
            "hours.export",
        ):
            assert action in actions


async def test_over_the_band_is_flagged(tmp_path):
    async with groups_world(
        tmp_path, groups={"hours_min_per_week": 1.0, "hours_max_per_week": 2.0}
    ) as w:
        await scheduled(w)
        await jump_to(w, TUE_MAR_3 + timedelta(minutes=1))
        await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="add",
            member=w.clients[0],
        )
        report = await w.facilitator.slash(w.staff, "hours report", cohort=GROUP)
        assert "Alex: 3 h ⚠ over" in (report.response.embeds[0].description or "")
        mine = await w.clients[0].slash(w.cohort, "hours mine")
        assert "already more than the program's 1-2 hours a week" in text(mine)


async def test_attendance_refusals_leave_the_database_unchanged(tmp_path):
    async with groups_world(tmp_path) as w:
        await scheduled(w)
        cases = [
            (
                {"date": "2026-03-03", "action": "add", "member": w.clients[0]},
                "opens 15 minutes before",
            ),
            ({"date": "2026-03-03", "action": "add"}, "choose the member"),
            ({"date": "2026-03-03", "action": "add", "member": w.stranger}, "not an enrolled"),
            ({"date": "2026-03-04"}, "no session on 2026-03-04"),
            ({"date": "tomorrow"}, "YYYY-MM-DD"),
            ({"date": "2025-12-01"}, "days ago"),
            ({"date": "2026-03-03", "cohort": "Nope"}, "no group called"),
        ]
        before = await w.table_snapshot()
        for options, problem in cases:
            values = {"cohort": GROUP, **options}
            result = await w.facilitator.slash(w.staff, "session attendance", **values)
            assert is_private(result)
            assert problem in text(result), (options, text(result))
        await jump_to(w, TUE_MAR_3 + timedelta(minutes=1))
        snapshot = await w.table_snapshot()
        confirm = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="confirm",
            member=w.clients[0],
        )
        assert "didn't press" in text(confirm)
        remove = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="remove",
            member=w.clients[0],
        )
        assert "wasn't marked as attending" in text(remove)
        nobody = await w.facilitator.slash(
            w.staff, "session attendance", cohort=GROUP, date="2026-03-03", action="confirm"
        )
        assert "Nobody" in text(nobody)
        assert await w.table_snapshot() == snapshot
        assert set(before) == set(snapshot)


async def test_cancelled_sessions_take_no_attendance(tmp_path):
    async with groups_world(tmp_path) as w:
        await scheduled(w)
        await w.facilitator.slash(w.staff, "session cancel", cohort=GROUP, date="2026-03-03")
        await jump_to(w, TUE_MAR_3 + timedelta(minutes=1))
        result = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="add",
            member=w.clients[0],
        )
        assert "cancelled" in text(result)
        assert await w.count("SELECT COUNT(*) FROM hours_ledger") == 0


@pytest.mark.parametrize("command", ["hours report", "hours export"])
async def test_clients_cannot_see_group_hours(tmp_path, command):
    async with groups_world(tmp_path) as w:
        await scheduled(w)
        before = await w.table_snapshot()
        result = await w.clients[0].slash(w.cohort, command, cohort=GROUP)
        assert is_private(result)
        assert "only for facilitators" in text(result)
        assert result.response.attachments == []
        assert await w.table_snapshot() == before


async def test_hours_mine_is_for_clients(tmp_path):
    async with groups_world(tmp_path) as w:
        lobby = w.guild.create_text_channel("lobby")
        for member, channel in ((w.family, lobby), (w.stranger, lobby), (w.facilitator, w.staff)):
            result = await member.slash(channel, "hours mine")
            assert is_private(result)
            assert "enrolled clients only" in text(result)


async def test_a_client_with_no_sessions_sees_zero(tmp_path):
    async with groups_world(tmp_path) as w:
        await setup_group(w)
        result = await w.clients[2].slash(w.cohort, "hours mine")
        assert "So far this week (2026-W10): 0 hours" in text(result)
        assert "Program total: 0 hours over 0 confirmed sessions" in text(result)


@pytest.mark.parametrize(
    ("command", "options"),
    [("session cancel", {}), ("session move", {"new_start": "19:30"})],
)
async def test_cancel_or_move_after_early_confirmation_takes_the_hours_back(
    tmp_path, command, options
):
    """Attendance opens 15 minutes before the start, and the session can still be cancelled
    or moved until it starts: hours confirmed for the old time must not stay behind."""
    async with groups_world(tmp_path) as w:
        alex = w.clients[0]
        await scheduled(w)
        await jump_to(w, TUE_MAR_3 - timedelta(minutes=10))
        added = await w.facilitator.slash(
            w.staff,
            "session attendance",
            cohort=GROUP,
            date="2026-03-03",
            action="add",
            member=alex,
        )
        assert "confirmed" in text(added)
        assert await w.count("SELECT COUNT(*) FROM hours_ledger") == 1
        result = await w.facilitator.slash(
            w.staff, command, cohort=GROUP, date="2026-03-03", **options
        )
        assert is_private(result)
        assert "attendance" in text(result).lower()
        assert await w.count("SELECT COUNT(*) FROM hours_ledger") == 0
        assert await w.count("SELECT COUNT(*) FROM attendance WHERE confirmed_at IS NOT NULL") == 0
        mine = await alex.slash(w.cohort, "hours mine")
        assert "Program total: 0 hours over 0 confirmed sessions" in text(mine)


async def test_before_the_weeks_last_session_hours_read_so_far_and_nobody_is_under(tmp_path):
    async with groups_world(tmp_path) as w:
        alex, _sam, _riley = w.clients
        await scheduled(w)
        channel = w.guild.channels["tuesday-evening"]
        await jump_to(w, TUE_MAR_3 - timedelta(hours=20))  # Monday evening, before Tuesday's
        mine = await alex.slash(channel, "hours mine")
        assert "So far this week (2026-W10): 0 hours" in text(mine)
        assert "fewer than" not in text(mine) and "under" not in text(mine)
        report = await w.facilitator.slash(w.staff, "hours report", cohort=GROUP)
        assert "range is checked after the week's last session" in text(report)
        embed = report.response.embeds[0]
        assert "⚠ under" not in (embed.description or "") and "(so far)" in (embed.title or "")
