"""Family sessions: the three notices, only to verified and consented people, one disclosure
per notice sent, answers reaching the facilitator, changes, 50007, and DST."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.cogs.family_helpers import (
    breathe,
    enroll,
    family_world,
    grant,
    invite,
    linked_family,
    move_to,
    outbox_rows,
    schedule,
    staff_texts,
)

NEW_YORK = ZoneInfo("America/New_York")
# Thursday 2026-03-05 18:00 in New York (EST, UTC-5).
START = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)


def unix(instant: datetime) -> int:
    return int(instant.timestamp())


async def test_the_three_notices_reach_client_and_family_with_one_disclosure_each(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex)
        session_id = await schedule(w, alex)
        await w.run_due_work()
        await move_to(w, START - timedelta(hours=24))
        await move_to(w, START - timedelta(hours=1))
        family_dms = w.dms(w.family)
        assert len(family_dms) == 3 and len(w.dms(alex)) == 3
        assert "has been scheduled" in family_dms[0].content
        assert "starts in 24 hours" in family_dms[1].content
        assert "starts in 1 hour" in family_dms[2].content
        for dm in family_dms:
            assert f"<t:{unix(START)}:F>" in dm.content
            assert "Length: 60 minutes" in dm.content and "Room 2, 100 Main St" in dm.content
            assert "Dana" not in dm.content  # the consent doesn't name the facilitator
            assert w.settings.family.redisclosure_text in dm.content
            assert "Shared with written consent" in dm.content
            ids = [c.custom_id for row in dm.components for c in row.children]
            assert ids == [f"iop:family:rsvp:{session_id}:yes", f"iop:family:rsvp:{session_id}:no"]
        for dm in w.dms(alex):  # the client's own copy: no statement, no scope line
            assert "42 CFR" not in dm.content and "Shared with" not in dm.content
            assert "With: Dana (facilitator)" in dm.content
        sent = [r for r in await outbox_rows(w) if r["target_id"] == w.family.id]
        assert [r["status"] for r in sent] == ["sent", "sent", "sent"]
        disclosures = await w.db.fetchall("SELECT * FROM family_disclosures ORDER BY id")
        assert [d["outbox_id"] for d in disclosures] == [r["id"] for r in sent]
        # each disclosure is dated when its notice was delivered (the row's sent_at)
        assert [d["disclosed_at"] for d in disclosures] == [r["sent_at"] for r in sent]
        for d in disclosures:
            assert d["client_id"] == alex.id
            assert d["recipient_contact_id"] == linked.contact_id
            assert d["recipient_user_id"] == w.family.id
            assert d["recipient_name"] == "Jordan (parent)"
            assert d["category"] == "family_session_logistics"
            assert d["purpose"] == "coordinating family therapy"
            assert d["sender"] == "Test IOP (iopbot)"
            assert d["session_id"] == session_id
        # Client notices are not disclosures; the accounting is append-only.
        assert len(disclosures) == 3
        listed = await alex.slash(w.cohort, "family disclosures")
        assert listed.ephemeral and "3 notice(s)" in listed.response.content
        # plain words for the client, never internal codes
        assert "reminder 24 hours before" in listed.response.content
        assert "the session was scheduled" in listed.response.content
        assert "remind24h" not in listed.response.content and "-v1" not in listed.response.content
        await w.advance(timedelta(hours=3))
        assert len(w.dms(w.family)) == 3  # nothing after the session


async def test_a_family_member_without_a_verified_link_gets_nothing(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await invite(w, alex)  # invited, never linked (w.family has the role, not the link)
        await schedule(w, alex)
        await w.advance(timedelta(days=4), step=timedelta(hours=1))
        assert w.dms(w.family) == []
        assert len(w.dms(alex)) == 3
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE target_id = ?", (w.family.id,)) == 0
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 0


async def test_a_linked_member_without_consent_gets_nothing(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex, consent=False)
        await schedule(w, alex)
        await w.advance(timedelta(days=4), step=timedelta(hours=1))
        assert w.dms(w.family) == []
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 0


async def test_consent_given_after_scheduling_brings_the_remaining_notices(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex, consent=False)
        await schedule(w, alex)
        await w.run_due_work()
        assert "Saved" in await grant(w, alex, linked.contact_id)
        await w.advance(timedelta(days=4), step=timedelta(hours=1))
        assert len(w.dms(w.family)) == 3


async def test_confirm_and_cant_make_it_reach_the_facilitator_and_show_in_list(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        session_id = await schedule(w, alex)
        await w.run_due_work()
        notice = w.dms(w.family)[0]
        reply = await w.family.user.click(notice, custom_id=f"iop:family:rsvp:{session_id}:yes")
        assert reply.ephemeral and "knows you'll be there" in reply.response.content
        await breathe(w)
        own = w.dms(alex)[0]
        await alex.user.click(own, custom_id=f"iop:family:rsvp:{session_id}:no")
        await breathe(w)
        staff = staff_texts(w)
        assert len(staff) == 2
        assert "Jordan (parent), family of Alex, will be at family session" in staff[0]
        assert f"<@{w.facilitator.id}>" in staff[0]
        assert "Alex (client) can't make family session" in staff[1]
        listed = await w.facilitator.slash(w.staff, "family session list")
        assert listed.ephemeral
        text = listed.response.content
        assert "Jordan (parent) will be there" in text and "Alex can't make it" in text
        # Someone the notice was not for cannot answer.
        sam = w.clients[1]
        await enroll(w, sam)
        assert len(w.dms(sam)) == 0


async def test_rsvp_repeated_click_tells_staff_once_and_a_change_again(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        session_id = await schedule(w, alex)
        await w.run_due_work()
        notice = w.dms(w.family)[0]
        yes, no = f"iop:family:rsvp:{session_id}:yes", f"iop:family:rsvp:{session_id}:no"
        for custom_id in (yes, yes, yes):
            await w.family.user.click(notice, custom_id=custom_id)
            await breathe(w)
        assert len(staff_texts(w)) == 1
        await w.family.user.click(notice, custom_id=no)
        await breathe(w)
        await w.family.user.click(notice, custom_id=yes)
        await breathe(w)
        staff = staff_texts(w)
        assert len(staff) == 3
        assert "will be at" in staff[0] and "can't make" in staff[1] and "will be at" in staff[2]


async def test_reschedule_sends_fresh_notices_and_cancels_the_old_reminders(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        session_id = await schedule(w, alex)
        await w.run_due_work()
        result = await w.facilitator.slash(
            w.staff, "family session reschedule", session=session_id, start="2026-03-06 17:30"
        )
        assert result.ephemeral and f"#{session_id}" in result.response.content
        await breathe(w)
        rows = await outbox_rows(w)
        old = [r for r in rows if "-v1" in r["dedupe_key"]]
        assert {r["status"] for r in old if "remind" in r["dedupe_key"]} == {"cancelled"}
        new_start = datetime(2026, 3, 6, 22, 30, tzinfo=UTC)
        assert "has changed" in w.dms(w.family)[-1].content
        assert f"<t:{unix(new_start)}:F>" in w.dms(w.family)[-1].content
        v2 = [
            r["dedupe_key"]
            for r in rows
            if "remind" in r["dedupe_key"] and "-v2" in r["dedupe_key"]
        ]
        assert len(v2) == 4  # 24 h and 1 h, for alex and for jordan
        await move_to(w, new_start - timedelta(hours=24))
        await move_to(w, new_start - timedelta(hours=1))
        assert len(w.dms(w.family)) == 4  # scheduled, changed, 24 h, 1 h
        assert "starts in 1 hour" in w.dms(w.family)[-1].content
        cancel = await w.facilitator.slash(w.staff, "family session cancel", session=session_id)
        assert "cancelled" in cancel.response.content
        await breathe(w)
        last = w.dms(w.family)[-1]
        assert "has been cancelled" in last.content and not last.components
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 5


async def test_only_facilitators_schedule_and_bad_input_is_refused(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        refused = await alex.slash(
            w.cohort,
            "family session schedule",
            client=alex,
            start="2026-03-05 18:00",
            duration=60,
            place="Room 2",
        )
        assert "only for facilitators" in refused.response.content
        for start, duration, place in (
            ("2026-03-01 18:00", 60, "Room 2"),  # past
            ("tomorrow 6pm", 60, "Room 2"),
            ("2026-03-05 18:00", 10, "Room 2"),
            ("2026-03-05 18:00", 300, "Room 2"),
            ("2026-03-05 18:00", 60, "x" * 201),
            ("2026-03-05 18:00", 60, "http://video.example/room"),
        ):
            result = await w.facilitator.slash(
                w.staff,
                "family session schedule",
                client=alex,
                start=start,
                duration=duration,
                place=place,
            )
            assert result.ephemeral and "Scheduled" not in result.response.content
        assert await w.count("SELECT COUNT(*) FROM family_sessions") == 0


async def test_undeliverable_dm_to_family_has_no_channel_fallback_and_the_facilitator_is_told(
    tmp_path,
):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        dm_channel = w.family.user.dm_channel
        w.env.inject_error(
            "POST",
            f"/channels/{dm_channel.id}/messages",
            status=403,
            code=50007,
            message="Cannot send messages to this user",
            times=None,
        )
        await schedule(w, alex)
        await w.run_due_work()
        rows = [r for r in await outbox_rows(w) if r["target_id"] == w.family.id]
        assert rows[0]["status"] == "undeliverable" and rows[0]["error_code"] == 50007
        assert w.messages(w.cohort) == []
        staff = staff_texts(w)
        assert len(staff) == 1
        assert "direct messages are closed. Please call them" in staff[0]
        assert "Jordan (parent)" in staff[0]
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 0
        assert len(w.dms(alex)) == 1
        # No fallback anywhere: no guild channel but staff-alerts holds a message.
        for channel in (w.cohort, w.mod_log):
            assert w.messages(channel) == []


async def test_reminders_keep_wall_clock_time_across_dst(tmp_path):
    """New York springs forward on Sunday 2026-03-08. A session on Monday 03-09 at 18:00
    is 22:00 UTC (EDT), not 23:00 (the EST offset of the day it was scheduled). Reminders
    are start - 24 h / 1 h in absolute time: Sunday 18:00 EDT and Monday 17:00 EDT."""
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        session_id = await schedule(w, alex, start="2026-03-09 18:00")
        starts = await w.db.fetchval(
            "SELECT starts_at FROM family_sessions WHERE id = ?", (session_id,)
        )
        start = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
        assert starts == start.isoformat(timespec="microseconds")
        assert start.astimezone(NEW_YORK).hour == 18
        await w.run_due_work()
        await move_to(w, start - timedelta(hours=24, minutes=1))
        assert len(w.dms(w.family)) == 1
        await move_to(w, start - timedelta(hours=24))
        assert len(w.dms(w.family)) == 2
        await move_to(w, start - timedelta(hours=1, minutes=1))
        assert len(w.dms(w.family)) == 2
        await move_to(w, start - timedelta(hours=1))
        assert len(w.dms(w.family)) == 3
        sent = {
            re.sub(r"-c\d+$", "", r["dedupe_key"].split(":")[-1]): datetime.fromisoformat(
                r["sent_at"]
            )
            for r in await outbox_rows(w)
            if r["target_id"] == w.family.id
        }
        assert sent["remind24h-v1"].astimezone(NEW_YORK).strftime("%a %H:%M %Z") == (
            "Sun 18:00 EDT"
        )
        assert sent["remind1h-v1"].astimezone(NEW_YORK).strftime("%a %H:%M %Z") == ("Mon 17:00 EDT")
        for dm in w.dms(w.family):
            assert f"<t:{unix(start)}:F>" in dm.content


async def test_a_session_on_the_dst_day_is_reminded_24_absolute_hours_before(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await schedule(w, alex, start="2026-03-08 18:00")
        start = datetime(2026, 3, 8, 22, 0, tzinfo=UTC)
        rows = {r["dedupe_key"].split(":")[-1]: r for r in await outbox_rows(w)}
        due = datetime.fromisoformat(str(rows["remind24h-v1"]["due_at"]))
        assert due == start - timedelta(hours=24)
        # Saturday was still EST, so "24 hours before" is 17:00 on the wall clock.
        assert due.astimezone(NEW_YORK).strftime("%a %H:%M %Z") == "Sat 17:00 EST"


async def test_facilitators_export_the_accounting_as_csv_and_it_is_audited(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        await schedule(w, alex)
        await w.run_due_work()
        refused = await alex.slash(w.cohort, "family disclosures-export", client=alex)
        assert "only for facilitators" in refused.response.content
        result = await w.facilitator.slash(w.staff, "family disclosures-export", client=alex)
        assert result.ephemeral and "1 row(s)" in result.response.content
        attachment = result.response.attachments[0]
        data = (await attachment.read()).decode()
        lines = data.strip().splitlines()
        assert lines[0].startswith("disclosure_id,disclosed_at_utc,client_id,recipient_name")
        assert "Jordan (parent)" in lines[1] and "coordinating family therapy" in lines[1]
        assert (
            await w.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'family.disclosures_export'"
            )
            == 1
        )
