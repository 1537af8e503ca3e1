"""/program stepdown|complete, /milestones upcoming, the data contract and lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.language import find_stigma
from bot.domain.milestones import Tally
from tests.cogs.milestones_helpers import cog, enroll_all, put_in_cohort
from tests.harness import dm_body, program_world

COGS = ("clients", "milestones")


async def test_stepdown_and_completion_are_audited_milestones(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, _ = w.clients
        await enroll_all(w)
        await put_in_cohort(w, alex, sam)
        await alex.slash(w.cohort, "milestones public", choice="on")
        result = await w.facilitator.slash(w.cohort, "program stepdown", member=alex)
        assert result.ephemeral
        assert "Alex has stepped down" in result.response.content
        assert find_stigma(result.response.content) == []
        assert "celebrated today at 09:00 their time" in result.response.content
        client = await w.bot.services.clients.get(alex.id)
        assert client is not None and client.status == "stepped_down"
        assert (
            await w.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'program.stepdown' "
                "AND subject_user_id = ?",
                (alex.id,),
            )
            == 1
        )
        again = await w.facilitator.slash(w.cohort, "program stepdown", member=alex)
        assert "can't be stepped down now" in again.response.content

        await w.advance(timedelta(days=1, hours=4), step=timedelta(minutes=30))
        dms = [m.content for m in w.dms(alex) if "next level of care" in m.content]
        assert len(dms) == 1
        posts = [m.content for m in w.messages(w.cohort)]
        assert posts == [
            "🎉 Please join us in congratulating **Alex** on stepping down to the next level "
            "of care! Press Send congrats to send your good wishes."
        ]

        done = await w.facilitator.slash(w.cohort, "program complete", member=alex)
        assert "Alex has completed" in done.response.content
        await w.advance(timedelta(days=1), step=timedelta(minutes=30))
        completed = [dm_body(m.content) for m in w.dms(alex) if "completed Test IOP" in m.content]
        assert len(completed) == 1
        assert completed[0].startswith("🎓 Congratulations, Alex!")
        # Completed clients are no longer planned for, but the celebration still went out.
        client = await w.bot.services.clients.get(alex.id)
        assert client is not None and client.status == "completed"
        again = await w.facilitator.slash(w.cohort, "program complete", member=alex)
        assert "can't be completed now" in again.response.content


async def test_program_commands_are_for_facilitators_only(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, _ = w.clients
        await enroll_all(w)
        before = await w.table_snapshot()
        for name in ("program stepdown", "program complete", "milestones upcoming"):
            options = {} if name == "milestones upcoming" else {"member": sam}
            result = await alex.slash(w.cohort, name, **options)
            assert result.ephemeral
            assert "only for facilitators" in result.response.content
        assert await w.table_snapshot() == before
        result = await w.facilitator.slash(w.cohort, "program stepdown", member=w.family)
        assert "is not enrolled" in result.response.content


async def test_upcoming_shows_private_sobriety_milestones_without_days(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, riley = w.clients
        await enroll_all(w, start_date="2026-02-27")  # first week falls on 03-06
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")  # 30 days on 03-03
        await alex.slash(w.cohort, "milestones public", choice="on")
        await sam.slash(w.cohort, "sobriety set", date="2026-02-03")  # 30 days on 03-05
        result = await w.facilitator.slash(w.cohort, "milestones upcoming")
        assert result.ephemeral
        text = result.response.content
        assert "Tue 2026-03-03: Alex: 30 days of recovery" in text
        assert "Thu 2026-03-05: Sam: a private recovery milestone" in text
        assert "Sam: 30 days" not in text
        for name in ("Alex", "Sam", "Riley"):
            assert f"Fri 2026-03-06: {name}: the first week in the program" in text
        assert (
            await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'milestones.upcoming'")
            == 1
        )
        del riley


async def test_upcoming_leaves_out_celebrated_and_never_sent_milestones(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, riley = w.clients
        # The first week falls today (Mon 03-02), celebrated at 09:00 local. Enrolled at
        # 12:00 UTC: in Berlin (Sam) 09:00 has passed, so the planner records Sam's without
        # a word; Chicago (Alex) and Los Angeles (Riley) are still to come.
        await enroll_all(w, start_date="2026-02-23")
        text = (await w.facilitator.slash(w.cohort, "milestones upcoming")).response.content
        assert "Mon 2026-03-02: Alex: the first week in the program" in text
        assert "Mon 2026-03-02: Riley: the first week in the program" in text
        assert "Sam:" not in text
        # 09:00 Chicago passes: Alex's is celebrated and no longer upcoming; Riley's is.
        await w.advance(timedelta(hours=3, minutes=30), step=timedelta(minutes=30))
        assert any("first week" in m.content for m in w.dms(alex))
        text = (await w.facilitator.slash(w.cohort, "milestones upcoming")).response.content
        assert "Alex:" not in text
        assert "Mon 2026-03-02: Riley: the first week in the program" in text
        del sam, riley


async def test_export_and_delete_a_members_milestone_data(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, _ = w.clients
        await enroll_all(w)
        await put_in_cohort(w, alex, sam)
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        await alex.slash(w.cohort, "milestones public", choice="on")
        w.clock.set(datetime(2026, 3, 3, 15, 5, tzinfo=UTC))
        await w.run_due_work()
        post = w.messages(w.cohort)[0]
        await sam.click(post, custom_id=post.components[0].children[0].custom_id)

        milestones = cog(w)
        exported = await milestones.export_user_data(alex.id)
        assert exported["sobriety"]["streak_start"] == "2026-02-01"
        assert exported["sobriety"]["public_celebrations"] is True
        thirty = [m for m in exported["milestones"] if m["n"] == 30]
        assert thirty[0]["congratulations_received"] == 1
        assert thirty[0]["shared_with_group"] is True
        given = await milestones.export_user_data(sam.id)
        assert len(given["congratulations_given"]) == 1
        assert await milestones.export_user_data(w.clients[2].id) == {}

        report = await milestones.delete_user_data(alex.id)
        assert report.removed["sobriety_records"] == 1
        assert report.removed["milestone_congrats"] == 1
        assert await milestones.export_user_data(alex.id) == {}
        gone = await sam.click(post, custom_id=post.components[0].children[0].custom_id)
        assert "isn't available anymore" in gone.response.content
        assert await milestones.purge_expired() == {}


async def test_reloading_the_extension_does_not_double_jobs_or_buttons(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        jobs = w.bot.services.jobs
        assert "milestones:plan" in jobs.job_ids()
        count = len(jobs.job_ids())
        for _ in range(2):
            await w.bot.reload_extension("cogs.milestones")
        assert len(jobs.job_ids()) == count
        assert w.bot.get_cog("ProgramCog") is not None
        await w.bot.unload_extension("cogs.milestones")
        assert "milestones:plan" not in jobs.job_ids()


async def test_a_streak_reset_during_the_planner_run_records_nothing_for_the_old_streak(
    tmp_path,
):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll_all(w)
        await alex.slash(w.cohort, "sobriety set", date="2026-01-31")  # 30 days on 03-02
        milestones = w.bot.get_cog("MilestonesCog")  # (a reload elsewhere makes a new class)
        planner, repo = milestones.planner, milestones.repo
        real = planner.sources.sessions_attended_by_client

        async def reset_meanwhile():
            # Alex restarts the count while the planner is between its reads and its write.
            async with w.db.transaction() as tx:
                await repo.save_tally(
                    tx, alex.id, Tally(streak_start=date(2026, 3, 2), streak=2), w.clock.now()
                )
            return await real()

        planner.sources.sessions_attended_by_client = reset_meanwhile
        await planner.record_all_due(w.clock.now())
        rows = await w.db.fetchall(
            "SELECT n, streak FROM milestones WHERE user_id = ? AND scheme = 'sobriety'",
            (alex.id,),
        )
        assert [tuple(r) for r in rows] == []  # not "30 days" for the streak that just ended
