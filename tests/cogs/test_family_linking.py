"""Linking family accounts: single-use expiring codes, stored hashed; refusals; rate limit;
family accounts see no cohort channel."""

from __future__ import annotations

import logging
import stat
from datetime import timedelta

from bot.keys import key_file_path
from bot.services.userdata import delete_everywhere
from cogs.family._linking import (
    EXPIRED,
    LIMITED,
    LIMITED_SERVER,
    REUSED,
    WRONG,
    hash_code,
    legacy_hash,
    normalize_code,
)
from tests.cogs.family_helpers import enroll, family_world, invite, link, welcome


async def test_invite_shows_the_code_once_to_the_facilitator_and_stores_only_its_hash(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        code = normalize_code(linked.code)
        assert len(code) == 8
        assert not set(code) & set("IL0O1")
        snapshot = await w.table_snapshot()
        dumped = repr(snapshot)
        assert code not in dumped and linked.code not in dumped
        stored = await w.db.fetchval("SELECT code_hash FROM family_link_codes")
        assert stored == hash_code(w.bot.services.key, code)
        assert stored != legacy_hash(code)  # keyed, not a plain hash anyone can recompute
        key_file = key_file_path(w.settings)
        assert key_file.parent == w.settings.database.path.parent
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key_file.read_text().strip() not in repr(snapshot)
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'family.invite'") == 1
        assert w.dms(w.facilitator) == [] and w.messages(w.staff) == []


async def test_only_facilitators_can_invite(tmp_path):
    async with family_world(tmp_path) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        result = await sam.slash(
            w.cohort, "family invite", client=alex, name="Jordan", relationship="parent"
        )
        assert result.ephemeral
        assert "only for facilitators" in result.response.content
        assert await w.count("SELECT COUNT(*) FROM family_contacts") == 0


async def test_any_member_links_with_a_code_and_gets_the_family_role(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        reply = await link(w, w.stranger, linked.code.lower().replace("-", " "))
        assert "You're linked" in reply
        row = await w.db.fetchone(
            "SELECT * FROM family_contacts WHERE id = ?", (linked.contact_id,)
        )
        assert row["user_id"] == w.stranger.id and row["status"] == "linked"
        assert row["linked_at"] is not None
        member = w.stranger.member
        assert any(r.id == w.roles["Family"].id for r in member.roles)
        used = await w.db.fetchone("SELECT used_at, used_by FROM family_link_codes")
        assert used["used_by"] == w.stranger.id


async def test_wrong_reused_and_expired_codes_are_refused(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        first = await invite(w, alex)
        assert await link(w, w.family, "ZZZZ-ZZZZ") == WRONG
        assert "You're linked" in await link(w, w.family, first.code)
        assert await link(w, w.stranger, first.code) == REUSED
        second = await invite(w, alex, name="Casey", relationship="sibling")
        await w.advance(timedelta(days=7, minutes=1))
        assert await link(w, w.stranger, second.code) == EXPIRED
        row = await w.db.fetchone(
            "SELECT status, user_id FROM family_contacts WHERE id = ?", (second.contact_id,)
        )
        assert row["status"] == "invited" and row["user_id"] is None
        assert await w.count("SELECT COUNT(*) FROM family_link_failures") == 3


async def test_clients_and_facilitators_cannot_link(tmp_path):
    async with family_world(tmp_path) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        linked = await invite(w, alex)
        reply = await sam.slash(w.cohort, "family link", code=linked.code)
        assert "can't link" in reply.response.content
        assert await w.count("SELECT COUNT(*) FROM family_contacts WHERE user_id IS NULL") == 1


async def test_repeated_failures_are_rate_limited_and_logged(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="iopbot.family")
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        limit = w.settings.family.max_link_failures_per_hour
        for n in range(limit):
            assert await link(w, w.stranger, f"WRONG{n:03d}") == WRONG
        # Past the limit even the right code is refused, without being checked.
        assert await link(w, w.stranger, linked.code) == LIMITED
        assert await w.count("SELECT COUNT(*) FROM family_link_failures") == limit
        assert await w.count("SELECT COUNT(*) FROM family_link_codes WHERE used_at IS NULL") == 1
        limited = [r for r in caplog.records if r.getMessage() == "family.link_rate_limited"]
        assert len(limited) == 1
        assert limited[0].user_id == w.stranger.id
        assert linked.code not in caplog.text and normalize_code(linked.code) not in caplog.text
        await w.advance(timedelta(hours=1, minutes=1))
        assert "You're linked" in await link(w, w.stranger, linked.code)


async def test_family_accounts_cannot_see_any_cohort_channel(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        assert "You're linked" in await link(w, w.stranger, linked.code)
        await w.env.settle()
        guild = w.bot.get_guild(w.guild.id)
        family_role = guild.get_role(w.roles["Family"].id)
        for actor in (w.family, w.stranger):
            member = guild.get_member(actor.id)
            assert family_role in member.roles
            for channel in (w.cohort, w.staff, w.mod_log):
                visible = guild.get_channel(channel.id).permissions_for(member).view_channel
                assert not visible, f"{actor.name} can see #{channel.name}"
        # The bot never gave the Family role access to any channel.
        for channel in guild.channels:
            assert family_role not in channel.overwrites
        # Seen from the simulated Discord client too: no slash command in the cohort channel.
        assert w.family.available_commands(w.cohort) == ()
        assert "family link" in w.family.available_commands(welcome(w))


async def test_a_family_role_that_cannot_be_given_is_reported_to_staff(tmp_path, caplog):
    """A 403 on adding the Family role is not swallowed: it is logged (ids only) and the
    staff channel is told, so "the program will sort that out" is true."""
    caplog.set_level(logging.INFO, logger="iopbot")
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        w.env.inject_error(
            "PUT", "/guilds/*/members/*/roles/*", status=403, code=50013, message="Missing"
        )
        reply = await link(w, w.stranger, linked.code)
        assert "You're linked" in reply and "couldn't give you the Family role" in reply
        await w.run_due_work()
        staff = [m.content for m in w.messages(w.staff)]
        assert len(staff) == 1 and f"<@{w.stranger.id}>" in staff[0]
        assert "Family role" in staff[0]
        (record,) = [r for r in caplog.records if r.getMessage() == "family.role_not_given"]
        assert record.user_id == w.stranger.id


async def test_a_server_wide_limit_stops_guessing_spread_over_many_accounts(tmp_path):
    async with family_world(
        tmp_path, family={"max_link_failures_per_hour": 5, "max_link_failures_per_hour_server": 4}
    ) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        for n in range(2):
            assert await link(w, w.stranger, f"WRONG{n:03d}") == WRONG
            assert await link(w, w.family, f"WRONG{n:03d}") == WRONG
        # Neither account is near its own limit, but together they reached the server's.
        assert await link(w, w.stranger, linked.code) == LIMITED_SERVER
        assert await w.count("SELECT COUNT(*) FROM family_link_codes WHERE used_at IS NULL") == 1
        await w.advance(timedelta(hours=1, minutes=1))
        assert "You're linked" in await link(w, w.stranger, linked.code)


async def test_deleting_your_data_does_not_reset_the_guessing_limit(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        limit = w.settings.family.max_link_failures_per_hour
        for n in range(limit):
            assert await link(w, w.stranger, f"WRONG{n:03d}") == WRONG
        outcome = await delete_everywhere(
            w.bot, w.bot.services, w.stranger.id, requested_by=w.stranger.id
        )
        assert "family_link_failures" in outcome.report.kept
        assert await w.count("SELECT COUNT(*) FROM family_link_failures") == limit
        assert await link(w, w.stranger, linked.code) == LIMITED


async def test_a_code_stored_before_the_keyed_digest_is_reported_expired(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        old_code = "ABCD2345"
        now = w.clock.now().isoformat()
        async with w.db.transaction() as tx:
            # What migration 0014 leaves of a pending pre-0014 code: SHA-256, expired.
            await tx.execute(
                "INSERT INTO family_link_codes (contact_id, code_hash, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (linked.contact_id, legacy_hash(old_code), now, now),
            )
        assert await link(w, w.stranger, old_code) == EXPIRED
