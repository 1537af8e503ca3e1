"""Cohorts: private channels, membership, the group agreement, discharge, data rights."""

from __future__ import annotations

import asyncio

import pytest
from simcord.backend.errors import BackendError, SetupError

from tests.cogs.groups_helpers import (
    GROUP,
    accept,
    add,
    agreement_message,
    create_group,
    enroll_all,
    groups_world,
    is_private,
    perms,
    setup_group,
    text,
)


async def until(w, sql: str, expected: int = 1) -> None:
    """Wait for a listener the test dispatched itself (outside simcord's bookkeeping)."""
    for _ in range(200):
        await w.env.settle()
        if await w.count(sql) == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {sql}")


async def test_create_makes_a_private_channel_for_facilitators(tmp_path):
    async with groups_world(tmp_path) as w:
        result = await w.facilitator.slash(w.staff, "group create", name="Tuesday Evening")
        assert is_private(result)
        channel = await create_group(w, "Thursday Morning")
        assert perms(w, w.facilitator, channel).view_channel
        assert perms(w, w.facilitator, channel).send_messages
        for outsider in (*w.clients, w.family, w.stranger):
            assert not perms(w, outsider, channel).view_channel
        cohort = await w.bot.services.db.fetchone("SELECT * FROM cohorts WHERE name = ?", (GROUP,))
        assert cohort is not None
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'group.create'") == 2


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "name"),
        ("x" * 81, "at most 80"),
        ("Sober Tuesdays", "sober"),
        ("Detox support", "detox"),
        ("Alcohol-free evening", "alcohol"),
        ("rehab crew", "rehab"),
        ("Tuesday\u202eEvening", "invisible"),
        ("Tues\u200bday", "invisible"),
        ("Tuesday @everyone", "mentions"),
        ("[Open chart](https://example.com)", "links"),
    ],
)
async def test_create_refuses_bad_names(tmp_path, name, problem):
    async with groups_world(tmp_path) as w:
        before = await w.table_snapshot()
        channels = set(w.guild.channels)
        result = await w.facilitator.slash(w.staff, "group create", name=name)
        assert is_private(result)
        assert problem in text(result).lower()
        assert await w.table_snapshot() == before
        assert set(w.guild.channels) == channels


async def test_clinical_names_can_be_allowed(tmp_path):
    async with groups_world(tmp_path, groups={"allow_clinical_names": True}) as w:
        result = await w.facilitator.slash(w.staff, "group create", name="Sober Tuesdays")
        assert "Created" in text(result)


async def test_duplicate_group_names_are_refused(tmp_path):
    async with groups_world(tmp_path) as w:
        await create_group(w)
        before = await w.table_snapshot()
        result = await w.facilitator.slash(w.staff, "group create", name="tuesday evening")
        assert "already exists" in text(result)
        assert await w.table_snapshot() == before


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("group create", {"name": "Client Made"}),
        ("group add", {"cohort": GROUP}),
        ("group remove", {}),
        ("group list", {}),
    ],
)
async def test_clients_cannot_use_group_commands(tmp_path, command, options):
    async with groups_world(tmp_path) as w:
        await setup_group(w, members=[w.clients[1]])
        before = await w.table_snapshot()
        channels = set(w.guild.channels)
        alex = w.clients[0]
        if command in ("group add", "group remove"):
            options = {**options, "member": w.clients[1]}
        result = await alex.slash(w.cohort, command, **options)
        assert is_private(result)
        assert "only for facilitators" in text(result)
        assert await w.table_snapshot() == before
        assert set(w.guild.channels) == channels


async def test_members_see_only_their_own_cohort_and_post_after_accepting(tmp_path):
    async with groups_world(tmp_path) as w:
        alex, sam, riley = w.clients
        tuesday = await setup_group(w, members=[alex, sam])
        thursday = await create_group(w, "Thursday Morning")
        await add(w, riley, "Thursday Morning")
        # each member is allowed by a per-member overwrite, not by the Client role
        assert perms(w, alex, tuesday).view_channel
        assert not perms(w, riley, tuesday).view_channel
        assert not perms(w, alex, thursday).view_channel
        assert perms(w, riley, thursday).view_channel
        with pytest.raises(BackendError) as refused:
            await riley.send(tuesday, "hello")
        assert refused.value.code == 50001  # Missing Access
        # until they accept, members read but cannot post
        assert not perms(w, alex, tuesday).send_messages
        with pytest.raises(BackendError) as refused:
            await alex.send(tuesday, "hi all")
        assert refused.value.code == 50013  # Missing Permissions
        message = agreement_message(w, tuesday, alex)
        assert message.embeds and "confidential" in (message.embeds[0].description or "")
        assert "staffed" in (message.embeds[0].description or "")
        # a member of another cohort can't even see the agreement message
        with pytest.raises(SetupError):
            await riley.click(message, custom_id="iop:group:accept:1")
        # someone who sees the channel but isn't a member can't accept for the group
        staff_try = await w.facilitator.click(message, custom_id="iop:group:accept:1")
        assert "for members of Tuesday Evening" in text(staff_try)
        result = await accept(w, tuesday, alex)
        assert is_private(result)
        assert "Thank you for accepting" in text(result)
        assert perms(w, alex, tuesday).send_messages
        await alex.send(tuesday, "hi all")
        assert not perms(w, sam, tuesday).send_messages
        rows = await w.db.fetchall("SELECT user_id, agreement_version FROM agreement_acceptances")
        assert [r["user_id"] for r in rows] == [alex.id]
        assert len(rows[0]["agreement_version"]) == 16
        again = await accept(w, tuesday, alex)
        assert "already accepted" in text(again)
        assert await w.count("SELECT COUNT(*) FROM agreement_acceptances") == 1


async def test_moving_a_client_ends_the_old_membership_and_access(tmp_path):
    async with groups_world(tmp_path) as w:
        alex = w.clients[0]
        tuesday = await setup_group(w, members=[alex])
        await accept(w, tuesday, alex)
        thursday = await create_group(w, "Thursday Morning")
        result = await add(w, alex, "Thursday Morning")
        assert "moved from Tuesday Evening" in text(result)
        assert not perms(w, alex, tuesday).view_channel
        assert perms(w, alex, thursday).view_channel
        assert not perms(w, alex, thursday).send_messages  # a new group, a new Accept
        rows = await w.db.fetchall(
            "SELECT cohort_id, left_at, left_reason FROM cohort_members ORDER BY id"
        )
        assert [(r["cohort_id"], r["left_reason"]) for r in rows] == [(1, "moved"), (2, None)]
        assert rows[0]["left_at"] is not None
        cohorts = w.bot.get_cog("GroupsCog").core.cohorts  # type: ignore[union-attr]
        assert await cohorts.channel_for_client(alex.id) == thursday.id
        assert await cohorts.members(1) == []


@pytest.mark.parametrize("who", ["stranger", "family", "facilitator", "unenrolled"])
async def test_only_enrolled_clients_can_be_added(tmp_path, who):
    async with groups_world(tmp_path) as w:
        await enroll_all(w, w.clients[:2])
        await create_group(w)
        before = await w.table_snapshot()
        member = {
            "stranger": w.stranger,
            "family": w.family,
            "facilitator": w.facilitator,
            "unenrolled": w.clients[2],
        }[who]
        result = await w.facilitator.slash(w.staff, "group add", member=member, cohort=GROUP)
        assert is_private(result)
        assert "not an enrolled client" in text(result)
        assert await w.table_snapshot() == before


async def test_add_refuses_unknown_groups_and_repeats(tmp_path):
    async with groups_world(tmp_path) as w:
        alex = w.clients[0]
        await setup_group(w, members=[alex])
        before = await w.table_snapshot()
        unknown = await w.facilitator.slash(w.staff, "group add", member=alex, cohort="Nope")
        assert "no group called 'Nope'" in text(unknown)
        again = await w.facilitator.slash(w.staff, "group add", member=alex, cohort=GROUP)
        assert "already in Tuesday Evening" in text(again)
        long = await w.facilitator.slash(w.staff, "group add", member=alex, cohort="x" * 200)
        assert "existing group" in text(long)
        assert await w.table_snapshot() == before


async def test_remove_and_list(tmp_path):
    async with groups_world(tmp_path) as w:
        alex, sam, _ = w.clients
        tuesday = await setup_group(w, members=[alex, sam])
        listed = await w.facilitator.slash(w.staff, "group list")
        assert "Tuesday Evening" in text(listed) and "2 member(s)" in text(listed)
        result = await w.facilitator.slash(w.staff, "group remove", member=alex)
        assert "Removed Alex from Tuesday Evening" in text(result)
        assert not perms(w, alex, tuesday).view_channel
        assert perms(w, sam, tuesday).view_channel
        before = await w.table_snapshot()
        again = await w.facilitator.slash(w.staff, "group remove", member=alex)
        assert "not in a group" in text(again)
        assert await w.table_snapshot() == before
        listed = await w.facilitator.slash(w.staff, "group list")
        assert "1 member(s)" in text(listed)


async def test_empty_list(tmp_path):
    async with groups_world(tmp_path) as w:
        result = await w.facilitator.slash(w.staff, "group list")
        assert "No groups yet" in text(result)


async def test_discharge_event_removes_the_member_from_their_channel(tmp_path):
    async with groups_world(tmp_path) as w:
        alex = w.clients[0]
        tuesday = await setup_group(w, members=[alex])
        w.bot.dispatch("iop_client_discharged", alex.id)
        await until(w, "SELECT COUNT(*) FROM cohort_members WHERE left_at IS NOT NULL")
        # the channel overwrite is removed after the row commits (a REST call): wait for it
        for _ in range(200):
            if not perms(w, alex, tuesday).view_channel:
                break
            await w.env.settle()
            await asyncio.sleep(0.01)
        assert not perms(w, alex, tuesday).view_channel
        row = await w.db.fetchone("SELECT left_at, left_reason FROM cohort_members")
        assert row["left_reason"] == "discharged" and row["left_at"] is not None
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'group.discharge'") == 1
        # a second dispatch (or one for someone in no group) changes nothing
        before = await w.table_snapshot()
        cog = w.bot.get_cog("GroupsCog")
        await cog.on_client_discharged(alex.id)  # type: ignore[union-attr]
        await cog.on_client_discharged(w.stranger.id)  # type: ignore[union-attr]
        assert await w.table_snapshot() == before


async def test_export_and_delete_user_data(tmp_path):
    async with groups_world(tmp_path) as w:
        alex, sam, _ = w.clients
        tuesday = await setup_group(w, members=[alex, sam])
        await accept(w, tuesday, alex)
        cog = w.bot.get_cog("GroupsCog")
        exported = await cog.export_user_data(alex.id)  # type: ignore[union-attr]
        assert exported["group_memberships"][0]["group"] == GROUP
        assert len(exported["group_agreement_acceptances"]) == 1
        assert await cog.export_user_data(w.stranger.id) == {}  # type: ignore[union-attr]
        report = await cog.delete_user_data(alex.id)  # type: ignore[union-attr]
        assert report.removed["cohort_members"] == 1
        assert report.removed["agreement_acceptances"] == 1
        assert "hours_ledger" not in report.kept  # deleted, not kept
        assert "session_occurrences" in report.kept
        assert not perms(w, alex, tuesday).view_channel
        assert await cog.export_user_data(alex.id) == {}  # type: ignore[union-attr]
        assert await cog.export_user_data(sam.id) != {}  # type: ignore[union-attr]
        assert await cog.purge_expired() == {}  # type: ignore[union-attr]
