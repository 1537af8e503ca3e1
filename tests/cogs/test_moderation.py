"""Moderation: allowed and refused, warn delivery, timeouts, delete, lock, notes, history."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.domain.language import find_stigma
from tests.harness import program_world

COGS = ("clients", "moderation", "safety")


def reply_text(result) -> str:
    """The ephemeral answer, whether sent as the response or as a followup after defer."""
    parts = []
    if result.response is not None:
        parts.append(result.response.content)
        parts += [str(e.to_dict()) for e in result.response.embeds]
    for followup in result.followups:
        parts.append(followup.content)
        parts += [str(e.to_dict()) for e in followup.embeds]
    return "\n".join(p for p in parts if p)


def is_ephemeral(result) -> bool:
    if result.followups:
        return all(f.ephemeral for f in result.followups)
    return result.ephemeral


async def mod_log_lines(w) -> list[str]:
    await w.run_due_work()
    return [m.content for m in w.messages(w.mod_log)]


def member(w, actor) -> discord.Member:
    found = w.bot.get_guild(w.guild.id).get_member(actor.id)
    assert found is not None
    return found


def timed_out(w, actor) -> bool:
    """simcord runs Discord on a virtual clock; read the timeout on that clock."""
    with w.env.time_context():
        return member(w, actor).is_timed_out()


# ----- refused for clients: every facilitator command, nothing changes ----------------

FACILITATOR_COMMANDS = [
    ("mod warn", {"reason": "please keep it kind"}),
    ("mod timeout", {"duration": "1h", "reason": "cool down"}),
    ("mod untimeout", {}),
    ("mod delete", {"message": "123"}),
    ("mod lock", {}),
    ("mod unlock", {}),
    ("mod slowmode", {"seconds": 30}),
    ("mod note", {"text": "a note"}),
    ("mod history", {}),
    ("mod case", {"case_id": 1}),
    ("automod install", {}),
    ("automod status", {}),
]


@pytest.mark.parametrize(("command", "options"), FACILITATOR_COMMANDS)
async def test_client_is_refused_and_nothing_changes(tmp_path, command, options):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        if command.startswith("mod") and command not in (
            "mod delete",
            "mod lock",
            "mod unlock",
            "mod slowmode",
            "mod case",
        ):
            options = {"member": sam, **options}
        before = await w.table_snapshot()
        result = await alex.slash(w.cohort, command, **options)
        assert is_ephemeral(result)
        assert "only for facilitators" in reply_text(result)
        await w.run_due_work()
        assert await w.table_snapshot() == before
        assert w.messages(w.mod_log) == []
        assert w.dms(sam) == []


# ----- warn ---------------------------------------------------------------------------


async def test_warn_is_delivered_and_logged_without_content(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        result = await w.facilitator.slash(
            w.cohort, "mod warn", member=sam, reason="Please keep the group agreement in mind."
        )
        assert is_ephemeral(result)
        text = reply_text(result)
        assert "Case #1" in text
        assert "delivered by DM" in text
        dms = w.dms(sam)
        assert len(dms) == 1
        assert "Please keep the group agreement in mind." in dms[0].content
        assert find_stigma(dms[0].content) == []
        lines = await mod_log_lines(w)
        assert len(lines) == 1
        assert "Case #1" in lines[0] and "Warning" in lines[0] and str(sam.id) in lines[0]
        assert "agreement" not in lines[0]
        case = await w.bot.services.db.fetchone("SELECT * FROM mod_cases WHERE id = 1")
        assert case["delivery"] == "delivered"
        assert case["mod_log_message_id"] is not None
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'mod.warn'") == 1


async def test_warn_with_dms_closed_tells_the_facilitator(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        dm_channel = sam.user.dm_channel.id
        w.env.inject_error("POST", f"/channels/{dm_channel}/messages", status=403, code=50007)
        result = await w.facilitator.slash(
            w.cohort, "mod warn", member=sam, reason="Please keep it respectful."
        )
        assert "DMs are closed" in reply_text(result)
        case = await w.bot.services.db.fetchone("SELECT * FROM mod_cases WHERE id = 1")
        assert case["delivery"] == "dm_closed"
        lines = await mod_log_lines(w)
        assert any("could not be delivered" in line for line in lines)
        assert not any("respectful" in line for line in lines)
        shown = await w.facilitator.slash(w.staff, "mod case", case_id=1)
        assert "DMs are closed" in reply_text(shown)


# ----- timeout ------------------------------------------------------------------------


async def test_timeout_and_untimeout(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        result = await w.facilitator.slash(
            w.cohort, "mod timeout", member=sam, duration="2h", reason="Cooling off."
        )
        assert is_ephemeral(result)
        assert "timed out for 2h" in reply_text(result)
        assert timed_out(w, sam)
        case = await w.bot.services.db.fetchone("SELECT * FROM mod_cases WHERE id = 1")
        assert case["action"] == "timeout" and case["duration_seconds"] == 7200
        result = await w.facilitator.slash(w.cohort, "mod untimeout", member=sam)
        assert "timeout is removed" in reply_text(result)
        assert not timed_out(w, sam)
        lines = await mod_log_lines(w)
        assert len(lines) == 2
        assert "Cooling" not in " ".join(lines)


@pytest.mark.parametrize(
    ("duration", "problem"),
    [
        ("0m", "longer than zero"),
        ("-5m", "couldn't read"),
        ("29d", "at most 28 days"),
        ("5 weeks", "couldn't read"),
        ("soon", "couldn't read"),
    ],
)
async def test_timeout_bad_durations(tmp_path, duration, problem):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        before = await w.table_snapshot()
        result = await w.facilitator.slash(
            w.cohort, "mod timeout", member=sam, duration=duration, reason="x"
        )
        assert is_ephemeral(result)
        assert problem in reply_text(result)
        assert not timed_out(w, sam)
        assert await w.table_snapshot() == before


async def test_timeout_28_days_is_allowed(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        result = await w.facilitator.slash(
            w.cohort, "mod timeout", member=sam, duration="28d", reason="Program decision."
        )
        assert "timed out for 28d" in reply_text(result)


async def test_bad_targets_and_text_are_refused(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        second = w.guild.add_member(
            w.env.create_user("lee"), roles=[w.roles["Facilitator"]], nick="Lee"
        )
        await w.env.settle()
        before = await w.table_snapshot()
        cases = [
            ("mod timeout", {"member": second, "duration": "1h", "reason": "x"}, "facilitator"),
            ("mod warn", {"member": second, "reason": "x"}, "facilitator"),
            ("mod warn", {"member": sam, "reason": "x" * 501}, "501 characters"),
            ("mod warn", {"member": sam, "reason": "   "}, "can't be empty"),
            ("mod timeout", {"member": sam, "duration": "1h", "reason": "y" * 600}, "500"),
            ("mod note", {"member": sam, "text": "n" * 1001}, "1000 or fewer"),
            ("mod untimeout", {"member": sam}, "isn't timed out"),
            ("mod slowmode", {"seconds": 21601}, "between 0"),
            ("mod slowmode", {"seconds": -1}, "between 0"),
            ("mod delete", {"message": "not a link"}, "message link"),
            ("mod delete", {"message": "999"}, "couldn't find"),
            ("mod unlock", {}, "isn't locked"),
            ("mod case", {"case_id": 42}, "no case #42"),
        ]
        for command, options, problem in cases:
            result = await w.facilitator.slash(w.cohort, command, **options)
            assert is_ephemeral(result), command
            assert problem in reply_text(result), (command, reply_text(result))
        await w.run_due_work()
        assert await w.table_snapshot() == before
        assert w.dms(sam) == []


async def test_stranger_who_left_is_not_a_member(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        stranger = w.stranger
        w.guild.remove_member(stranger)
        await w.env.settle()
        before = await w.table_snapshot()
        result = await w.facilitator.slash(w.cohort, "mod warn", member=stranger.user, reason="x")
        assert "isn't a member" in reply_text(result)
        assert await w.table_snapshot() == before


# ----- messages, channels -------------------------------------------------------------


async def test_delete_by_menu_and_by_link(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        first = await sam.send(w.cohort, "something that breaks the agreement")
        second = await sam.send(w.cohort, "another one")
        result = await w.facilitator.context_menu(w.cohort, "Delete message (mod)", first)
        assert is_ephemeral(result)
        assert "deleted the message" in reply_text(result)
        link = f"https://discord.com/channels/{w.guild.id}/{w.cohort.id}/{second.id}"
        result = await w.facilitator.slash(w.staff, "mod delete", message=link)
        assert "deleted the message" in reply_text(result)
        assert [m.id for m in w.messages(w.cohort)] == []
        lines = await mod_log_lines(w)
        assert len(lines) == 2
        assert str(first.id) in lines[0]
        assert "agreement" not in " ".join(lines) and "another" not in " ".join(lines)
        rows = await w.bot.services.db.fetchall("SELECT * FROM mod_cases ORDER BY id")
        assert [r["message_id"] for r in rows] == [first.id, second.id]


async def test_client_cannot_use_delete_menu(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        message = await sam.send(w.cohort, "hello")
        before = await w.table_snapshot()
        result = await alex.context_menu(w.cohort, "Delete message (mod)", message)
        assert "only for facilitators" in reply_text(result)
        assert len(w.messages(w.cohort)) == 1
        assert await w.table_snapshot() == before


async def test_lock_unlock_restores_member_overwrites(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        channel = w.bot.get_channel(w.cohort.id)
        # A cohort channel gives each member their own overwrite (the groups cog does this).
        await channel.set_permissions(
            member(w, alex), overwrite=discord.PermissionOverwrite(send_messages=True)
        )
        await channel.set_permissions(
            member(w, sam), overwrite=discord.PermissionOverwrite(send_messages=False)
        )
        await w.env.settle()
        result = await w.facilitator.slash(w.cohort, "mod lock")
        assert "is locked" in reply_text(result)
        channel = w.bot.get_channel(w.cohort.id)
        assert not channel.permissions_for(member(w, alex)).send_messages
        assert channel.permissions_for(member(w, w.facilitator)).send_messages
        again = await w.facilitator.slash(w.cohort, "mod lock")
        assert "already locked" in reply_text(again)
        result = await w.facilitator.slash(w.cohort, "mod unlock")
        assert "open again" in reply_text(result)
        channel = w.bot.get_channel(w.cohort.id)
        assert channel.permissions_for(member(w, alex)).send_messages
        assert not channel.permissions_for(member(w, sam)).send_messages
        client_role = w.bot.get_guild(w.guild.id).get_role(w.roles["Client"].id)
        assert channel.overwrites_for(client_role).send_messages is None
        assert await w.count("SELECT COUNT(*) FROM mod_lock_overwrites") == 0
        assert len(await mod_log_lines(w)) == 2


async def test_slowmode(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        result = await w.facilitator.slash(w.cohort, "mod slowmode", seconds=30)
        assert "30 seconds between messages" in reply_text(result)
        assert w.bot.get_channel(w.cohort.id).slowmode_delay == 30
        result = await w.facilitator.slash(w.cohort, "mod slowmode", seconds=0)
        assert "is off" in reply_text(result)


# ----- notes and history ----------------------------------------------------------------


async def test_note_and_history_are_private_and_audited(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        await w.facilitator.slash(w.cohort, "mod warn", member=sam, reason="Kind reminder.")
        result = await w.facilitator.slash(
            w.staff, "mod note", member=sam, text="Talked after group; doing better."
        )
        assert is_ephemeral(result)
        lines = await mod_log_lines(w)
        assert len(lines) == 2
        assert "doing better" not in " ".join(lines)
        history = await w.facilitator.slash(w.staff, "mod history", member=sam)
        assert is_ephemeral(history)
        text = reply_text(history)
        assert "doing better" in text
        assert "Kind reminder." in text
        assert "delivered by DM" in text
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'mod.history'") == 1


# ----- data contract --------------------------------------------------------------------


async def test_export_delete_and_purge(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        sam = w.clients[1]
        await w.facilitator.slash(w.cohort, "mod warn", member=sam, reason="Reminder.")
        await w.facilitator.slash(w.cohort, "mod note", member=sam, text="private")
        cog = w.bot.get_cog("ModerationCog")
        exported = await cog.export_user_data(sam.id)
        assert [c["action"] for c in exported["moderation_cases"]] == ["warn"]
        assert exported["facilitator_notes"]["count"] == 1
        report = await cog.delete_user_data(sam.id)
        assert report.removed == {"mod_notes": 1}
        assert "mod_cases" in report.kept
        assert await w.count("SELECT COUNT(*) FROM mod_cases") == 2
        assert await cog.purge_expired() == {"mod_notes": 0, "mod_cases": 0}
        w.clock.set(w.clock.now() + timedelta(days=731))
        assert await cog.purge_expired() == {"mod_notes": 0, "mod_cases": 2}
