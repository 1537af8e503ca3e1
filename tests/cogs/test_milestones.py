from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.language import find_stigma
from tests.cogs.milestones_helpers import (
    SUBSTANCE_AND_CHECKIN_WORDS,
    contents,
    enroll_all,
    fake_sources,
    milestone_rows,
    put_in_cohort,
)
from tests.harness import dm_body, program_world

COGS = ("clients", "milestones")
STEP = timedelta(minutes=15)
# The world starts Monday 2026-03-02 12:00 UTC: 06:00 in Chicago (Alex), 13:00 in Berlin
# (Sam), 04:00 in Los Angeles (Riley). 09:00 in Chicago on 03-03 is 15:00 UTC.
ALEX_0900_TUE = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
ALEX_2000_TUE = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


async def until(world, instant, step=STEP):
    await world.advance(instant - world.clock.now(), step=step)


def milestone_dms(world, member):
    return [
        m for m in world.dms(member) if "Congratulations" in m.content or "congrat" in m.content
    ]


async def test_thirty_days_public_celebration_and_congrats_delivered_once(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, riley = w.clients
        await enroll_all(w)
        await put_in_cohort(w, alex, sam, riley)
        result = await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        assert result.ephemeral
        assert "29 days" in result.response.content
        assert "30 days of recovery on 2026-03-03" in result.response.content
        result = await alex.slash(w.cohort, "milestones public", choice="on")
        assert result.ephemeral

        await until(w, ALEX_0900_TUE - timedelta(minutes=15))
        assert w.messages(w.cohort) == []
        await until(w, ALEX_0900_TUE + timedelta(minutes=30))

        dms = [dm_body(m.content) for m in w.dms(alex) if "30 days" in m.content]
        assert len(dms) == 1
        assert dms[0].startswith("🎉 Congratulations, Alex! Today marks 30 days of recovery.")
        assert "A little late" not in dms[0]
        posts = w.messages(w.cohort)
        assert len(posts) == 1
        post = posts[0]
        assert post.content.startswith(
            "🎉 Please join us in congratulating **Alex** on 30 days of recovery!"
        )
        for word in SUBSTANCE_AND_CHECKIN_WORDS:
            assert word not in post.content.lower()
        button = post.components[0].children[0]
        assert button.label == "Send congrats"
        assert button.custom_id.startswith("iop:milestone:congrats:")

        thanks = await sam.click(post, custom_id=button.custom_id)
        assert thanks.ephemeral
        assert "reach Alex at the end of their day" in thanks.response.content
        again = await sam.click(post, custom_id=button.custom_id)
        assert "already sent" in again.response.content
        self_click = await alex.click(post, custom_id=button.custom_id)
        assert "This is your celebration" in self_click.response.content
        await riley.click(post, custom_id=button.custom_id)
        assert await w.count("SELECT COUNT(*) FROM milestone_congrats") == 2

        before = len(w.dms(alex))
        await until(w, ALEX_2000_TUE - timedelta(minutes=15))
        assert len(w.dms(alex)) == before
        await until(w, ALEX_2000_TUE + timedelta(hours=2))
        new = w.dms(alex)[before:]
        assert len(new) == 1
        assert dm_body(new[0].content) == (
            "💌 On 30 days of recovery, 2 people in your group sent you congratulations: "
            "Sam and Riley. They're glad you're here, and so are we."
        )
        late = await w.clients[2].click(post, custom_id=button.custom_id)
        assert "already delivered" in late.response.content

        await w.advance(timedelta(days=2), step=timedelta(hours=1))
        assert len([m for m in w.dms(alex) if "30 days" in m.content]) == 2  # + the congrats
        assert len(w.messages(w.cohort)) == 1
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'milestone_congrats'") == 1


async def test_private_client_gets_a_dm_and_nothing_public(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, riley = w.clients
        await enroll_all(w)
        await put_in_cohort(w, alex, sam, riley)
        await sam.slash(w.cohort, "sobriety set", date="2026-02-01")  # 29 days in Berlin
        await w.advance(timedelta(days=2), step=STEP)
        dms = [dm_body(m.content) for m in w.dms(sam) if "30 days" in m.content]
        assert len(dms) == 1
        assert "Only you see this" in dms[0]
        assert all("Sam" not in text for text in contents(w.messages(w.cohort)))
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE kind = 'milestone_post'") == 0


async def test_public_off_before_the_morning_keeps_it_private(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await put_in_cohort(w, alex)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        await alex.slash(w.cohort, "milestones public", choice="on")
        result = await alex.slash(w.cohort, "milestones public", choice="off")
        assert "private again" in result.response.content
        await until(w, ALEX_0900_TUE + timedelta(hours=1))
        assert w.messages(w.cohort) == []
        assert len([m for m in w.dms(alex) if "30 days" in m.content]) == 1


async def test_exactly_one_celebration_across_restarts_and_catch_up(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await put_in_cohort(w, alex)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        await alex.slash(w.cohort, "milestones public", choice="on")
        await until(w, ALEX_0900_TUE + timedelta(minutes=5))
        for _ in range(5):
            await w.run_due_work()
        await w.restart()
        for _ in range(3):
            await w.run_due_work()
        await w.restart()
        await w.advance(timedelta(days=8), step=timedelta(hours=3))
        rows = await milestone_rows(w, alex.id)
        assert rows.count(("sobriety", "days", 30, "celebrated", 0)) == 1
        assert len([r for r in rows if r[:4] == ("program", "weeks", 1, "celebrated")]) == 1
        keys = await w.db.fetchall(
            "SELECT dedupe_key, COUNT(*) FROM outbox WHERE subject_user_id = ? GROUP BY dedupe_key",
            (alex.id,),
        )
        assert {k for k, _ in keys} >= {
            f"milestone:{alex.id}:days:30",
            f"milestone_post:{alex.id}:days:30",
            f"milestone:{alex.id}:weeks:1",
        }
        assert all(count == 1 for _, count in keys)
        assert len([m for m in w.dms(alex) if "30 days" in m.content]) == 1
        assert len([m for m in w.dms(alex) if "first week" in m.content]) == 1
        assert len(w.messages(w.cohort)) == 2  # 30 days, first week


async def test_downtime_celebrates_late_once_and_says_so(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        # The bot is down from Monday until Wednesday afternoon: nothing runs meanwhile.
        w.clock.set(datetime(2026, 3, 4, 20, 0, tzinfo=UTC))
        await w.restart()
        await w.run_due_work()
        await w.run_due_work()
        dms = [dm_body(m.content) for m in w.dms(alex) if "30 days" in m.content]
        assert len(dms) == 1
        assert dms[0].startswith(
            "🎉 A little late, but… congratulations, Alex! On Tuesday, March 3"
        )
        rows = await milestone_rows(w, alex.id)
        assert ("sobriety", "days", 30, "celebrated", 1) in rows
        assert [r for r in rows if r[3] == "celebrated"] == [
            ("sobriety", "days", 30, "celebrated", 1)
        ]


async def test_stale_milestone_is_recorded_not_announced(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        # Down for 11 days: the 30-day milestone (03-03) is stale; the first program week
        # (03-09) is three days late and still celebrated, kindly.
        w.clock.set(datetime(2026, 3, 13, 16, 0, tzinfo=UTC))
        await w.run_due_work()
        rows = await milestone_rows(w, alex.id)
        assert ("sobriety", "days", 30, "recorded_stale", 0) in rows
        assert ("program", "weeks", 1, "celebrated", 1) in rows
        texts = [dm_body(m.content) for m in w.dms(alex)]
        assert not any("30 days" in t for t in texts)
        assert any(t.startswith("🎉 A little late, but…") and "first week" in t for t in texts)


async def test_milestones_before_the_date_was_set_are_not_announced(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        result = await alex.slash(w.cohort, "sobriety set", date="2025-12-01")
        assert "91 days" in result.response.content
        await w.advance(timedelta(hours=12), step=timedelta(hours=1))
        assert not any("sobriety" in m.content for m in w.dms(alex))
        statuses = {r[3] for r in await milestone_rows(w, alex.id) if r[0] == "sobriety"}
        assert statuses == {"recorded_stale"}


async def test_day_one_celebrated_at_local_morning_in_each_zone(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await enroll_all(w)
        for member in w.clients:
            result = await member.slash(w.cohort, "sobriety set", date="2026-03-02")
            assert "0 days" in result.response.content
        await w.advance(timedelta(days=2), step=timedelta(minutes=15))
        expected = {  # 09:00 local on 2026-03-03
            "alex": datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
            "sam": datetime(2026, 3, 3, 8, 0, tzinfo=UTC),
            "riley": datetime(2026, 3, 3, 17, 0, tzinfo=UTC),
        }
        for member in w.clients:
            row = await w.db.fetchone(
                "SELECT due_at, celebrated_at, late FROM milestones WHERE user_id = ? "
                "AND kind = 'days' AND n = 1",
                (member.id,),
            )
            due = datetime.fromisoformat(row["due_at"])
            celebrated = datetime.fromisoformat(row["celebrated_at"])
            assert due == expected[member.name]
            assert timedelta(0) <= celebrated - due <= timedelta(minutes=15)
            assert row["late"] == 0
            assert any("1 day of recovery" in m.content for m in w.dms(member))


async def test_sobriety_date_refusals_store_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, _ = w.clients
        await enroll_all(w)
        before = await w.table_snapshot()
        cases = [
            (alex, "2026-03-03", "can't be in the future"),  # 2026-03-02 in Chicago
            (alex, "1899-12-31", "1900-01-01"),
            (alex, "03/01/2026", "YYYY-MM-DD"),
            (alex, "2026-02-30", "YYYY-MM-DD"),
        ]
        for member, value, expected in cases:
            result = await member.slash(w.cohort, "sobriety set", date=value)
            assert result.ephemeral
            assert expected in result.response.content, value
        assert await w.table_snapshot() == before
        # In Berlin it is already 13:00 on 03-02, but 03-03 is still tomorrow; for a client
        # east of the date line it would be today: the check uses the client's own zone.
        result = await sam.slash(w.cohort, "sobriety set", date="2026-03-02")
        assert "0 days" in result.response.content


async def test_someone_not_enrolled_cannot_set_a_date(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        result = await w.facilitator.slash(w.cohort, "sobriety set", date="2026-01-01")
        assert result.ephemeral
        assert "enrolled clients" in result.response.content


async def test_reset_keeps_cumulative_days_and_longest_streak(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await put_in_cohort(w, alex)
        await alex.slash(w.cohort, "milestones public", choice="on")
        await alex.slash(w.cohort, "sobriety set", date="2026-01-21")  # 40 days
        prompt = await alex.slash(w.cohort, "sobriety reset")
        assert prompt.ephemeral
        assert "40 cumulative days" in prompt.response.content
        assert find_stigma(prompt.response.content) == []
        done = await alex.click(prompt.response, label="Restart my counter today")
        assert "40 cumulative days" in done.response.content
        assert "longest streak of 40 days are kept" in done.response.content
        assert find_stigma(done.response.content) == []

        await w.advance(timedelta(days=3), step=timedelta(hours=1))
        show = await alex.slash(w.cohort, "sobriety show")
        assert show.ephemeral
        assert "Current: 3 days (since 2026-03-02)" in show.response.content
        assert "Longest streak: 40 days" in show.response.content
        assert "Cumulative days: 43" in show.response.content
        assert await w.count("SELECT COUNT(*) FROM sobriety_resets WHERE restarted = 1") == 1
        # The new streak's day one is celebrated, privately worded in the cohort (no reset).
        assert any("1 day of recovery" in m.content for m in w.dms(alex))
        for text in contents(w.messages(w.cohort)):
            assert "reset" not in text.lower()
            assert "restart" not in text.lower()


async def test_reset_can_keep_the_counter(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-01-21")
        prompt = await alex.slash(w.cohort, "sobriety reset")
        done = await alex.click(prompt.response, label="Keep my counter as it is")
        assert "stays as it is: 40 days" in done.response.content
        show = await alex.slash(w.cohort, "sobriety show")
        assert "Current: 40 days" in show.response.content
        assert await w.count("SELECT COUNT(*) FROM sobriety_resets WHERE restarted = 0") == 1


async def test_second_streak_celebrates_thirty_days_again(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        await until(w, ALEX_0900_TUE + timedelta(minutes=30))
        prompt = await alex.slash(w.cohort, "sobriety reset")
        await alex.click(prompt.response, label="Restart my counter today")
        await w.advance(timedelta(days=31), step=timedelta(hours=2))
        rows = await milestone_rows(w, alex.id)
        assert (
            rows.count(("sobriety", "days", 30, "celebrated", 0))
            + rows.count(("sobriety", "days", 30, "celebrated", 1))
            == 2
        )
        assert (
            await w.count(
                "SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?",
                (f"milestone:{alex.id}:days:30:streak2",),
            )
            == 1
        )


async def test_reported_use_gently_offers_reset_and_changes_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        sources = fake_sources(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        show = await alex.slash(w.cohort, "sobriety show")
        assert "/sobriety reset" not in show.response.content
        sources.uses[alex.id] = [datetime(2026, 3, 1).date()]
        before = await w.table_snapshot()
        show = await alex.slash(w.cohort, "sobriety show")
        assert show.ephemeral
        assert "/sobriety reset lets you choose" in show.response.content
        assert "Current: 29 days" in show.response.content
        assert find_stigma(show.response.content) == []
        assert await w.table_snapshot() == before
        sources.uses[alex.id] = [datetime(2026, 1, 1).date()]  # before this streak
        show = await alex.slash(w.cohort, "sobriety show")
        assert "/sobriety reset" not in show.response.content


async def test_sessions_attended_milestone(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        sources = fake_sources(w)
        sources.sessions[alex.id] = 9
        await w.advance(timedelta(hours=4), step=timedelta(hours=1))
        sources.sessions[alex.id] = 10
        await w.advance(timedelta(hours=1), step=timedelta(hours=1))  # 11:00 Chicago
        assert not any("group sessions" in m.content for m in w.dms(alex))
        await until(w, ALEX_0900_TUE + timedelta(minutes=15))
        texts = [dm_body(m.content) for m in w.dms(alex) if "group sessions" in m.content]
        assert texts == [
            "🎉 Congratulations, Alex! You've now attended 10 group sessions. Thank you for "
            "showing up for yourself and for your group.\nOnly you see this. If you'd ever "
            "like to share celebrations with your group, use /milestones public on."
        ]


async def test_real_sources_without_groups_data_count_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        sources = fake_sources(w).real
        assert await sources.sessions_attended(alex.id) == 0
        assert await sources.reported_use_dates(alex.id) == []
        assert await sources.cohort_channel(alex.id) is None
        await put_in_cohort(w, alex)
        assert await sources.cohort_channel(alex.id) == w.cohort.id


async def test_schemes_come_from_the_config(tmp_path):
    overrides = {"sobriety_days": [3], "sobriety_every_year_after_days": None}
    async with program_world(tmp_path, cogs=COGS, milestones=overrides) as w:
        alex = w.clients[0]
        await enroll_all(w)
        result = await alex.slash(w.cohort, "sobriety set", date="2026-02-28")  # 2 days
        assert "Your next milestone: 3 days of recovery on 2026-03-03" in result.response.content
        await w.advance(timedelta(days=2), step=timedelta(hours=1))
        rows = await milestone_rows(w, alex.id)
        assert [r[:3] for r in rows if r[0] == "sobriety"] == [("sobriety", "days", 3)]
        assert any("3 days of recovery" in m.content for m in w.dms(alex))
        assert not any("7 days" in m.content for m in w.dms(alex))
