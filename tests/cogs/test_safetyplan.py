"""The personal safety plan: the two-step form, the private plan, the "My safety plan"
button in DMs (also after a restart), facilitators' audited reads, export/delete, retention
and over-long text."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from bot.domain.safetyplan import PART_MAX
from bot.services.notices import Button, Notice
from bot.services.outbox import DM
from tests.harness import program_world

COGS = ("clients", "safetyplan", "data")
SHOW_ID = "iop:safetyplan:show"
STEP1 = {
    "warning_signs": "Staying in bed past noon; skipping meals; zebra-lantern-4471",
    "coping": "Cold shower, walk the dog, the breathing app",
    "distraction": "Coffee with Mo; the library on 5th",
}
STEP2 = {
    "support": "My sister Jen 555-0101",
    "professionals": "Counselor Pat 555-0199\n988 call or text",
    "environment": "Jen holds my pill bottles",
}


async def enroll(w, member) -> None:
    w.bot.services.outbox.on_due_now(None)  # dispatch only from run_due_work (see checkins)
    result = await w.facilitator.slash(w.cohort, "client enroll", member=member)
    assert result.ephemeral, result


def reply_text(result) -> str:
    parts = []
    for message in ([result.response] if result.response else []) + list(result.followups):
        parts.append(message.content or "")
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or ""]
            parts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(parts)


def custom_ids(message) -> list[str]:
    return [c["custom_id"] for row in message.components for c in row["components"]]


async def write_plan(w, member, step1=STEP1, step2=STEP2):
    """/safetyplan edit, step 1, Continue, step 2; returns the two submissions' results."""
    shown = await member.slash(w.cohort, "safetyplan edit")
    assert shown.modal is not None, reply_text(shown)
    first = await member.submit_modal(shown, step1)
    assert CONTINUE_ID in custom_ids(first.response), reply_text(first)
    second_form = await member.click(first.response, custom_id=CONTINUE_ID)
    assert second_form.modal is not None, reply_text(second_form)
    second = await member.submit_modal(second_form, step2)
    return first, second


CONTINUE_ID = "iop:safetyplan:continue"


async def stored(w, member):
    return await w.db.fetchone("SELECT * FROM safety_plans WHERE user_id = ?", (member.id,))


async def test_edit_in_two_steps_saves_each_step_and_show_is_private(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="iopbot")
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        shown = await alex.slash(w.cohort, "safetyplan edit")
        labels = [c["components"][0]["label"] for c in shown.modal["components"]]
        assert len(labels) == 3
        first = await alex.submit_modal(shown, STEP1)
        assert first.ephemeral
        assert "Step 1 of 2 is saved" in first.response.content
        # Step 1 is stored before step 2 is even opened: stopping here loses nothing.
        row = await stored(w, alex)
        assert row["warning_signs"] == STEP1["warning_signs"]
        assert row["support"] is None
        second_form = await alex.click(first.response, custom_id=CONTINUE_ID)
        # The second step offers the program's crisis resources for a new plan.
        inputs = {
            c["components"][0]["custom_id"]: c["components"][0]
            for c in second_form.modal["components"]
        }
        assert set(inputs) == {"support", "professionals", "environment"}
        assert "988" in inputs["professionals"]["value"]
        done = await alex.submit_modal(second_form, STEP2)
        assert done.ephemeral and "Your safety plan is saved" in done.response.content
        row = await stored(w, alex)
        assert [row[k] for k in STEP1] == list(STEP1.values())
        assert [row[k] for k in STEP2] == list(STEP2.values())

        show = await alex.slash(w.cohort, "safetyplan show")
        assert show.ephemeral
        text = reply_text(show)
        for value in (*STEP1.values(), *STEP2.values()):
            assert value in text
        assert "Signs a hard time is starting" in text
        # Nothing public, no DMs, and the plan's words never reach the logs.
        assert not [m for m in w.messages(w.cohort) if "zebra" in (m.content or "")]
        assert "zebra-lantern" not in caplog.text

        # Editing again starts from the current plan, and keeps untouched parts.
        again = await alex.slash(w.cohort, "safetyplan edit")
        prefilled = {
            c["components"][0]["custom_id"]: c["components"][0].get("value")
            for c in again.modal["components"]
        }
        assert prefilled == STEP1
        await alex.submit_modal(again, {**STEP1, "coping": "Call Jen first"})
        row = await stored(w, alex)
        assert row["coping"] == "Call Jen first"
        assert row["environment"] == STEP2["environment"]


async def test_show_without_a_plan_and_non_clients(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        empty = await alex.slash(w.cohort, "safetyplan show")
        assert "don't have a safety plan yet" in empty.response.content
        assert custom_ids(empty.response) == ["iop:safetyplan:edit"]
        form = await alex.click(empty.response, custom_id="iop:safetyplan:edit")
        assert form.modal is not None
        lobby = w.guild.create_text_channel("lobby")
        for who in (w.stranger, w.family, w.facilitator):
            for command in ("safetyplan show", "safetyplan edit"):
                refused = await who.slash(lobby, command)
                assert refused.ephemeral and refused.modal is None
                assert "Safety plans are for clients enrolled" in refused.response.content
        assert await w.count("SELECT COUNT(*) FROM safety_plans") == 0


async def send_dm_with_button(w, member, key):
    async with w.db.transaction() as tx:
        await w.bot.services.outbox.enqueue(
            tx,
            dedupe_key=key,
            kind="test_notice",
            target=DM(member.id),
            notice=Notice(content="Thinking of you.", buttons=(Button("My safety plan", SHOW_ID),)),
            subject_user_id=member.id,
        )
    await w.run_due_work()
    return w.dms(member)[-1]


async def test_the_button_works_in_a_dm_with_and_without_a_plan_and_after_a_restart(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await write_plan(w, alex)
        await w.restart()
        dm = await send_dm_with_button(w, alex, "t:alex")
        assert dm.guild is None
        pressed = await alex.user.click(dm, custom_id=SHOW_ID)
        assert pressed.ephemeral
        assert STEP2["environment"] in reply_text(pressed)

        # Sam has no plan: a short kind text and a button to make one, which opens the form.
        dm = await send_dm_with_button(w, sam, "t:sam")
        pressed = await sam.user.click(dm, custom_id=SHOW_ID)
        assert pressed.ephemeral
        assert "don't have a safety plan yet" in pressed.response.content
        assert STEP2["environment"] not in reply_text(pressed)  # never someone else's plan
        form = await sam.user.click(pressed.response, custom_id="iop:safetyplan:edit")
        assert form.modal is not None
        saved = await sam.user.submit_modal(form, {"coping": "Call my sponsor"})
        assert "Step 1 of 2 is saved" in saved.response.content
        assert (await stored(w, sam))["coping"] == "Call my sponsor"

        # Someone who isn't a client is not refused: they get the crisis resources.
        dm = await send_dm_with_button(w, w.stranger, "t:stranger")
        pressed = await w.stranger.user.click(dm, custom_id=SHOW_ID)
        assert "Something went wrong" not in reply_text(pressed)
        assert "988" in pressed.response.content


async def test_facilitator_reads_a_plan_with_an_audit_row_and_others_are_refused(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await write_plan(w, alex)
        seen = await w.facilitator.slash(w.cohort, "safetyplan view", member=alex)
        assert seen.ephemeral
        assert STEP1["coping"] in reply_text(seen)
        audit = await w.db.fetchall(
            "SELECT actor_id, subject_user_id FROM audit_log WHERE action = 'safetyplan.view'"
        )
        assert [tuple(r) for r in audit] == [(w.facilitator.id, alex.id)]

        none_yet = await w.facilitator.slash(w.cohort, "safetyplan view", member=sam)
        assert "hasn't written a safety plan yet" in none_yet.response.content
        stranger = await w.facilitator.slash(w.cohort, "safetyplan view", member=w.stranger)
        assert "is not an enrolled client" in stranger.response.content

        before = await w.count("SELECT COUNT(*) FROM audit_log")
        lobby = w.guild.create_text_channel("lobby")
        for who in (sam, w.family, w.stranger):
            refused = await who.slash(lobby, "safetyplan view", member=alex)
            assert refused.ephemeral
            assert "only for facilitators" in refused.response.content
            assert STEP1["coping"] not in reply_text(refused)
        assert await w.count("SELECT COUNT(*) FROM audit_log") == before


async def test_export_delete_and_retention(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await write_plan(w, alex)
        await write_plan(w, sam, step2={**STEP2, "support": "Sam's own people"})
        cog = w.bot.get_cog("SafetyPlanCog")
        exported = await cog.export_user_data(alex.id)
        texts = {p["part"]: p["text"] for p in exported["safety_plan"]["parts"]}
        assert texts == {**STEP1, **STEP2}
        assert "Sam's own people" not in json.dumps(exported)
        assert await cog.export_user_data(w.stranger.id) == {}

        result = await alex.slash(w.cohort, "mydata export")
        await w.env.settle()
        document = json.loads(await w.dms(alex)[-1].attachments[0].read())
        assert (
            document["sections"]["safetyplan"]["safety_plan"]["parts"][0]["text"]
            == (STEP1["warning_signs"])
        ), result

        report = await cog.delete_user_data(alex.id)
        assert report.removed == {"safety_plans": 1}
        assert await stored(w, alex) is None
        assert await stored(w, sam) is not None
        assert (await cog.delete_user_data(alex.id)).removed == {"safety_plans": 0}

        # Retention: a plan unchanged for retention.safety_plan_days is purged, once.
        days = w.settings.retention.safety_plan_days
        w.clock.set(w.clock.now() + timedelta(days=days - 1))
        assert await cog.purge_expired() == {"safety_plans": 0}
        w.clock.set(w.clock.now() + timedelta(days=2))
        assert await cog.purge_expired() == {"safety_plans": 1}
        assert await cog.purge_expired() == {"safety_plans": 0}


async def test_over_long_text_gets_a_clear_error_and_changes_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await write_plan(w, alex)
        before = await w.table_snapshot()
        shown = await alex.slash(w.cohort, "safetyplan edit")
        # Discord's app enforces max_length; a modified client may not: lift it here.
        for row in shown._interaction.modal["components"]:
            row["components"][0].pop("max_length", None)
        result = await alex.submit_modal(shown, {**STEP1, "coping": "y" * (PART_MAX + 1)})
        assert result.ephemeral
        text = result.response.content
        assert "up to 800 characters" in text and "What I can do on my own: 801" in text
        assert "Nothing was changed" in text
        assert "Something went wrong" not in text
        assert await w.table_snapshot() == before


async def test_a_program_can_reword_the_parts(tmp_path):
    wording = {"warning_signs": {"title": "My red flags", "prompt": "What I notice first"}}
    async with program_world(tmp_path, cogs=COGS, safetyplan=wording) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        shown = await alex.slash(w.cohort, "safetyplan edit")
        first = shown.modal["components"][0]["components"][0]
        assert (first["label"], first["placeholder"]) == ("My red flags", "What I notice first")
        second = shown.modal["components"][1]["components"][0]
        assert second["label"] == "What I can do on my own"
