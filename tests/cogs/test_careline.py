"""The care line: a client's DM reaches a staff-only thread, staff answer from it, and
the rest of issue #13 (notes, close/reopen, files, family and strangers, the rate limit,
screening, 50007, permissions, export/delete/purge)."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.domain.language import find_stigma
from cogs.careline import _render
from tests.harness import dm_body, program_world

COGS = ("clients", "careline")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def enroll(w, actor) -> None:
    await w.facilitator.slash(w.staff, "client enroll", member=actor)
    await w.run_due_work()


def care_channel(w):
    found = w.guild.channels.get("care-line")
    assert found is not None, list(w.guild.channels)
    return found


def thread_of(w, name: str):
    threads = [t for t in care_channel(w).threads if t.name == name]
    assert len(threads) == 1, [t.name for t in care_channel(w).threads]
    return threads[0]


def bot_posts(w, channel) -> list[str]:
    return [m.content for m in w.messages(channel) if m.author.id == w.bot.user.id]


def dm_bodies(w, actor) -> list[str]:
    return [dm_body(m.content) for m in w.dms(actor) if m.author.id == w.bot.user.id]


async def dm(w, actor, text: str, files=()):
    extra = {}
    if files:
        channel_id = actor.user.dm_channel.id
        extra["attachments"] = w.env.backend.store_attachments(channel_id, list(files))
    sent = await actor.user.send_dm(text, **extra)
    await w.run_due_work()
    return sent


async def test_a_dm_opens_a_staff_thread_and_gets_the_automatic_reply(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "Can we talk about my schedule next week?")

        channel = care_channel(w)
        thread = thread_of(w, "Alex")
        posts = bot_posts(w, thread)
        header = next(p for p in posts if p.startswith("**Care line: Alex**"))
        assert str(alex.id) in header and "program week 1" in header
        relayed = [p for p in posts if "Can we talk about my schedule next week?" in p]
        assert len(relayed) == 1 and "**Alex:**" in relayed[0]

        # Only staff (and the bot) can see the channel, so the thread too.
        guild = w.bot.get_guild(w.guild.id)
        real = guild.get_channel(channel.id)
        assert not real.permissions_for(guild.default_role).view_channel
        assert not real.permissions_for(guild.get_member(alex.id)).view_channel
        assert not real.permissions_for(guild.get_member(w.family.id)).view_channel
        assert real.permissions_for(guild.get_member(w.facilitator.id)).view_channel

        bodies = dm_bodies(w, alex)  # each DM starts with the neutral line (dm_body checks)
        assert len(bodies) == 1
        auto = bodies[0]
        assert w.settings.program.staffed_hours in auto
        assert w.settings.careline.answer_time in auto
        assert "988" in auto and "only the program's facilitators read" in auto
        # Monday 07:00 in New York: before the staffed hours, and the reply says so.
        assert "outside those hours right now" in auto
        assert find_stigma(auto) == []

        # A second message in the same conversation: relayed, no second automatic reply.
        # (During staffed hours the "outside those hours" sentence is left out.)
        await dm(w, alex, "Also, thanks for today.")
        assert len(dm_bodies(w, alex)) == 1
        assert any("Also, thanks for today." in p for p in bot_posts(w, thread))
        assert len(care_channel(w).threads) == 1
        assert await w.count("SELECT COUNT(*) FROM careline_messages WHERE direction='in'") == 2


async def test_staff_reply_note_close_and_reopen(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "Hello?")
        thread = thread_of(w, "Alex")

        await w.facilitator.send(thread, "Hi Alex, happy to help. Want to talk after group?")
        await w.facilitator.send(thread, "// she mentioned this last week too")
        await w.run_due_work()
        bodies = dm_bodies(w, alex)
        assert len(bodies) == 2
        assert bodies[1].startswith("**Dana (facilitator) (your care team):**")
        assert "Want to talk after group?" in bodies[1]
        assert not any("mentioned this last week" in b for b in bodies)
        notes = await w.count("SELECT COUNT(*) FROM careline_messages WHERE direction='note'")
        assert notes == 1

        result = await w.facilitator.slash(thread, "careline reply", text="See you at 6.")
        await w.run_due_work()
        assert result.ephemeral
        assert dm_bodies(w, alex)[-1].endswith("See you at 6.")
        assert any("`/careline reply`" in p and "See you at 6." in p for p in bot_posts(w, thread))

        noted = await w.facilitator.slash(thread, "careline note", text="Called her mom? No.")
        await w.run_due_work()
        assert noted.ephemeral
        assert not any("Called her mom" in b for b in dm_bodies(w, alex))
        assert any("Called her mom" in p and "not sent" in p for p in bot_posts(w, thread))

        closed = await w.facilitator.slash(thread, "careline close")
        await w.run_due_work()
        assert "Closed" in closed.response.content
        assert "closed this conversation" in dm_bodies(w, alex)[-1]
        assert any("Conversation closed by" in p for p in bot_posts(w, thread))
        again = await w.facilitator.slash(thread, "careline close")
        assert "no open conversation" in again.response.content

        # A new DM reopens: a new conversation, a new automatic reply, the same thread.
        before = len(dm_bodies(w, alex))
        await dm(w, alex, "Me again")
        assert len(dm_bodies(w, alex)) == before + 1
        assert "Thanks for your message" in dm_bodies(w, alex)[-1]
        assert len(care_channel(w).threads) == 1
        assert await w.count("SELECT COUNT(*) FROM careline_conversations") == 2
        assert any("New conversation (#2)" in p for p in bot_posts(w, thread))


async def test_reply_signed_as_the_team_when_configured(tmp_path):
    async with program_world(
        tmp_path, cogs=COGS, careline={"reply_signature": "team", "team_name": "Team North"}
    ) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "Hi")
        await w.facilitator.send(thread_of(w, "Alex"), "Hi there")
        await w.run_due_work()
        last = dm_bodies(w, alex)[-1]
        assert last.startswith("**Team North:**") and "Dana" not in last


async def test_reply_from_outside_the_thread_names_the_client_and_checks_the_thread(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        # A facilitator can write first: the thread is made for it.
        await w.facilitator.slash(w.staff, "careline reply", text="Checking in.", client=sam)
        await w.run_due_work()
        assert dm_bodies(w, sam)[-1].endswith("Checking in.")
        sam_thread = thread_of(w, "Sam")
        wrong = await w.facilitator.slash(sam_thread, "careline reply", text="x", client=alex)
        assert "another client" in wrong.response.content
        nowhere = await w.facilitator.slash(w.staff, "careline reply", text="x")
        assert "name the `client`" in nowhere.response.content
        stranger = await w.facilitator.slash(w.staff, "careline reply", text="x", client=w.stranger)
        assert "not an enrolled client" in stranger.response.content


async def test_only_facilitators_reply_and_non_staff_thread_posts_are_not_relayed(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await dm(w, alex, "Hello")
        refused = await sam.slash(w.cohort, "careline reply", text="hi", client=alex)
        assert "only for facilitators" in refused.response.content
        for cmd in ("careline note", "careline close"):
            extra = {"text": "x"} if "note" in cmd else {}
            result = await sam.slash(w.cohort, cmd, client=alex, **extra)
            assert "only for facilitators" in result.response.content
        assert len(dm_bodies(w, alex)) == 1  # only the automatic reply


async def test_family_and_strangers_get_a_kind_reply_and_nothing_is_stored(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        before = await w.table_snapshot()
        await dm(w, w.family, "Is my son doing ok?")
        await dm(w, w.stranger, "hello bot")
        await dm(w, w.stranger, "hello again")  # one kind reply per half hour
        await dm(w, w.facilitator, "testing the bot")
        after = await w.table_snapshot()
        assert after == before
        family = dm_bodies(w, w.family)
        assert len(family) == 1 and "family sessions" in family[0] and "/help-now" in family[0]
        stranger = dm_bodies(w, w.stranger)
        assert len(stranger) == 1 and "/help-now" in stranger[0]
        staff = dm_bodies(w, w.facilitator)
        assert len(staff) == 1 and "care-line threads" in staff[0]
        assert "care-line" not in w.guild.channels


async def test_rate_limit_sends_one_friendly_notice_and_relays_nothing_more(tmp_path):
    async with program_world(
        tmp_path, cogs=COGS, careline={"rate_limit_messages": 3, "rate_limit_minutes": 10}
    ) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        for n in range(5):
            await dm(w, alex, f"message {n}")
        thread = thread_of(w, "Alex")
        relayed = [p for p in bot_posts(w, thread) if "**Alex:**\nmessage " in p]
        assert len(relayed) == 3
        notices = [b for b in dm_bodies(w, alex) if "a lot of messages" in b]
        assert len(notices) == 1
        # The crisis path is never limited: a crisis DM over the limit still alerts.
        await dm(w, alex, "I want to end my life")
        alerts = await w.count("SELECT COUNT(*) FROM alerts WHERE subject_user_id = ?", (alex.id,))
        assert alerts == 1
        # After the window the client is heard again.
        await w.advance(timedelta(minutes=11))
        await dm(w, alex, "message later")
        assert any("message later" in p for p in bot_posts(w, thread))


async def test_one_crisis_dm_gives_one_alert_with_the_safety_cog_too(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "safety", "careline")) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "I want to end my life")
        alerts = await w.count("SELECT COUNT(*) FROM alerts WHERE subject_user_id = ?", (alex.id,))
        assert alerts == 1
        events = await w.count("SELECT COUNT(*) FROM crisis_events WHERE user_id = ?", (alex.id,))
        assert events == 1
        # The words also reach the care team, like any message.
        assert any("end my life" in p for p in bot_posts(w, thread_of(w, "Alex")))


async def test_reply_to_a_client_whose_dms_are_closed_says_so_in_the_thread(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "hi")
        thread = thread_of(w, "Alex")
        dm_channel = alex.user.dm_channel.id
        w.env.inject_error("POST", f"/channels/{dm_channel}/messages", status=403, code=50007)
        await w.facilitator.send(thread, "Are you free tomorrow?")
        await w.run_due_work()
        row = await w.db.fetchone(
            "SELECT status FROM outbox WHERE kind = 'careline_dm' ORDER BY id DESC"
        )
        assert row["status"] == "undeliverable"
        warnings = [p for p in bot_posts(w, thread) if "Not delivered" in p]
        assert len(warnings) == 1 and "DMs are closed" in warnings[0]


async def test_files_images_and_pdf_as_links_others_refused_both_ways(tmp_path):
    async with program_world(tmp_path, cogs=COGS, careline={"attachment_max_mb": 1}) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "my form", files=[("form.png", PNG)])
        thread = thread_of(w, "Alex")
        shown = [p for p in bot_posts(w, thread) if "my form" in p]
        assert len(shown) == 1 and "📎 image `form.png`" in shown[0] and "http" in shown[0]

        await dm(w, alex, "and this", files=[("notes.zip", b"PK\x03\x04")])
        assert any("and this" in p for p in bot_posts(w, thread))
        assert any("did not pass on" in p for p in bot_posts(w, thread))
        refusal = dm_bodies(w, alex)[-1]
        assert "couldn't pass on your file" in refusal and "PDF" in refusal
        assert "The rest of your message was passed on" in refusal

        big = b"%PDF-1.4" + b"0" * (2 * 1024 * 1024)
        await dm(w, alex, "", files=[("big.pdf", big)])
        assert "Nothing else was in the message" in dm_bodies(w, alex)[-1]
        stored = await w.count("SELECT COUNT(*) FROM careline_messages WHERE direction='in'")
        assert stored == 2


async def test_export_delete_and_purge(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "a private question")
        await w.facilitator.send(thread_of(w, "Alex"), "an answer")
        await w.run_due_work()
        cog = w.bot.get_cog("CarelineCog")
        exported = await cog.export_user_data(alex.id)
        texts = [(m["from"], m["text"]) for m in exported["careline_messages"]]
        assert texts == [("you", "a private question"), ("care team", "an answer")]

        w.clock.set(w.clock.now() + timedelta(days=w.settings.retention.careline_days + 1))
        purged = await cog.purge_expired()
        assert purged["careline_messages"] == 2
        assert await cog.purge_expired() == {"careline_messages": 0, "careline_conversations": 0}

        report = await cog.delete_user_data(alex.id)
        assert report.removed["careline_threads"] == 1
        assert await cog.export_user_data(alex.id) == {}
        await w.env.settle()
        assert care_channel(w).threads == []


async def test_logs_carry_ids_not_words(tmp_path, caplog):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        with caplog.at_level("DEBUG"):
            await dm(w, alex, "SECRET-WORDS-123")
            await w.facilitator.send(thread_of(w, "Alex"), "SECRET-REPLY-456")
            await w.run_due_work()
        for record in caplog.records:
            if not record.name.startswith("iopbot"):
                continue  # e.g. aiosqlite's own debug lines
            text = record.getMessage() + repr(record.__dict__)
            assert "SECRET" not in text


def test_user_facing_strings_are_person_first():
    for text in (
        _render.for_family(),
        _render.for_others(),
        _render.slow_down(),
        _render.unavailable(),
        _render.closed_for_client("Your care team"),
        _render.auto_reply(
            team_name="Your care team", staffed_hours="9-5", answer_time="soon", resources=[]
        ),
    ):
        assert find_stigma(text) == []


def test_config_example_documents_the_section():
    from pathlib import Path

    text = Path("config.example.toml").read_text(encoding="utf-8")
    assert "[careline]" in text and "care_team" in text and "careline_days" in text


async def test_discord_intents_unchanged():
    assert discord.Intents.default().message_content is False


async def test_after_a_restart_thread_replies_still_reach_the_client(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "before the restart")
        await w.restart()
        await w.facilitator.send(thread_of(w, "Alex"), "after the restart")
        await w.run_due_work()
        assert dm_bodies(w, alex)[-1].endswith("after the restart")
        # The same thread is used again; the conversation is still open (no second auto reply).
        await dm(w, alex, "thanks")
        assert len(care_channel(w).threads) == 1
        assert sum("Thanks for your message" in b for b in dm_bodies(w, alex)) == 1


async def test_a_care_team_channel_others_can_see_is_refused(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        # Misconfigured: the cohort channel, which clients can see.
        w.settings = w.settings.model_copy(
            update={"channels": w.settings.channels.model_copy(update={"care_team": w.cohort.id})}
        )
        await w.restart()
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "private words")
        assert w.cohort.threads == []
        assert not any("private words" in m.content for m in w.messages(w.cohort))
        assert "couldn't be passed on" in dm_bodies(w, alex)[-1]
        assert await w.count("SELECT COUNT(*) FROM careline_messages") == 0


async def test_a_redelivered_message_is_relayed_once(tmp_path):
    from cogs.careline._relay import Words, relay_from_client

    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "first")
        cog = w.bot.get_cog("CarelineCog")
        client = await w.bot.services.clients.get(alex.id)
        thread_id = await cog.threads.thread_for(client)
        words = Words(text="same event twice", files=(), source_id=123456789)
        first = await relay_from_client(w.bot.services, client, thread_id, words)
        again = await relay_from_client(w.bot.services, client, thread_id, words)
        await w.run_due_work()
        assert first.relayed and not again.relayed
        assert sum("same event twice" in p for p in bot_posts(w, thread_of(w, "Alex"))) == 1


async def test_a_long_message_is_relayed_whole_in_pieces(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        words = " ".join(f"w{n:04d}" for n in range(330))  # about 1,980 characters
        await dm(w, alex, words)
        posts = [p for p in bot_posts(w, thread_of(w, "Alex")) if "w0" in p]
        assert len(posts) == 2 and all(len(p) <= 2000 for p in posts)
        shown = "\n".join(posts)
        assert all(f"w{n:04d}" in shown for n in range(330))


def spy_on_screening(w, monkeypatch) -> list[str]:
    """Record the care line's own calls of the crisis path (patched in the module the
    running cog came from: an extension reload imports its modules afresh)."""
    import sys

    module = sys.modules[type(w.bot.get_cog("CarelineCog")).__module__]
    calls: list[str] = []
    real = module.handle_crisis_text

    async def spy(*args, **kwargs):
        calls.append(kwargs["source"])
        return await real(*args, **kwargs)

    monkeypatch.setattr(module, "handle_crisis_text", spy)
    return calls


async def test_screening_runs_once_the_care_line_screens_only_without_the_safety_cog(
    tmp_path, monkeypatch
):
    async with program_world(tmp_path, cogs=("clients", "safety", "careline")) as w:
        calls = spy_on_screening(w, monkeypatch)
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "I want to end my life")
        assert calls == []  # the safety cog screens DMs: the care line leaves it
        events = await w.count("SELECT COUNT(*) FROM crisis_events WHERE user_id = ?", (alex.id,))
        assert events == 1
    async with program_world(tmp_path / "alone", cogs=COGS) as w:
        calls = spy_on_screening(w, monkeypatch)
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "I want to end my life")
        assert calls == ["dm"]  # no safety cog: the care line screens
        events = await w.count("SELECT COUNT(*) FROM crisis_events WHERE user_id = ?", (alex.id,))
        assert events == 1


async def test_words_that_cannot_be_posted_in_the_thread_raise_a_staff_alert(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "first")
        thread = thread_of(w, "Alex")
        w.env.inject_error(
            "POST", f"/channels/{thread.id}/messages", status=403, code=50001, times=5
        )
        await dm(w, alex, "second, lost?")
        row = await w.db.fetchone(
            "SELECT status, error_code FROM outbox WHERE dedupe_key LIKE 'careline:in:%' "
            "ORDER BY id DESC"
        )
        assert (row["status"], row["error_code"]) == ("failed", 50001)
        alerts = await w.db.fetchall(
            "SELECT rule, severity FROM alerts WHERE subject_user_id = ?", (alex.id,)
        )
        assert [tuple(a) for a in alerts] == [("careline_post_failed", "high")]
        posted = [m for m in w.messages(w.staff) if m.embeds]
        assert posted and "second, lost?" not in repr([m.embeds[0].to_dict() for m in posted])


async def test_the_enrollment_welcome_mentions_the_care_line(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        [welcome] = [dm_body(m.content) for m in w.dms(alex, welcome=True)]
        assert "To reach your care team privately, just send me a message here" in welcome
    async with program_world(tmp_path / "without", cogs=("clients",)) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        [welcome] = [dm_body(m.content) for m in w.dms(alex, welcome=True)]
        assert "care team" not in welcome


async def test_when_screening_fails_the_client_still_gets_crisis_resources_at_once(
    tmp_path, monkeypatch
):
    import sys

    async with program_world(tmp_path, cogs=COGS) as w:
        module = sys.modules[type(w.bot.get_cog("CarelineCog")).__module__]

        async def broken(*args, **kwargs):
            raise RuntimeError("database is down")

        monkeypatch.setattr(module, "handle_crisis_text", broken)
        alex = w.clients[0]
        await enroll(w, alex)
        await dm(w, alex, "hi, quick question about thursday")  # the automatic reply
        before = len(dm_bodies(w, alex))
        await dm(w, alex, "I want to end my life")
        sent = dm_bodies(w, alex)[before:]
        resources = w.settings.safety.resources
        assert any(resources[0].contact in body for body in sent), sent
