"""The safety net (issue #12): DMs to the bot are screened, urgent alerts page on-call at
once and again until acknowledged, a refused alert post still reaches a person, staff open
the message in one click, and acknowledging records an outcome."""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from bot.domain.language import find_stigma
from bot.services.alert_render import ack_custom_id, outcome_custom_id
from bot.services.crisis import SAFETY_PLAN_CUSTOM_ID, handle_crisis_text
from tests.harness import program_world

COGS = ("clients", "safety")
CRISIS = "im going to kill myself tonight"


def button_ids(message: discord.Message) -> list[str]:
    return [
        c["custom_id"]
        for row in message.components
        for c in row.to_dict()["components"]
        if c.get("custom_id")
    ]


def bot_dms(w, member) -> list[discord.Message]:
    return [m for m in w.dms(member) if m.author.id == w.bot.user.id]


def crisis_dms(w, member) -> list[discord.Message]:
    return [m for m in bot_dms(w, member) if "988" in m.content]


def alert_posts(w) -> list[discord.Message]:
    return [m for m in w.messages(w.staff) if m.embeds and "Crisis" in (m.embeds[0].title or "")]


def pages(w) -> list[discord.Message]:
    return [m for m in w.messages(w.staff) if "still not acknowledged" in m.content]


async def enroll(w, member) -> None:
    await w.facilitator.slash(w.staff, "client enroll", member=member)
    await w.run_due_work()


def reply_text(result) -> str:
    parts = [result.response.content] if result.response is not None else []
    parts += [f.content for f in result.followups]
    return "\n".join(p for p in parts if p)


# ----- every place a client writes: DMs to the bot ------------------------------------


async def test_a_dm_to_the_bot_pages_on_call_at_once_and_stores_no_words(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        sent = await alex.send_dm(CRISIS)
        await w.run_due_work()

        post = alert_posts(w)[0]
        on_call = w.roles["On-call"].id
        assert [r.id for r in post.role_mentions] == [on_call]
        assert f"<@&{on_call}>" in post.content
        assert CRISIS not in str(post.embeds[0].to_dict()) and CRISIS not in post.content
        alert = await w.db.fetchone("SELECT * FROM alerts")
        assert (alert["severity"], alert["page_count"]) == ("urgent", 1)
        event = await w.db.fetchone("SELECT * FROM crisis_events")
        assert (event["source"], event["source_ref"], event["channel_id"]) == (
            "dm",
            sent.id,
            sent.channel.id,
        )
        assert (event["severity"], event["alert_id"]) == ("urgent", alert["id"])
        assert f"iop:crisis:view:{event['id']}" in button_ids(post)

        reply = crisis_dms(w, alex)[0]
        assert reply.content.splitlines()[0] == w.settings.program.dm_preview
        assert SAFETY_PLAN_CUSTOM_ID in button_ids(reply)
        assert find_stigma(reply.content) == []
        # The words live only in Discord: no table holds them.
        snapshot = await w.table_snapshot()
        assert CRISIS not in str(snapshot)


async def test_dms_from_staff_outsiders_and_safe_words_are_not_alerts(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await w.facilitator.send_dm(CRISIS)
        await w.clients[1].send_dm("this week is killing me but I'm ok")
        outsider = w.env.create_user("outsider")
        await outsider.send_dm(CRISIS)
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0
        assert await w.count("SELECT COUNT(*) FROM crisis_events") == 0


async def test_a_dm_is_screened_even_without_the_message_content_intent(tmp_path):
    async with program_world(tmp_path, cogs=COGS, discord={"message_content": False}) as w:
        await w.clients[0].send_dm(CRISIS)
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts WHERE severity = 'urgent'") == 1


async def test_group_message_alert_has_a_jump_link(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        posted = await w.clients[0].send(w.cohort, CRISIS)
        await w.run_due_work()
        post = alert_posts(w)[0]
        link = f"https://discord.com/channels/{w.guild.id}/{w.cohort.id}/{posted.id}"
        assert link in str(post.embeds[0].to_dict())
        assert not [b for b in button_ids(post) if b.startswith("iop:crisis:view:")]


# ----- View message ---------------------------------------------------------------------


async def alerts_in_the_cohort(w) -> None:
    """Post alerts where clients can see them (only to prove the checks are in code)."""
    channels = w.settings.channels.model_copy(update={"staff_alerts": w.cohort.id})
    w.settings = w.settings.model_copy(update={"channels": channels})
    await w.restart()
    w.staff = w.cohort


async def test_view_message_is_for_facilitators_and_audited(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await alerts_in_the_cohort(w)
        alex, sam = w.clients[0], w.clients[1]
        await alex.send_dm(CRISIS)
        await w.run_due_work()
        post = alert_posts(w)[0]
        view_id = next(b for b in button_ids(post) if b.startswith("iop:crisis:view:"))

        refused = await sam.click(post, custom_id=view_id)
        assert CRISIS not in reply_text(refused)
        assert "only for facilitators" in reply_text(refused)
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'crisis.%'") == 0

        shown = await w.facilitator.click(post, custom_id=view_id)
        assert shown.ephemeral
        assert CRISIS in reply_text(shown)
        audit = await w.db.fetchone("SELECT * FROM audit_log WHERE action = 'crisis.view_message'")
        assert (audit["actor_id"], audit["subject_user_id"]) == (w.facilitator.id, alex.id)
        assert CRISIS not in str(tuple(audit))


def quiet_kicks(w) -> None:
    """Dispatch only from run_due_work (see tests/cogs/checkins_helpers.py)."""
    w.bot.services.outbox.on_due_now(None)


async def test_view_message_reads_a_check_in_note(tmp_path):
    from bot.db.repositories.checkins import CheckinRepository
    from bot.domain.checkins import CheckinAnswers

    async with program_world(tmp_path, cogs=("clients", "safety", "checkins")) as w:
        quiet_kicks(w)
        services = w.bot.services
        alex = w.clients[0]
        note = "saving up my pills so i can take them all"
        async with services.db.transaction() as tx:
            saved = await CheckinRepository(services.db).save(
                tx,
                user_id=alex.id,
                local_date=w.clock.now().date(),
                answers=CheckinAnswers(5, 5, "no", 7.0, note),
                now=w.clock.now(),
            )
            await handle_crisis_text(
                services,
                tx,
                user_id=alex.id,
                display_name="Alex",
                source="checkin_note",
                source_ref=saved.checkin_id,
                category="overdose_intent",
            )
        await w.run_due_work()
        post = alert_posts(w)[0]
        view_id = next(b for b in button_ids(post) if b.startswith("iop:crisis:view:"))
        shown = await w.facilitator.click(post, custom_id=view_id)
        assert note in reply_text(shown) and "check-in note" in reply_text(shown)
        assert (
            await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'crisis.view_message'")
            == 1
        )


# ----- paging ---------------------------------------------------------------------------


async def test_urgent_alert_repages_every_15_minutes_until_acknowledged(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await w.clients[0].send(w.cohort, CRISIS)
        await w.run_due_work()
        await w.advance(timedelta(minutes=14))
        assert pages(w) == []
        await w.advance(timedelta(minutes=2))
        assert len(pages(w)) == 1
        on_call = w.roles["On-call"].id
        assert [r.id for r in pages(w)[0].role_mentions] == [on_call]
        await w.advance(timedelta(minutes=15))
        assert len(pages(w)) == 2
        alert_id = await w.count("SELECT id FROM alerts")
        await w.facilitator.click(alert_posts(w)[0], custom_id=ack_custom_id(alert_id))
        await w.advance(timedelta(hours=2), step=timedelta(minutes=5))
        assert len(pages(w)) == 2
        # An urgent alert is re-paged, not also re-escalated after 4 hours.
        assert not [m for m in w.messages(w.staff) if "has not been acknowledged" in m.content]


async def test_repage_interval_is_configurable(tmp_path):
    async with program_world(tmp_path, cogs=COGS, safety={"urgent_repage_minutes": 5}) as w:
        await w.clients[0].send(w.cohort, CRISIS)
        await w.run_due_work()
        await w.advance(timedelta(minutes=11), step=timedelta(minutes=1))
        assert len(pages(w)) == 2


async def test_concern_alert_keeps_the_four_hour_escalation_and_never_hides_urgent(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        quiet_kicks(w)
        services = w.bot.services
        alex = w.clients[0]
        await handle_crisis_text(
            services,
            None,
            user_id=alex.id,
            display_name="Alex",
            source="group_message",
            severity="concern",
            category="passive_ideation",
        )
        await w.run_due_work()
        post = alert_posts(w)[0]
        assert post.role_mentions == [] and post.content == ""
        row = await w.db.fetchone("SELECT * FROM alerts")
        assert (row["severity"], row["rule"]) == ("high", "crisis_concern")
        assert len(crisis_dms(w, alex)) == 1
        # An urgent match minutes later is its own alert, paged at once.
        await w.advance(timedelta(minutes=5))
        await alex.send(w.cohort, CRISIS)
        await w.run_due_work()
        urgent = await w.db.fetchall("SELECT * FROM alerts WHERE severity = 'urgent'")
        assert len(urgent) == 1
        assert len(alert_posts(w)) == 2 and alert_posts(w)[1].role_mentions
        # A concern after an urgent alert within the window adds no alert.
        await handle_crisis_text(
            services, None, user_id=alex.id, display_name="Alex", source="dm", severity="concern"
        )
        assert await w.count("SELECT COUNT(*) FROM alerts") == 2
        await w.advance(timedelta(hours=4, minutes=1), step=timedelta(hours=1))
        escalations = [m for m in w.messages(w.staff) if "has not been acknowledged" in m.content]
        assert len(escalations) == 1 and "#1 " in escalations[0].content


# ----- an alert is never lost -------------------------------------------------------------


async def test_refused_alert_post_falls_back_to_dms_and_is_recorded(tmp_path, caplog):
    async with program_world(tmp_path, cogs=COGS) as w:
        on_call_person = w.guild.add_member(
            w.env.create_user("casey"), roles=[w.roles["On-call"]], nick="Casey"
        )
        await w.env.settle()
        w.env.inject_error("POST", f"/channels/{w.staff.id}/messages", status=403, code=50013)
        caplog.set_level(logging.ERROR, logger="iopbot.alerts")
        await w.clients[0].send(w.cohort, CRISIS)
        await w.run_due_work()

        row = await w.db.fetchone("SELECT * FROM outbox WHERE kind = 'alert'")
        assert (row["status"], row["error_code"]) == ("failed", 50013)
        failure = await w.db.fetchone("SELECT * FROM alert_failures")
        assert (failure["error_code"], failure["fallback_dms"]) == (50013, 2)
        assert any(r.msg == "alert.post_failed" for r in caplog.records)
        for person in (on_call_person, w.facilitator):
            dms = bot_dms(w, person)
            assert len(dms) == 1
            assert dms[0].content.splitlines()[0] == w.settings.program.dm_preview
            assert "50013" in dms[0].content and CRISIS not in dms[0].content
        order = await w.db.fetchall(
            "SELECT target_id FROM outbox WHERE kind = 'alert_fallback_dm' ORDER BY id"
        )
        assert [r["target_id"] for r in order] == [on_call_person.id, w.facilitator.id]

        # The status command shows it; acknowledging from the DM stops the re-paging.
        status = await w.facilitator.slash(w.staff, "alerts status")
        text = reply_text(status)
        assert "not delivered in the last 24 hours: 1" in text and "code 50013" in text
        alert_id = await w.count("SELECT id FROM alerts")
        not_staff = await on_call_person.user.click(
            bot_dms(w, on_call_person)[0], custom_id=ack_custom_id(alert_id)
        )
        assert "only for facilitators" in reply_text(not_staff)
        fallback = bot_dms(w, w.facilitator)[0]
        ack = await w.facilitator.user.click(fallback, custom_id=ack_custom_id(alert_id))
        assert "What happened?" in reply_text(ack)
        assert (await w.bot.services.alert_repo.get(alert_id)).acknowledged_by == w.facilitator.id


async def test_status_is_for_facilitators(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        result = await w.clients[0].slash(w.cohort, "alerts status")
        assert "only for facilitators" in reply_text(result)
        ok = await w.facilitator.slash(w.staff, "alerts status")
        assert "not delivered in the last 24 hours: none" in reply_text(ok)


# ----- acknowledging records an outcome ---------------------------------------------------


async def test_acknowledge_then_outcome_is_audited_and_shown_on_the_alert(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await alerts_in_the_cohort(w)
        alex, sam = w.clients[0], w.clients[1]
        await alex.send(w.cohort, CRISIS)
        await w.run_due_work()
        alert_id = await w.count("SELECT id FROM alerts")
        refused = await sam.click(alert_posts(w)[0], custom_id=ack_custom_id(alert_id))
        assert "only for facilitators" in reply_text(refused)
        assert (await w.bot.services.alert_repo.get(alert_id)).acknowledged_at is None
        await w.facilitator.click(alert_posts(w)[0], custom_id=ack_custom_id(alert_id))
        post = alert_posts(w)[0]
        ids = button_ids(post)
        assert ack_custom_id(alert_id) not in ids
        assert outcome_custom_id(alert_id, "reached") in ids
        fields = {f.name: f.value for f in post.embeds[0].fields}
        assert "Acknowledged" in fields and "not recorded yet" in fields["Outcome"]

        refused = await sam.click(post, custom_id=outcome_custom_id(alert_id, "safe"))
        assert "only for facilitators" in reply_text(refused)
        await w.facilitator.click(post, custom_id=outcome_custom_id(alert_id, "referred"))
        post = alert_posts(w)[0]
        fields = {f.name: f.value for f in post.embeds[0].fields}
        assert fields["Outcome"].startswith("Referred")
        assert not [b for b in button_ids(post) if b.startswith("iop:alert:outcome:")]
        row = await w.db.fetchone("SELECT * FROM alerts")
        assert (row["outcome"], row["outcome_by"]) == ("referred", w.facilitator.id)
        actions = [
            r["action"]
            for r in await w.db.fetchall("SELECT action FROM audit_log WHERE action LIKE 'alert.%'")
        ]
        assert actions == ["alert.acknowledge", "alert.outcome"]


# ----- replies that fit -------------------------------------------------------------------


async def test_overdose_intent_adds_poison_control_and_never_use_alone(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        quiet_kicks(w)
        alex = w.clients[0]
        await handle_crisis_text(
            w.bot.services,
            None,
            user_id=alex.id,
            display_name="Alex",
            source="dm",
            category="overdose_intent",
        )
        await w.run_due_work()
        text = crisis_dms(w, alex)[0].content
        assert "1-800-222-1222" in text and "1-800-484-3731" in text
        assert "overdose" in (await w.db.fetchone("SELECT label FROM alerts"))["label"]


async def test_outside_staffed_hours_the_reply_says_so_honestly(tmp_path):
    # The harness starts Monday 12:00 UTC = 07:00 in New York: before staffed hours.
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await alex.send_dm(CRISIS)
        await w.run_due_work()
        assert "until later" in crisis_dms(w, alex)[0].content
        w.clock.set(w.clock.now() + timedelta(hours=4))  # 11:00 in New York
        await sam.send_dm(CRISIS)
        await w.run_due_work()
        text = crisis_dms(w, sam)[0].content
        assert "until later" not in text and "check in with you" in text


async def test_help_now_has_the_safety_plan_button(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        result = await w.clients[0].slash(w.cohort, "help-now")
        ids = [c["custom_id"] for row in result.response.components for c in row["components"]]
        assert ids == [SAFETY_PLAN_CUSTOM_ID]
