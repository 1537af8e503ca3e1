"""The check-in modal: validation, one per local day, the private confirmation, risk rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.cogs.checkins_helpers import GOOD as GOOD_ANSWERS
from tests.cogs.checkins_helpers import (
    WITH_SLEEP,
    advance,
    enroll,
    jump_to,
    prompts,
    reply_text,
    submit,
)
from tests.harness import program_world

COGS = ("clients", "checkins")


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        ({"mood": "11"}, ["Mood"]),
        ({"mood": "0"}, ["Mood"]),
        ({"mood": "great"}, ["Mood"]),
        ({"craving": "-1"}, ["Craving"]),
        ({"craving": "7.5"}, ["Craving"]),
        ({"sleep": "25"}, ["sleep"]),
        ({"sleep": "lots"}, ["sleep"]),
        (
            {"mood": "ten", "craving": "x", "sleep": "-2"},
            ["Mood", "Craving", "sleep"],
        ),
    ],
)
async def test_modal_rejects_bad_answers_and_stores_nothing(tmp_path, answers, fields):
    async with program_world(tmp_path, cogs=COGS, checkins=WITH_SLEEP) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        before = await w.table_snapshot()
        result = await submit(w, alex, **answers)
        assert result.ephemeral
        text = reply_text(result)
        assert text.startswith("I couldn't save your check-in")
        for field in fields:
            assert field in text
        after = await w.table_snapshot()
        assert after["checkins"] == before["checkins"] == []
        assert after["alerts"] == before["alerts"]
        assert after["outbox"] == before["outbox"]


@pytest.mark.parametrize(
    ("used", "stored"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("prefer_not", "prefer_not"),
    ],
)
async def test_modal_used_is_a_choice_and_every_option_is_stored(tmp_path, used, stored):
    async with program_world(tmp_path, cogs=COGS, checkins=WITH_SLEEP) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await submit(w, alex, used=used, sleep="6,5")
        row = await w.db.fetchone("SELECT used, sleep_hours FROM checkins")
        assert (row["used"], row["sleep_hours"]) == (stored, 6.5)


async def test_the_prompt_button_opens_the_modal(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        (prompt,) = prompts(w, alex)
        shown = await alex.user.click(prompt, custom_id="iop:checkin:open")
        assert shown.modal is not None
        done = await alex.user.submit_modal(
            shown, {"mood": "8", "craving": "1", "used": "no", "safety": "no"}
        )
        assert "saved" in reply_text(done)
        assert await w.count("SELECT COUNT(*) FROM checkins WHERE local_date = '2026-03-03'") == 1


async def test_second_submission_replaces_and_says_so(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        first = await submit(w, alex, mood="7")
        assert "saved" in reply_text(first)
        shown = await alex.slash(w.cohort, "checkin today")
        inputs = str(shown.modal)
        assert "7" in inputs  # prefilled with this morning's answers
        second = await submit(w, alex, mood="4")
        assert "replaces the one you sent earlier today" in reply_text(second)
        assert await w.count("SELECT COUNT(*) FROM checkins") == 1
        assert await w.count("SELECT mood FROM checkins") == 4
        assert await w.count("SELECT replaced FROM checkins") == 1
        # The next local day is a new check-in (New York midnight is 05:00 UTC).
        w.clock.set(datetime(2026, 3, 3, 5, 0, tzinfo=UTC))
        third = await submit(w, alex)
        assert "saved" in reply_text(third)
        assert await w.count("SELECT COUNT(*) FROM checkins") == 2
        assert "2 days" in reply_text(third)


async def test_non_clients_are_refused(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        lobby = w.guild.create_text_channel("lobby")
        await w.env.settle()
        for who in (w.stranger, w.facilitator, w.family, w.clients[1]):
            for command in ("checkin today", "checkin history", "checkin resume"):
                result = await who.slash(lobby, command)
                assert result.modal is None
                assert "for enrolled clients" in reply_text(result), (who.name, command)
            result = await who.slash(lobby, "checkin settings", time="08:00")
            assert "for enrolled clients" in reply_text(result)
        assert await w.count("SELECT COUNT(*) FROM prompt_schedules") == 0


async def test_reported_use_gets_a_warm_private_reply_and_a_talk_button(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex, used="yes")
        assert result.ephemeral
        text = reply_text(result)
        assert "doesn't erase" in text and "naloxone" in text
        ids = [c["custom_id"] for row in result.response.components for c in row["components"]]
        assert ids == ["iop:checkin:talk"]
        talk = await alex.click(result.response.message, custom_id="iop:checkin:talk")
        assert talk.ephemeral and "let the facilitators know" in reply_text(talk)
        again = await alex.click(result.response.message, custom_id="iop:checkin:talk")
        assert "already know" in reply_text(again)
        await w.run_due_work()
        rules = [r["rule"] for r in await w.db.fetchall("SELECT rule FROM alerts ORDER BY id")]
        assert rules == ["use_reported", "asked_to_talk"]
        severity = await w.db.fetchval("SELECT severity FROM alerts WHERE rule = 'use_reported'")
        assert severity == "high"


async def test_harm_reduction_text_is_optional(tmp_path):
    async with program_world(tmp_path, cogs=COGS, checkins={"harm_reduction_info": ""}) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        text = reply_text(await submit(w, alex, used="yes"))
        assert "naloxone" not in text and "doesn't erase" in text


HOUR = timedelta(hours=1)
RULES = [
    # answers, rule, severity, the rule's de-duplication window
    ({"craving": "8"}, "craving_high", "normal", 24 * HOUR),
    ({"mood": "3"}, "mood_low", "normal", 24 * HOUR),
    ({"used": "yes"}, "use_reported", "high", 24 * HOUR),
    # Crisis language goes through the safety service: its own (safety) window.
    ({"note": "some days I want to die"}, "crisis_language", "urgent", HOUR),
]


@pytest.mark.parametrize(("answers", "rule", "severity", "window"), RULES)
async def test_each_answer_rule_fires_once_per_window(tmp_path, answers, rule, severity, window):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        result = await submit(w, alex, **answers)
        await submit(w, alex, **answers)  # the same day again: replaced, no second alert
        await submit(w, sam, **answers)  # another client: their own alert
        await w.run_due_work()
        query = "SELECT COUNT(*) FROM alerts WHERE rule = ? AND subject_user_id = ?"
        assert await w.count(query, (rule, alex.id)) == 1
        assert await w.count(query, (rule, sam.id)) == 1
        assert (
            await w.db.fetchval("SELECT severity FROM alerts WHERE rule = ?", (rule,)) == severity
        )
        if rule == "crisis_language":
            assert "988" in reply_text(result)
        # Inside the window (same day, later) nothing new; after it, a new alert.
        await advance(w, window - timedelta(minutes=5))
        await submit(w, alex, **answers)
        assert await w.count(query, (rule, alex.id)) == 1
        await advance(w, timedelta(minutes=10))
        await submit(w, alex, **answers)
        await w.run_due_work()
        assert await w.count(query, (rule, alex.id)) == 2


async def test_a_calm_checkin_raises_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await submit(w, alex, mood="4", craving="7", used="prefer_not")
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0


async def test_quiet_client_rule_fires_once_per_window(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        query = "SELECT COUNT(*) FROM alerts WHERE rule = 'checkins_missed' AND subject_user_id = ?"
        for day in (3, 4):  # prompted on the 3rd and 4th; sam answers, alex does not
            await jump_to(w, datetime(2026, 3, day, 14, 0, tzinfo=UTC))
            await submit(w, sam)
        assert await w.count(query, (alex.id,)) == 0
        await jump_to(w, datetime(2026, 3, 5, 14, 0, tzinfo=UTC))  # 2 missed days in a row
        assert await w.count(query, (alex.id,)) == 1
        assert await w.count(query, (sam.id,)) == 0
        await advance(w, timedelta(hours=3), step=timedelta(minutes=30))
        assert await w.count(query, (alex.id,)) == 1
        staff = [m for m in w.messages(w.staff) if m.embeds]
        assert any("Missed check-ins" in (m.embeds[0].title or "") for m in staff)
        # Checking in ends the run: no alert the next day.
        await submit(w, alex)
        await jump_to(w, datetime(2026, 3, 6, 14, 0, tzinfo=UTC))
        assert await w.count(query, (alex.id,)) == 1


async def test_two_clients_with_open_forms_each_save_their_own_answers(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        alex_form = await alex.slash(w.cohort, "checkin today")
        sam_form = await sam.slash(w.cohort, "checkin today")
        assert alex_form.modal["custom_id"] != sam_form.modal["custom_id"]
        await alex.submit_modal(alex_form, {**GOOD_ANSWERS, "mood": "9"})
        await sam.submit_modal(sam_form, {**GOOD_ANSWERS, "mood": "2"})
        rows = {
            r["user_id"]: r["mood"]
            for r in await w.db.fetchall("SELECT user_id, mood FROM checkins")
        }
        assert rows == {alex.id: 9, sam.id: 2}
