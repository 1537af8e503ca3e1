"""Check-in prompts: 09:00 local in three zones across DST, restarts, downtime catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db.repositories.outbox import OutboxRepository
from tests.cogs.checkins_helpers import advance, enroll, jump_to, prompts, submit
from tests.harness import program_world

COGS = ("clients", "checkins")
ZONES = ("America/New_York", "Europe/Berlin", "Australia/Sydney")

# Each zone's two 2026 DST changes (local dates); each window is the change ±3 days.
DST_CHANGES = (
    date(2026, 3, 8),  # New York springs forward
    date(2026, 3, 29),  # Berlin springs forward
    date(2026, 4, 5),  # Sydney falls back
    date(2026, 10, 4),  # Sydney springs forward
    date(2026, 10, 25),  # Berlin falls back
    date(2026, 11, 1),  # New York falls back
)

# Independent checks of what "09:00 local" is in UTC on the change days.
KNOWN_UTC = {
    ("America/New_York", date(2026, 3, 7)): datetime(2026, 3, 7, 14, 0, tzinfo=UTC),
    ("America/New_York", date(2026, 3, 8)): datetime(2026, 3, 8, 13, 0, tzinfo=UTC),
    ("Europe/Berlin", date(2026, 3, 29)): datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
    ("Australia/Sydney", date(2026, 4, 5)): datetime(2026, 4, 4, 23, 0, tzinfo=UTC),
    ("Australia/Sydney", date(2026, 10, 4)): datetime(2026, 10, 3, 22, 0, tzinfo=UTC),
    ("Europe/Berlin", date(2026, 10, 25)): datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
    ("America/New_York", date(2026, 11, 1)): datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
}


def nine_local(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def test_prompts_at_nine_local_in_three_zones_across_both_dst_changes(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        members = dict(zip(ZONES, w.clients, strict=True))
        for zone, member in members.items():
            await enroll(w, member, zone)
        outbox = OutboxRepository(w.db)
        for change in DST_CHANGES:
            instants = sorted(
                (nine_local(change + timedelta(days=k), zone), zone, change + timedelta(days=k))
                for zone in ZONES
                for k in range(-3, 4)
            )
            await jump_to(w, instants[0][0] - timedelta(minutes=1))
            counts = {zone: len(prompts(w, m)) for zone, m in members.items()}
            for instant, zone, day in instants:
                if (zone, day) in KNOWN_UTC:
                    assert instant == KNOWN_UTC[(zone, day)]
                await jump_to(w, instant - timedelta(minutes=1))
                assert {z: len(prompts(w, m)) for z, m in members.items()} == counts, (zone, day)
                await jump_to(w, instant)
                counts[zone] += 1
                assert {z: len(prompts(w, m)) for z, m in members.items()} == counts, (zone, day)
                row = await outbox.get_by_key(f"checkin:{members[zone].id}:{day.isoformat()}")
                assert row is not None and row.status == "sent" and row.sent_at == instant


async def test_one_prompt_per_day_across_a_crash_in_the_middle_of_sending(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        services = w.bot.services
        services.outbox.on_due_now(None)  # no immediate kick: we "crash" before sending
        w.clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        await services.jobs.run("checkins:plan")  # queued, not yet sent
        async with w.db.transaction() as tx:  # the dispatcher claims it... and "crashes"
            claimed = await services.outbox_repo.claim_due(tx, w.clock.now(), 10)
        assert [r.kind for r in claimed] == ["checkin_prompt"]
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'") == 1
        # Restart: stale claims are released, then every job (the planner too) runs again.
        assert await services.dispatcher.release_stale_claims() == 1
        await w.run_due_work()
        await w.run_due_work()
        assert len(prompts(w, alex)) == 1
        # Even if the planner were somehow asked about the same local day again.
        await w.db.conn.execute(
            "UPDATE prompt_schedules SET next_at = ? WHERE schedule = 'checkin' AND user_id = ?",
            ("2026-03-03T14:00:00.000000+00:00", alex.id),
        )
        await advance(w, timedelta(minutes=5))
        assert len(prompts(w, alex)) == 1
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'checkin_prompt'") == 1


async def test_restart_of_the_bot_sends_the_claimed_prompt_once(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        w.bot.services.outbox.on_due_now(None)
        w.clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        await w.bot.services.jobs.run("checkins:plan")
        async with w.db.transaction() as tx:
            await w.bot.services.outbox_repo.claim_due(tx, w.clock.now(), 10)
        await w.restart()
        await w.run_due_work()
        await advance(w, timedelta(hours=1), step=timedelta(minutes=20))
        assert len(prompts(w, alex)) == 1


async def test_downtime_before_the_cutoff_sends_the_prompt_late_once(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        # Down from before 09:00 until 11:30 New York time on 2026-03-03.
        await jump_to(w, datetime(2026, 3, 3, 16, 30, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        status = await w.db.fetchval(
            "SELECT status FROM prompt_periods WHERE user_id = ? AND local_date = '2026-03-03'",
            (alex.id,),
        )
        assert status == "late"
        await advance(w, timedelta(hours=6), step=timedelta(hours=1))
        assert len(prompts(w, alex)) == 1
        await jump_to(w, datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 2


async def test_a_client_enrolled_before_the_prompt_time_gets_day_one_even_after_downtime(
    tmp_path,
):
    # enrolled at 08:00 New York time; the planner's first look is at 10:30 (bot was down)
    async with program_world(
        tmp_path, cogs=COGS, start=datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    ) as w:
        alex = w.clients[0]
        w.bot.services.outbox.on_due_now(None)
        result = await w.facilitator.slash(w.cohort, "client enroll", member=alex)
        assert result.ephemeral
        await jump_to(w, datetime(2026, 3, 3, 15, 30, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        status = await w.db.fetchval(
            "SELECT status FROM prompt_periods WHERE user_id = ? AND local_date = '2026-03-03'",
            (alex.id,),
        )
        assert status == "late"


async def test_enrolled_after_the_prompt_time_starts_the_next_day(tmp_path):
    async with program_world(
        tmp_path, cogs=COGS, start=datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    ) as w:
        alex = w.clients[0]
        w.bot.services.outbox.on_due_now(None)
        await w.facilitator.slash(w.cohort, "client enroll", member=alex)
        await jump_to(w, datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1


async def test_downtime_past_the_cutoff_skips_that_day(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        # Back at 20:30 New York time: past the 20:00 cut-off, no prompt that day.
        await jump_to(w, datetime(2026, 3, 4, 1, 30, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 4, 13, 59, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1


async def test_a_long_downtime_sends_only_todays_prompt(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # a week later, 11:00 EDT
        assert len(prompts(w, alex)) == 1
        row = await OutboxRepository(w.db).get_by_key(f"checkin:{alex.id}:2026-03-09")
        assert row is not None and row.status == "sent"


async def test_settings_time_and_zone_recompute_the_next_prompt(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        bad = await alex.slash(w.cohort, "checkin settings", time="25:00")
        assert "HH:MM" in bad.response.content
        bad_zone = await alex.slash(w.cohort, "checkin settings", timezone="Mars/Olympus")
        assert "IANA" in bad_zone.response.content
        ok = await alex.slash(w.cohort, "checkin settings", time="07:30", timezone="Europe/Berlin")
        assert ok.ephemeral and "07:30" in ok.response.content
        client = await w.bot.services.clients.get(alex.id)
        assert client is not None and client.timezone.key == "Europe/Berlin"
        # 2026-03-03 07:30 in Berlin (CET) is 06:30 UTC.
        await jump_to(w, datetime(2026, 3, 3, 6, 29, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 3, 6, 30, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1


async def test_pause_and_resume(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        past = await alex.slash(w.cohort, "checkin pause", until_date="2026-03-01")
        assert "ago" in past.response.content or "after today" in past.response.content
        paused = await alex.slash(w.cohort, "checkin pause", until_date="2026-03-05")
        assert "2026-03-05" in paused.response.content
        for day in (3, 4):
            await jump_to(w, datetime(2026, 3, day, 15, 0, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        await alex.slash(w.cohort, "checkin pause", until_date="2026-03-20")
        await alex.slash(w.cohort, "checkin resume")
        await jump_to(w, datetime(2026, 3, 6, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 2


async def test_only_active_clients_are_prompted(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        async with w.db.transaction() as tx:
            await w.bot.services.clients.set_status(tx, sam.id, "discharged", w.clock.now())
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        assert prompts(w, sam) == []
        assert prompts(w, w.stranger) == []


async def test_a_later_prompt_time_the_same_day_sends_no_second_prompt(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        await alex.slash(w.cohort, "checkin settings", time="12:00")
        await jump_to(w, datetime(2026, 3, 3, 17, 0, tzinfo=UTC))  # 12:00 New York
        assert len(prompts(w, alex)) == 1
        await jump_to(w, datetime(2026, 3, 4, 17, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 2


async def test_a_zone_change_elsewhere_replans_in_the_new_zone(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await alex.slash(w.cohort, "me timezone", zone="Australia/Sydney")
        await w.run_due_work()
        # 2026-03-03 09:00 in Sydney (AEDT, +11) is 2026-03-02 22:00 UTC.
        await jump_to(w, datetime(2026, 3, 2, 21, 59, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 2, 22, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))  # 09:00 New York: nothing
        assert len(prompts(w, alex)) == 1


async def test_checking_in_before_the_prompt_time_skips_the_prompt(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 3, 12, 0, tzinfo=UTC))  # 07:00 New York
        await submit(w, alex)
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        assert prompts(w, alex) == []
