"""Security hardening inside the running bot (issue 22): escaped names, the audit row for
/family session list, values in button ids checked again, cooldowns, log pseudonyms."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest

from bot.domain.text import shown_name
from bot.services.crisis import handle_crisis_text
from bot.services.errors import UserError
from cogs.data._views import confirmation_problem
from cogs.family._common import Family
from cogs.family._consent import confirm_grant
from cogs.family._views import ConsentConfirmButton
from cogs.moderation._render import history_embed
from tests.cogs.family_helpers import (
    breathe,
    enroll,
    family_world,
    linked_family,
    schedule,
    staff_texts,
)
from tests.cogs.milestones_helpers import enroll_all, put_in_cohort
from tests.harness import program_world

HOSTILE = "[Open chart](https://x)"


def only_escaped(text: str) -> bool:
    """``HOSTILE`` appears in ``text``, and only in its escaped form."""
    return shown_name(HOSTILE) in text and HOSTILE not in text.replace(shown_name(HOSTILE), "")


def staff_text(w) -> str:
    parts = []
    for message in w.messages(w.staff):
        parts.append(message.content or "")
        parts += [str(e.to_dict()) for e in message.embeds]
    return "\n".join(parts)


# ----- item 7: names are shown as typed, never as markdown -----------------------------


def test_a_hostile_display_name_is_escaped():
    shown = shown_name(HOSTILE)
    assert shown.startswith("\\[") and "](https://x)" in shown
    assert shown_name("@everyone") != "@everyone"
    assert shown_name("**Sam**") == "\\*\\*Sam\\*\\*"
    assert only_escaped(str(history_embed(HOSTILE, 1, [], [], {})))
    assert not only_escaped(HOSTILE)


async def test_alert_and_crisis_posts_escape_the_display_name(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "safety")) as w:
        services = w.bot.services
        async with services.db.transaction() as tx:
            await handle_crisis_text(
                services,
                tx,
                user_id=w.stranger.id,
                display_name=HOSTILE,
                source="message",
                source_ref=1,
            )
        await w.run_due_work()
        assert only_escaped(staff_text(w))


async def test_family_rsvp_note_and_session_list_escape_names(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        async with w.db.transaction() as tx:
            await tx.execute(
                "UPDATE clients SET display_name = ? WHERE user_id = ?", (HOSTILE, alex.id)
            )
        result = await w.facilitator.slash(
            w.staff,
            "family session schedule",
            client=alex,
            start="2026-03-05 18:00",
            duration=60,
            place="Room 2",
        )
        assert "Scheduled" in result.response.content
        assert only_escaped(result.response.content)
        listed = await w.facilitator.slash(w.staff, "family session list")
        assert only_escaped(listed.response.content)


async def test_the_rsvp_note_to_staff_escapes_the_client_name(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        async with w.db.transaction() as tx:
            await tx.execute(
                "UPDATE clients SET display_name = ? WHERE user_id = ?", (HOSTILE, alex.id)
            )
        session_id = await schedule(w, alex)
        await w.run_due_work()
        notice = w.dms(w.family)[0]
        await w.family.user.click(notice, custom_id=f"iop:family:rsvp:{session_id}:yes")
        await breathe(w)
        notes = [t for t in staff_texts(w) if "will be at family session" in t]
        assert len(notes) == 1 and only_escaped(notes[0])


# ----- item 9: /family session list leaves an audit row --------------------------------


async def test_family_session_list_is_audited_per_client_shown(tmp_path):
    async with family_world(tmp_path) as w:
        alex, sam = w.clients[0], w.clients[1]
        await linked_family(w, alex)
        await enroll(w, sam)
        await w.facilitator.slash(
            w.staff,
            "family session schedule",
            client=alex,
            start="2026-03-05 18:00",
            duration=60,
            place="Room 2",
        )
        await w.facilitator.slash(w.staff, "family session list")
        rows = await w.db.fetchall(
            "SELECT actor_id, subject_user_id, detail FROM audit_log "
            "WHERE action = 'family.session_list'"
        )
        assert [(r["actor_id"], r["subject_user_id"]) for r in rows] == [
            (w.facilitator.id, alex.id)
        ]
        assert '"sessions": 1' in rows[0]["detail"]
        # Asking about one client records that read even when nothing is shown.
        await w.facilitator.slash(w.staff, "family session list", client=sam)
        counted = await w.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'family.session_list' "
            "AND subject_user_id = ?",
            (sam.id,),
        )
        assert counted == 1


# ----- item 11: values carried in button ids are checked again -------------------------


async def test_a_crafted_consent_confirm_past_the_cap_saves_nothing(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex, consent=False)
        family = Family.of(w.bot.services)
        with pytest.raises(UserError, match="at most 730 days"):
            await confirm_grant(
                family, user_id=alex.id, contact_id=linked.contact_id, expires_on=date(9999, 12, 31)
            )
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 0
        # discord.py routes any id matching the button's template to its callback, which
        # rebuilds the button from the id and calls confirm_grant with that date.
        crafted = f"iop:family:consent:ok:{linked.contact_id}:99991231"
        match = re.fullmatch(ConsentConfirmButton.__discord_ui_compiled_template__, crafted)
        button = await ConsentConfirmButton.from_custom_id(None, None, match)
        assert button.expires_on == date(9999, 12, 31)
        # The cap itself is still reachable through the real flow.
        last_day = w.clock.now().date() + timedelta(days=730)
        await confirm_grant(
            family, user_id=alex.id, contact_id=linked.contact_id, expires_on=last_day
        )
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 1


async def test_a_crafted_delete_confirmation_that_never_expires_is_refused(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "data")) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "client enroll", member=alex)
        shown = await alex.slash(w.cohort, "mydata delete")
        real = shown.response.components[0]["components"][0]["custom_id"]
        services = w.bot.services
        until = int(real.rsplit(":", 1)[1])
        assert confirmation_problem(services, until) is None
        far = int((w.clock.now() + timedelta(days=365)).timestamp())
        assert "isn't valid" in str(confirmation_problem(services, far))
        w.clock.advance(timedelta(minutes=11))
        assert "expired" in str(confirmation_problem(services, until))
        assert await w.db.fetchval("SELECT COUNT(*) FROM clients WHERE user_id = ?", (alex.id,))


async def test_congrats_come_only_from_the_same_group(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "milestones")) as w:
        alex, sam, riley = w.clients
        await enroll_all(w)
        await put_in_cohort(w, alex, sam)  # riley is enrolled but in no group
        await alex.slash(w.cohort, "sobriety set", date="2026-02-01")
        await alex.slash(w.cohort, "milestones public", choice="on")
        await w.advance(timedelta(days=1, hours=6), step=timedelta(minutes=30))
        post = w.messages(w.cohort)[0]
        custom_id = post.components[0].children[0].custom_id
        outsider = await riley.click(post, custom_id=custom_id)
        assert "members of the same group" in outsider.response.content
        peer = await sam.click(post, custom_id=custom_id)
        assert "reach Alex" in peer.response.content
        staff = await w.facilitator.click(post, custom_id=custom_id)
        assert "reach Alex" in staff.response.content
        assert await w.count("SELECT COUNT(*) FROM milestone_congrats") == 2


# ----- item 14: cooldowns --------------------------------------------------------------


async def test_reports_have_a_per_person_cooldown_but_crisis_reports_go_through(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "moderation", "safety")) as w:
        alex, sam = w.clients[0], w.clients[1]
        first = await sam.send(w.cohort, "something unkind")
        second = await sam.send(w.cohort, "that was rude of him")
        crisis = await sam.send(w.cohort, "I want to end my life")
        ok = await alex.context_menu(w.cohort, "Report to facilitator", first)
        assert "Thank you" in ok.response.content
        again = await alex.context_menu(w.cohort, "Report to facilitator", second)
        assert "please wait 60 seconds" in again.response.content
        assert await w.count("SELECT COUNT(*) FROM reports") == 1
        urgent = await alex.context_menu(w.cohort, "Report to facilitator", crisis)
        assert "Thank you" in urgent.response.content
        assert await w.count("SELECT COUNT(*) FROM reports") == 2
        w.clock.advance(timedelta(seconds=61))
        later = await alex.context_menu(w.cohort, "Report to facilitator", second)
        assert "Thank you" in later.response.content
        assert await w.count("SELECT COUNT(*) FROM reports") == 3


async def test_mydata_export_has_a_per_person_cooldown(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "data")) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "client enroll", member=alex)
        first = await alex.slash(w.cohort, "mydata export")
        assert first.ephemeral
        again = await alex.slash(w.cohort, "mydata export")
        assert "please wait 60 minutes" in again.response.content
        assert await w.count("SELECT COUNT(*) FROM data_requests WHERE kind = 'export'") == 1
        w.clock.advance(timedelta(minutes=61))
        await alex.slash(w.cohort, "mydata export")
        assert await w.count("SELECT COUNT(*) FROM data_requests WHERE kind = 'export'") == 2


# ----- item 5: clinical events are logged under a keyed pseudonym ----------------------


async def test_crisis_path_logs_a_pseudonym_not_the_discord_id(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    async with program_world(tmp_path, cogs=("clients", "safety")) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "client enroll", member=alex)
        await alex.send(w.cohort, "I want to end my life")
        await w.run_due_work()
        path = [r for r in caplog.records if r.getMessage() == "crisis.path"]
        assert len(path) == 1
        assert not hasattr(path[0], "user_id")
        assert path[0].person == w.bot.services.key.pseudonym(alex.id)
        assert str(alex.id) not in path[0].person


# ----- item 8: the seeded roles don't say who is a patient ------------------------------


def test_demo_world_roles_are_neutral_and_not_hoisted():
    from bot.sandbox.demo_world import seed_demo_world
    from bot.sandbox.emulator import Emulator

    emulator = Emulator(token="t")
    world = seed_demo_world(emulator)
    roles = {r["id"]: r for r in emulator.state.guilds[world.guild_id].roles.values()}
    for key in ("client", "family"):
        role = roles[str(world.roles[key])]
        assert role["name"] in ("Member", "Guest")
        assert not role["hoist"]
        assert role["name"].lower() not in ("client", "patient", "family")
