"""Issue 21, items 5, 6 and 7 (check-ins), and the check-in form's first response.

Each item's test failed before its fix.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.cogs.checkins_helpers import GOOD, advance, breathe, enroll, jump_to, reply_text
from tests.harness import program_world

COGS = ("clients", "checkins")


async def _prompted_days(w: Any, user_id: int) -> list[str]:
    rows = await w.db.fetchall(
        "SELECT local_date FROM prompt_periods WHERE user_id = ? AND status != 'skipped' "
        "ORDER BY local_date",
        (user_id,),
    )
    return [r["local_date"] for r in rows]


async def test_item5_me_timezone_eastward_keeps_the_next_local_day(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)  # New York, prompts at 09:00
        # Monday 10:00 in New York: Monday's prompt went out.
        await jump_to(w, datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
        assert await _prompted_days(w, alex.id) == ["2026-03-02"]
        # Now it is already Tuesday 00:00 in Tokyo; Tokyo's Tuesday 09:00 is 00:00 UTC.
        result = await alex.slash(w.cohort, "me timezone", zone="Asia/Tokyo")
        assert "Asia/Tokyo" in reply_text(result)
        setting = await w.bot.services.prompts.state("checkin", alex.id)
        assert setting is not None and setting.planned_zone == "Asia/Tokyo"
        assert setting.next_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
        await advance(w, timedelta(hours=34), step=timedelta(hours=1))
        # Tokyo's Tuesday and Wednesday were both prompted; no day lost.
        assert await _prompted_days(w, alex.id) == ["2026-03-02", "2026-03-03", "2026-03-04"]


async def test_item5_checkin_settings_uses_the_same_writer(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
        result = await alex.slash(w.cohort, "checkin settings", timezone="Asia/Tokyo")
        assert "Next prompt: <t:1772496000:f>" in reply_text(result)  # 2026-03-03 00:00 UTC
        client = await w.bot.services.clients.get(alex.id)
        assert client.timezone.key == "Asia/Tokyo"


async def test_item5_a_zone_change_before_the_prompt_still_prompts_that_day_late(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        # Monday 07:30 in New York, before the 09:00 prompt: moving to London (12:30
        # there, before the 20:00 cut-off) keeps Monday: its prompt goes out now, late.
        w.clock.set(datetime(2026, 3, 2, 12, 30, tzinfo=UTC))
        await alex.slash(w.cohort, "me timezone", zone="Europe/London")
        await advance(w, timedelta(minutes=5))
        assert await _prompted_days(w, alex.id) == ["2026-03-02"]
        status = await w.db.fetchval("SELECT status FROM prompt_periods")
        assert status == "late"


async def _open_form(w: Any, member: Any) -> Any:
    await breathe(w)
    shown = await member.slash(w.cohort, "checkin today")
    assert shown.modal is not None
    return shown


async def test_item6_form_opened_before_local_midnight_counts_for_that_day(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        # Monday 23:58 in New York (EST: UTC-5) the form opens; it is sent at 00:01.
        w.clock.set(datetime(2026, 3, 3, 4, 58, tzinfo=UTC))
        shown = await _open_form(w, alex)
        w.clock.set(datetime(2026, 3, 3, 5, 1, tzinfo=UTC))
        done = await alex.submit_modal(shown, GOOD)
        days = [r["local_date"] for r in await w.db.fetchall("SELECT local_date FROM checkins")]
        assert days == ["2026-03-02"]
        assert "2026-03-02" in reply_text(done)
        assert shown.modal["custom_id"] == f"iop:checkin:modal:{alex.id}:2026-03-02"
        # Tuesday stays open: Tuesday's prompt is not suppressed.
        await jump_to(w, datetime(2026, 3, 3, 14, 5, tzinfo=UTC))
        queued = await w.db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?", (f"checkin:{alex.id}:2026-03-03",)
        )
        assert queued == 1


async def test_item6_after_the_grace_period_the_form_counts_for_today(tmp_path):
    async with program_world(tmp_path, cogs=COGS, checkins={"late_submit_grace_minutes": 30}) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        w.clock.set(datetime(2026, 3, 3, 4, 58, tzinfo=UTC))
        shown = await _open_form(w, alex)
        w.clock.set(datetime(2026, 3, 3, 5, 31, tzinfo=UTC))  # 00:31, past the 30 minutes
        done = await alex.submit_modal(shown, GOOD)
        assert "for today" in reply_text(done)
        assert await w.db.fetchval("SELECT local_date FROM checkins") == "2026-03-03"


async def test_item7_form_submitted_after_a_restart_is_saved(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        shown = await _open_form(w, alex)
        await w.restart()
        done = await alex.submit_modal(shown, {**GOOD, "mood": "8"})
        assert done.ephemeral
        assert "saved" in reply_text(done)
        assert await w.db.fetchval("SELECT mood FROM checkins") == 8


async def test_item5_reenrolling_in_another_zone_replans_at_once(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
        result = await w.facilitator.slash(
            w.cohort, "client enroll", member=alex, timezone="Asia/Tokyo"
        )
        assert "Updated the enrollment" in reply_text(result)
        setting = await w.bot.services.prompts.state("checkin", alex.id)
        assert setting is not None and setting.planned_zone == "Asia/Tokyo"
        assert setting.next_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
