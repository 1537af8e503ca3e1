"""The check-in's safety item, the "used" choice, the form's items, and replies that fit."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pydantic import ValidationError

from bot.config import CheckinSettings
from tests.cogs.checkins_helpers import enroll, form_ids, reply_text, submit
from tests.harness import program_world

COGS = ("clients", "checkins")
LABEL, TEXT_INPUT, RADIO = 18, 4, 21


def _buttons(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [c["custom_id"] for row in result.response.components for c in row["components"]]


async def test_default_form_asks_five_questions_with_the_safety_item_as_a_choice(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        shown = await alex.slash(w.cohort, "checkin today")
        modal = shown.modal
        assert form_ids(modal) == ["mood", "craving", "used", "safety", "note"]
        rows = modal["components"]
        assert len(rows) == 5 and all(r["type"] == LABEL for r in rows)
        kinds = {r["component"]["custom_id"]: r["component"] for r in rows}
        assert kinds["mood"]["type"] == TEXT_INPUT
        assert kinds["used"]["type"] == RADIO
        assert [o["value"] for o in kinds["used"]["options"]] == ["no", "yes", "prefer_not"]
        assert kinds["safety"]["type"] == RADIO and kinds["safety"]["required"] is True
        assert [o["value"] for o in kinds["safety"]["options"]] == ["no", "yes"]
        safety_label = next(r for r in rows if r["component"]["custom_id"] == "safety")
        assert safety_label["label"] == CheckinSettings().safety_question
        assert len(safety_label["label"]) <= 45


async def test_safety_yes_gives_resources_and_plan_at_once_and_pages_staff(tmp_path):
    async with program_world(tmp_path, cogs=(*COGS, "safetyplan")) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex, mood="5", craving="4", safety="yes", note="long day")
        assert result.ephemeral
        text = reply_text(result)
        assert text.startswith("Thank you for telling me.")
        assert "988" in text  # the configured crisis resources, in the reply itself
        assert "A facilitator has been told privately" in text
        assert "This space is staffed" in text  # honest about when someone will see it
        assert text.count("Thank you") == 1
        assert "saved" in text
        assert _buttons(result) == ["iop:safetyplan:show", "iop:checkin:talk"]
        plan = await alex.click(result.response.message, custom_id="iop:safetyplan:show")
        assert plan.ephemeral and reply_text(plan)  # the safety-plan cog answers privately
        checkin = await w.db.fetchone("SELECT id, safety FROM checkins")
        assert checkin["safety"] == "yes"
        event = await w.db.fetchone("SELECT source, source_ref, alert_id FROM crisis_events")
        assert (event["source"], event["source_ref"]) == ("checkin_safety_item", checkin["id"])
        alert = await w.db.fetchone("SELECT rule, severity FROM alerts WHERE id = ?", (event[2],))
        assert (alert["rule"], alert["severity"]) == ("crisis_language", "urgent")
        await w.run_due_work()
        staff = [m for m in w.messages(w.staff) if m.embeds]
        assert staff
        for message in staff:  # the alert names the person, never the answers
            blob = message.content + json.dumps([e.to_dict() for e in message.embeds])
            assert "long day" not in blob and "Mood" not in blob and "ending" not in blob
        # The crisis resources also went by DM (the crisis path).
        kinds = [r["kind"] for r in await w.db.fetchall("SELECT kind FROM outbox")]
        assert "crisis_resources" in kinds


async def test_safety_no_is_stored_and_raises_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex, safety="no")
        assert "safety plan" not in reply_text(result).lower()
        assert result.response.components == []
        assert await w.db.fetchval("SELECT safety FROM checkins") == "no"
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0
        assert await w.count("SELECT COUNT(*) FROM crisis_events") == 0


async def test_facilitator_view_export_and_report_show_the_safety_answer(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await submit(w, alex, safety="yes")
        # A craving alert from the same check-in carries "View check-in": it shows the item.
        await submit(w, alex, safety="yes", craving="9")
        await w.run_due_work()
        checkin_id = await w.db.fetchval("SELECT id FROM checkins")
        alert = next(
            m
            for m in w.messages(w.staff)
            for row in m.components
            for c in row.children
            if getattr(c, "custom_id", None) == f"iop:checkin:view:{checkin_id}"
        )
        seen = await w.facilitator.click(alert, custom_id=f"iop:checkin:view:{checkin_id}")
        assert "Thoughts of ending their life since the last check-in: yes" in reply_text(seen)
        view = await w.facilitator.slash(w.staff, "checkin view", member=alex)
        assert "answered **yes**" in reply_text(view)
        exported = await w.facilitator.slash(w.staff, "checkin export", member=alex)
        (attachment,) = exported.response.attachments
        rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode())))
        assert rows[0]["safety_thoughts"] == "yes"
        report = await w.facilitator.slash(w.staff, "checkin report")
        assert "Safety" in reply_text(report)
        data = await w.bot.get_cog("CheckinsCog").export_user_data(alex.id)
        assert data["checkins"][0]["safety_thoughts"] == "yes"


@pytest.mark.parametrize(
    ("answers", "expect"),
    [
        ({"craving": "9"}, "urge surfing"),
        ({"mood": "2"}, "urge surfing"),
    ],
)
async def test_high_craving_or_low_mood_gets_coping_options_and_the_talk_button(
    tmp_path, answers, expect
):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex, **answers)
        text = reply_text(result)
        assert expect in text and "press the button below" in text
        assert _buttons(result) == ["iop:checkin:talk"]
        assert text.count("Thank you") <= 1


async def test_a_calm_checkin_gets_one_confirmation_and_no_buttons(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex)
        text = reply_text(result)
        assert text.startswith("Your check-in for today is saved.")
        assert text.count("Thank you") == 1
        assert "urge surfing" not in text
        assert result.response.components == []


async def test_harm_reduction_names_fentanyl_in_stimulants_pills_and_lost_tolerance(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await submit(w, alex, used="yes", craving="9")
        text = reply_text(result)
        for words in ("Fentanyl", "stimulants", "pills", "without using", "overdose"):
            assert words in text
        assert "urge surfing" not in text  # one kind of care text, not two
        assert text.count("Thank you") == 1
        assert _buttons(result) == ["iop:checkin:talk"]


async def test_a_program_chooses_the_items_and_an_unasked_one_is_stored_empty(tmp_path):
    items = {"items": ["mood", "craving", "used", "sleep"]}
    async with program_world(tmp_path, cogs=COGS, checkins=items) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        shown = await alex.slash(w.cohort, "checkin today")
        assert form_ids(shown.modal) == ["mood", "craving", "used", "sleep"]
        await submit(w, alex, sleep="6")
        row = await w.db.fetchone("SELECT safety, sleep_hours, note FROM checkins")
        assert (row["safety"], row["sleep_hours"], row["note"]) == (None, 6.0, None)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["mood", "craving", "used", "safety", "sleep", "note"], "at most 5 questions"),
        (["mood", "craving", "used", "weather"], "unknown check-in item 'weather'"),
        (["craving", "used", "safety"], "always asks mood, craving, used"),
        (["mood", "craving", "used", "note", "note"], "only once"),
    ],
)
def test_items_config_is_checked(items, message):
    with pytest.raises(ValidationError) as caught:
        CheckinSettings(items=items)
    assert message in str(caught.value)


def test_safety_wording_is_replaceable_within_discord_limits():
    ours = CheckinSettings(safety_question="Thoughts of suicide (past day)?")
    assert ours.safety_question == "Thoughts of suicide (past day)?"
    with pytest.raises(ValidationError):
        CheckinSettings(safety_question="x" * 46)
