"""Crisis safety: the group-message crisis path, reports, /help-now, AutoMod presets."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.domain.language import find_stigma
from bot.services.alerts import ack_custom_id
from bot.services.userdata import gather_export
from cogs.safety import _report
from tests.harness import program_world

COGS = ("clients", "moderation", "safety")


def reply_text(result) -> str:
    parts = []
    if result.response is not None:
        parts.append(result.response.content)
    parts += [f.content for f in result.followups]
    return "\n".join(p for p in parts if p)


def bot_messages(w, channel) -> list[discord.Message]:
    return [m for m in w.messages(channel) if m.author.id == w.bot.user.id]


def alert_posts(w) -> list[discord.Message]:
    return [m for m in w.messages(w.staff) if m.embeds and "Crisis" in (m.embeds[0].title or "")]


def timed_out(w, actor) -> bool:
    member = w.bot.get_guild(w.guild.id).get_member(actor.id)
    with w.env.time_context():
        return member.is_timed_out()


async def enroll(w, actor) -> None:
    await w.facilitator.slash(w.staff, "client enroll", member=actor)


# ----- crisis language in a group message ----------------------------------------------


async def test_crisis_message_gets_private_reply_and_one_urgent_alert(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        posted = await alex.send(w.cohort, "honestly I just want to die")
        await alex.send(w.cohort, "like I want to end it all")
        await w.run_due_work()

        # Private reply: a neutral first line, resources and staffed hours, by DM.
        dms = w.dms(alex)
        assert len(dms) == 1
        assert "988" in dms[0].content
        assert dms[0].content.splitlines()[0] == w.settings.program.dm_preview
        assert w.settings.program.staffed_hours in dms[0].content
        assert find_stigma(dms[0].content) == []

        # One urgent alert, de-duplicated within the window; no content in it.
        alerts = await w.bot.services.db.fetchall("SELECT * FROM alerts")
        assert len(alerts) == 1
        assert alerts[0]["rule"] == "crisis_language"
        assert alerts[0]["severity"] == "urgent"
        posts = alert_posts(w)
        assert len(posts) == 1
        assert "want to die" not in str(posts[0].embeds[0].to_dict())
        assert any(
            c.get("custom_id") == ack_custom_id(alerts[0]["id"])
            for row in posts[0].components
            for c in row.to_dict()["components"]
        )

        # Never a deletion, a timeout or a public reply.
        assert w.messages(w.cohort)[0].id == posted.id
        assert len(w.messages(w.cohort)) == 2
        assert bot_messages(w, w.cohort) == []
        assert not timed_out(w, alex)
        assert await w.count("SELECT COUNT(*) FROM mod_cases") == 0
        assert w.dms(w.family) == []
        events = await w.bot.services.db.fetchall("SELECT * FROM crisis_events")
        assert [e["source"] for e in events] == ["group_message", "group_message"]


async def test_after_the_window_a_new_alert_is_raised(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await alex.send(w.cohort, "kms")
        await w.run_due_work()
        w.clock.set(w.clock.now() + timedelta(minutes=61))
        await alex.send(w.cohort, "I want to kill myself")
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts") == 2
        assert len(w.dms(alex)) == 2


async def test_unacknowledged_crisis_alert_pages_on_call_now_and_every_15_minutes(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        # active thoughts with a time are urgent (passive wishes are concern: paged after 4 h)
        await alex.send(w.cohort, "I think I'm going to end my life tonight")
        await w.run_due_work()
        on_call = f"<@&{w.roles['On-call'].id}>"
        assert [m for m in w.messages(w.staff) if on_call in m.content]  # at once
        await w.advance(timedelta(hours=1), step=timedelta(minutes=5))
        pings = [m for m in w.messages(w.staff) if "still not acknowledged" in m.content]
        assert len(pings) == 4 and all(on_call in p.content for p in pings)


async def test_facilitator_acknowledges_the_alert(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await alex.send(w.cohort, "thinking about unaliving myself")
        await w.run_due_work()
        alert_id = await w.count("SELECT id FROM alerts")
        post = alert_posts(w)[0]
        await w.facilitator.click(post, custom_id=ack_custom_id(alert_id))
        row = await w.bot.services.db.fetchone("SELECT * FROM alerts WHERE id = ?", (alert_id,))
        assert row["acknowledged_by"] == w.facilitator.id
        await w.advance(timedelta(hours=5))
        assert not [m for m in w.messages(w.staff) if "not been acknowledged" in m.content]


async def test_idioms_facilitators_and_bots_do_not_trigger(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await alex.send(w.cohort, "this workout is killing me, dead tired")
        await alex.send(w.cohort, "I'm dying to see the new movie")
        await w.facilitator.send(w.cohort, "If anyone has thoughts of suicide, call 988.")
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0
        assert await w.count("SELECT COUNT(*) FROM crisis_events") == 0
        assert w.dms(alex) == []


async def test_without_message_content_the_listener_reads_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS, discord={"message_content": False}) as w:
        alex = w.clients[0]
        await alex.send(w.cohort, "I want to die")
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0


async def test_crisis_dm_closed_tells_staff_to_reach_out(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        dm_channel = alex.user.dm_channel.id
        w.env.inject_error("POST", f"/channels/{dm_channel}/messages", status=403, code=50007)
        await alex.send(w.cohort, "I want to end my life")
        await w.run_due_work()
        row = await w.bot.services.db.fetchone(
            "SELECT status FROM outbox WHERE kind = 'crisis_resources'"
        )
        assert row["status"] == "undeliverable"
        notes = [m.content for m in w.messages(w.staff) if "DMs are closed" in m.content]
        assert len(notes) == 1
        assert "reach out to them directly" in notes[0]
        assert bot_messages(w, w.cohort) == []


async def test_with_the_database_down_the_person_still_gets_resources(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await w.bot.services.db.close()
        await alex.send(w.cohort, "I want to kill myself")
        dms = w.dms(alex)
        assert len(dms) == 1 and "988" in dms[0].content
        assert bot_messages(w, w.cohort) == []


# ----- /help-now ---------------------------------------------------------------------


async def test_help_now_answers_ephemerally_even_with_the_database_down(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await w.bot.services.db.close()
        for actor in (w.clients[0], w.facilitator):
            result = await actor.slash(w.cohort, "help-now")
            assert result.ephemeral
            text = reply_text(result)
            assert "988" in text and "741741" in text
            assert w.settings.program.staffed_hours in text
            assert "not a crisis service" in text
            assert find_stigma(text) == []


async def test_help_now_in_a_dm(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        await w.bot.tree.sync()  # global commands (the guild sync copies them into the guild)
        await w.env.settle()
        for user in (w.clients[0].user, w.stranger.user):
            result = await user.slash("help-now")
            assert result.ephemeral
            assert "988" in reply_text(result)


# ----- reports -------------------------------------------------------------------------


async def test_report_goes_to_staff_with_a_jump_link_and_reporter_stays_anonymous(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        message = await sam.send(w.cohort, "something unkind")
        result = await alex.context_menu(w.cohort, "Report to facilitator", message)
        assert result.ephemeral
        assert "Thank you" in reply_text(result)
        await w.run_due_work()
        posts = [m for m in w.messages(w.staff) if m.embeds and "reported" in m.embeds[0].title]
        assert len(posts) == 1
        embed = str(posts[0].embeds[0].to_dict())
        assert f"/channels/{w.guild.id}/{w.cohort.id}/{message.id}" in embed
        assert "something unkind" not in embed
        # Nothing reaches the reported member, nothing is posted where they can see it.
        assert w.dms(sam) == []
        assert bot_messages(w, w.cohort) == []
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0
        # A second report of the same message by the same person is not filed again.
        before = await w.table_snapshot()
        again = await alex.context_menu(w.cohort, "Report to facilitator", message)
        assert "already reported" in reply_text(again)
        await w.run_due_work()
        assert await w.table_snapshot() == before
        # Someone else may report it too.
        await w.clients[2].context_menu(w.cohort, "Report to facilitator", message)
        assert await w.count("SELECT COUNT(*) FROM reports") == 2


async def test_reporting_crisis_language_starts_the_crisis_path_for_the_author(tmp_path):
    async with program_world(tmp_path, cogs=COGS, discord={"message_content": False}) as w:
        alex, sam = w.clients[0], w.clients[1]
        message = await sam.send(w.cohort, "I'm going to kill myself tonight")
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0  # no intent: not read
        result = await alex.context_menu(w.cohort, "Report to facilitator", message)
        assert "/help-now" in reply_text(result)
        await w.run_due_work()
        alerts = await w.bot.services.db.fetchall("SELECT * FROM alerts")
        assert [(a["subject_user_id"], a["severity"]) for a in alerts] == [(sam.id, "urgent")]
        assert len(w.dms(sam)) == 1 and "988" in w.dms(sam)[0].content
        assert w.dms(alex) == []
        assert bot_messages(w, w.cohort) == []


async def test_own_and_bot_messages_cannot_be_reported(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        mine = await alex.send(w.cohort, "hello")
        before = await w.table_snapshot()
        result = await alex.context_menu(w.cohort, "Report to facilitator", mine)
        assert "your own message" in reply_text(result)
        assert await w.table_snapshot() == before


# ----- AutoMod presets -------------------------------------------------------------------


async def test_automod_install_is_idempotent_and_acts_as_configured(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        first = await w.facilitator.slash(w.staff, "automod install")
        assert "Created" in reply_text(first)
        second = await w.facilitator.slash(w.staff, "automod install")
        assert "Updated" in reply_text(second) and "Created" not in reply_text(second)
        guild = w.bot.get_guild(w.guild.id)
        rules = await guild.fetch_automod_rules()
        assert len(rules) == 3
        by_name = {r.name: r for r in rules}
        crisis = by_name["iopbot: crisis language (alert only)"]
        assert [a.type for a in crisis.actions] == [
            discord.AutoModRuleActionType.send_alert_message
        ]
        assert all(a.channel_id == w.staff.id for a in crisis.actions)
        sourcing = by_name["iopbot: drug sourcing (blocked)"]
        block = [
            a for a in sourcing.actions if a.type is discord.AutoModRuleActionType.block_message
        ]
        assert block and block[0].custom_message == w.settings.safety.sourcing_block_message
        for rule in rules:
            assert w.roles["Facilitator"].id in rule.exempt_role_ids
        assert "don't want to live" in crisis.trigger.keyword_filter
        status = await w.facilitator.slash(w.staff, "automod status")
        assert reply_text(status).count(": on,") == 3
        # Crisis words are never blocked; sourcing words are.
        kept = await alex.send(w.cohort, "I want to die")
        assert kept.id in [m.id for m in w.messages(w.cohort)]
        count = len(w.messages(w.cohort))
        await alex.send(w.cohort, "anyone selling tonight?")  # blocked: never stored
        assert len(w.messages(w.cohort)) == count
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'automod.install'") == 2


async def test_without_the_content_intent_the_automod_crisis_rule_starts_the_path(tmp_path):
    async with program_world(tmp_path, cogs=COGS, discord={"message_content": False}) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "automod install")
        await alex.send(w.cohort, "sometimes I want to die")
        await alex.send(w.cohort, "who's holding tonight")  # sourcing: blocked, no crisis path
        await w.run_due_work()
        alerts = await w.bot.services.db.fetchall("SELECT * FROM alerts")
        assert [(a["subject_user_id"], a["rule"]) for a in alerts] == [(alex.id, "crisis_language")]
        events = await w.bot.services.db.fetchall("SELECT source FROM crisis_events")
        assert [e["source"] for e in events] == ["automod"]
        assert len(w.dms(alex)) == 1
        assert bot_messages(w, w.cohort) == []
        assert not timed_out(w, alex)


async def test_automod_crisis_path_with_the_database_down_still_sends_resources(tmp_path):
    async with program_world(tmp_path, cogs=COGS, discord={"message_content": False}) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "automod install")
        await w.bot.services.db.close()
        await alex.send(w.cohort, "sometimes I want to die")
        await w.env.settle()
        dms = w.dms(alex)
        assert len(dms) == 1 and "988" in dms[0].content
        assert bot_messages(w, w.cohort) == []
        assert not timed_out(w, alex)


# ----- data contract and wording ------------------------------------------------------


async def test_export_delete_and_purge(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await alex.send(w.cohort, "kms")
        message = await sam.send(w.cohort, "rude")
        await alex.context_menu(w.cohort, "Report to facilitator", message)
        cog = w.bot.get_cog("SafetyCog")
        exported = await cog.export_user_data(alex.id)
        assert len(exported["reports_made"]) == 1
        assert (await cog.export_user_data(sam.id))["reports_about_you"] == 1
        # Crisis events are core records (check-ins write them too): the core exports them.
        document = await gather_export(w.bot, w.bot.services, alex.id)
        events = document["sections"]["crisis_events"]
        assert [e["source"] for e in events] == ["group_message"]
        assert "kms" not in str(exported) and "kms" not in str(document)
        report = await cog.delete_user_data(alex.id)
        assert report.removed == {"reports": 1}
        await alex.context_menu(w.cohort, "Report to facilitator", message)
        kept = await cog.delete_user_data(sam.id)
        assert kept.removed == {"reports": 0}
        assert "reports" in kept.kept
        w.clock.set(w.clock.now() + timedelta(days=366))
        assert await cog.purge_expired() == {"reports": 1}


def test_user_facing_strings_are_person_first():
    for text in (_report.THANKS, _report.THANKS_CRISIS, _report.ALREADY):
        assert find_stigma(text) == []


async def test_the_alert_labels_its_subject_by_role(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await alex.send(w.cohort, "honestly I just want to die")
        lounge = w.guild.create_text_channel("family-lounge")
        await w.family.send(lounge, "I want to end it all")
        await w.run_due_work()
        labels = {
            post.embeds[0].fields[0].value.split(" (")[0]: post.embeds[0].fields[0].name
            for post in alert_posts(w)
        }
        family_name = w.bot.get_guild(w.guild.id).get_member(w.family.id).display_name
        assert labels[family_name] == "Family member"
        assert "Client" in labels.values()
        assert sorted(labels.values()) == ["Client", "Family member"]
