"""Who sees check-ins: the client themself and facilitators (audited); nobody in public."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from bot.services.notices import Button, Notice
from bot.services.outbox import ChannelTarget
from tests.cogs.checkins_helpers import (
    enroll,
    jump_to,
    make_cohort,
    prompts,
    reply_text,
    submit,
)
from tests.harness import program_world

COGS = ("clients", "checkins")
NOTE = "zebra-lantern-4471 my counselor should know"


def _attachments(result):
    messages = [result.response, *result.followups]
    return [a for m in messages if m is not None for a in m.attachments]


async def _audit(w, action: str) -> int:
    return await w.count("SELECT COUNT(*) FROM audit_log WHERE action = ?", (action,))


async def test_a_client_cannot_see_another_clients_checkins(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await submit(w, sam, craving="9", note=NOTE)
        for command in ("checkin view", "checkin export"):
            refused = await alex.slash(w.cohort, command, member=sam)
            assert refused.ephemeral
            assert "only for facilitators" in reply_text(refused)
            assert not _attachments(refused)
        report = await alex.slash(w.cohort, "checkin report")
        assert "only for facilitators" in reply_text(report)
        # Even with a "View check-in" button in front of them, the check is in code.
        checkin_id = await w.db.fetchval("SELECT id FROM checkins WHERE user_id = ?", (sam.id,))
        async with w.db.transaction() as tx:
            await w.bot.services.outbox.enqueue(
                tx,
                dedupe_key="test:view-button",
                kind="test",
                target=ChannelTarget(w.cohort.id),
                notice=Notice(
                    content="(test)",
                    buttons=(Button("View check-in", f"iop:checkin:view:{checkin_id}"),),
                ),
            )
        await w.run_due_work()
        (message,) = [m for m in w.messages(w.cohort) if m.content == "(test)"]
        clicked = await alex.click(message, custom_id=f"iop:checkin:view:{checkin_id}")
        assert "only for facilitators" in reply_text(clicked)
        assert NOTE not in reply_text(clicked)
        # Their own history shows only their own (empty) record.
        own = await alex.slash(w.cohort, "checkin history")
        assert "0 check-ins" in reply_text(own)
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'checkin.%'") == 0


async def test_facilitators_can_view_export_and_open_answers_and_it_is_audited(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        await enroll(w, sam)
        await submit(w, sam, craving="9", note=NOTE)
        await w.run_due_work()
        viewed = await w.facilitator.slash(w.staff, "checkin view", member=sam)
        assert viewed.ephemeral or viewed.followups[-1].ephemeral
        (chart,) = _attachments(viewed)
        assert chart.filename == "checkins.png"
        assert "Sam's last 30 days" in reply_text(viewed)
        assert await _audit(w, "checkin.view") == 1
        exported = await w.facilitator.slash(w.staff, "checkin export", member=sam)
        (csv_file,) = _attachments(exported)
        assert csv_file.filename.endswith(".csv")
        assert await _audit(w, "checkin.export") == 1
        (alert,) = [m for m in w.messages(w.staff) if m.embeds]
        ids = [c.custom_id for row in alert.components for c in row.children]
        (view_id,) = [i for i in ids if i.startswith("iop:checkin:view:")]
        opened = await w.facilitator.click(alert, custom_id=view_id)
        assert opened.ephemeral
        text = reply_text(opened)
        assert "Craving: 9/10" in text and NOTE in text
        assert await _audit(w, "checkin.view_answers") == 1
        details = [
            r["detail"]
            for r in await w.db.fetchall(
                "SELECT detail FROM audit_log WHERE action LIKE 'checkin.%'"
            )
        ]
        assert all(NOTE not in d for d in details)


async def test_history_chart_is_a_png_and_shows_only_ephemerally(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        for day in (3, 4, 6):
            await jump_to(w, datetime(2026, 3, day, 15, 0, tzinfo=UTC))
            await submit(w, alex, mood=str(day), craving="2")
        result = await alex.slash(w.cohort, "checkin history")
        (chart,) = _attachments(result)
        data = await chart.read()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        text = reply_text(result)
        assert "3 check-ins" in text and "no check-in" in text  # the 5th is a missed day
        assert all(m.ephemeral for m in [result.response, *result.followups] if m is not None)


async def test_report_this_week_for_all_or_one_cohort(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam, riley = w.clients
        for member in (alex, sam, riley):
            await enroll(w, member)
        await make_cohort(w, [alex, sam])
        await submit(w, alex, mood="8", craving="2")
        await submit(w, sam, mood="4", craving="9")
        everyone = await w.facilitator.slash(w.staff, "checkin report")
        text = reply_text(everyone)
        assert "Alex" in text and "Sam" in text and "Riley" in text
        assert "2026-W10" in text
        cohort = await w.facilitator.slash(w.staff, "checkin report", cohort=w.cohort)
        text = reply_text(cohort)
        assert "Cohort A" in text and "Alex" in text and "Riley" not in text
        not_cohort = await w.facilitator.slash(w.staff, "checkin report", cohort=w.staff)
        assert "not a cohort channel" in reply_text(not_cohort)
        assert await _audit(w, "checkin.report") == 2


async def test_answers_never_reach_guild_messages_or_logs(tmp_path, caplog):
    # Production runs at INFO (aiosqlite's DEBUG lines echo SQL parameters); ours at DEBUG.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="iopbot")
    items = {"items": ["mood", "craving", "used", "sleep", "note"]}
    async with program_world(tmp_path, cogs=COGS, checkins=items) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await make_cohort(w, [alex, sam])
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        await submit(w, alex, mood="2", craving="9", used="yes", sleep="3.25", note=NOTE)
        await submit(w, sam, note="I want to die zebra-lantern-4471")
        await w.run_due_work()
        for day in (4, 5, 6):  # two missed days in a row: quiet-client alerts too
            await jump_to(w, datetime(2026, 3, day, 14, 0, tzinfo=UTC))
        assert await w.count("SELECT COUNT(*) FROM alerts") >= 5
        for channel in (w.staff, w.cohort, w.mod_log):
            for message in w.messages(channel):
                blob = json.dumps(
                    {
                        "content": message.content,
                        "embeds": [e.to_dict() for e in message.embeds],
                    }
                )
                assert "zebra-lantern" not in blob
                assert "3.25" not in blob
                for word in ("Mood:", "Craving:", "Sleep", "mood 2", "craving 9"):
                    assert word not in blob
        timing = ("created", "msecs", "relativeCreated", "thread", "process")  # may hold "3.25"
        for record in caplog.records:
            fields = {k: v for k, v in record.__dict__.items() if k not in timing}
            text = record.getMessage() + json.dumps(fields, default=str)
            assert "zebra-lantern" not in text
            assert "3.25" not in text
        # The check-in's own log lines carry ids only (not even how many rules fired).
        saved = [r for r in caplog.records if r.getMessage() == "checkin.saved"]
        assert len(saved) == 2
        base = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
        for record in saved:
            assert set(record.__dict__) - base == {"person", "checkin_id"}
        # A keyed pseudonym stands for the client: stable, and not their Discord id.
        alex_id = w.clients[0].id
        assert {r.person for r in saved} <= {w.bot.services.key.pseudonym(c.id) for c in w.clients}
        assert all(str(alex_id) not in r.person for r in saved)


async def test_dm_closed_ladder_nudges_in_the_cohort_then_flags_facilitators(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await make_cohort(w, [alex])
        await jump_to(w, datetime(2026, 3, 3, 13, 0, tzinfo=UTC))
        w.env.inject_error(
            "POST", "/channels/*/messages", status=403, code=50007, message="Cannot send", times=1
        )
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        assert prompts(w, alex) == []
        nudges = [m for m in w.messages(w.cohort) if "your check-in is open" in m.content]
        assert [m.content for m in nudges] == [
            f"<@{alex.id}>, your check-in is open: use /checkin today"
        ]
        assert await w.count("SELECT COUNT(*) FROM alerts WHERE rule = 'dm_closed'") == 0
        await jump_to(w, datetime(2026, 3, 3, 18, 0, tzinfo=UTC))  # nothing more that day
        assert len([m for m in w.messages(w.cohort) if "check-in is open" in m.content]) == 1
        w.env.inject_error(
            "POST", "/channels/*/messages", status=403, code=50007, message="Cannot send", times=1
        )
        await jump_to(w, datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
        assert len([m for m in w.messages(w.cohort) if "check-in is open" in m.content]) == 2
        assert await w.count("SELECT COUNT(*) FROM alerts WHERE rule = 'dm_closed'") == 1
        staff = [m for m in w.messages(w.staff) if m.embeds]
        assert any("DMs closed" in (m.embeds[0].title or "") for m in staff)
        # The DM works again on day 3: a normal prompt, no nudge.
        await jump_to(w, datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
        assert len(prompts(w, alex)) == 1
        assert len([m for m in w.messages(w.cohort) if "check-in is open" in m.content]) == 2


async def test_data_contracts_export_delete_purge(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await submit(w, alex, note=NOTE)
        await submit(w, sam)
        cog = w.bot.get_cog("CheckinsCog")
        exported = await cog.export_user_data(alex.id)
        assert [c["note"] for c in exported["checkins"]] == [NOTE]
        assert await cog.export_user_data(w.stranger.id) == {}
        report = await cog.delete_user_data(alex.id)
        assert report.removed["checkins"] == 1
        assert await w.count("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (alex.id,)) == 0
        assert await w.count("SELECT COUNT(*) FROM checkins WHERE user_id = ?", (sam.id,)) == 1
        assert await cog.purge_expired() == {"checkins": 0, "prompt_periods": 0}
        w.clock.set(w.clock.now() + timedelta(days=731))
        assert (await cog.purge_expired())["checkins"] == 1
        assert await cog.purge_expired() == {"checkins": 0, "prompt_periods": 0}
