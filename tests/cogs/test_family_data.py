"""The family cog's data contract and lifecycle: export, delete (disclosures kept), purge,
reload without doubling jobs or hooks."""

from __future__ import annotations

from datetime import timedelta

from bot.services.dispatcher import KindHooks
from tests.cogs.family_helpers import (
    family_world,
    invite,
    link,
    linked_family,
    schedule,
)


def family_cog(w):
    return w.bot.get_cog("FamilyCog")


async def test_export_for_a_client_and_for_a_family_member(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex)
        await schedule(w, alex)
        await w.run_due_work()
        cog = family_cog(w)
        data = await cog.export_user_data(alex.id)
        assert [c["id"] for c in data["family_contacts"]] == [linked.contact_id]
        consent = data["family_consents"][0]
        for element in (
            "discloser",
            "what",
            "recipient_name",
            "purpose",
            "expires_on",
            "revocation",
            "client_confirmed_at",
            "granted_at",
        ):
            assert consent[element]
        assert len(data["family_sessions"]) == 1
        assert len(data["family_disclosures"]) == 1
        mine = await cog.export_user_data(w.family.id)
        assert mine["family_links"][0]["contact_id"] == linked.contact_id
        assert "family_disclosures" not in mine
        assert await cog.export_user_data(w.stranger.id) == {}


async def test_deleting_a_client_keeps_the_accounting_of_disclosures(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        await schedule(w, alex)
        await w.run_due_work()
        report = await family_cog(w).delete_user_data(alex.id)
        assert report.removed["family_contacts"] == 1
        assert report.removed["family_consents"] == 1
        assert report.removed["family_sessions"] == 1
        assert "42 CFR Part 2" in report.kept["family_disclosures"]
        assert "6 years" in report.kept["family_disclosures"]
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 1
        assert await w.count("SELECT COUNT(*) FROM family_contacts") == 0
        pending = "SELECT COUNT(*) FROM outbox WHERE kind = 'family_notice' AND status = 'pending'"
        assert await w.count(pending) == 0


async def test_deleting_a_family_member_unlinks_them_and_keeps_disclosures(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        await schedule(w, alex)
        await w.run_due_work()
        report = await family_cog(w).delete_user_data(w.family.id)
        assert report.removed["family_contacts"] == 1
        assert "family_disclosures" in report.kept
        row = await w.db.fetchone("SELECT user_id, status FROM family_contacts")
        assert row["user_id"] is None and row["status"] == "removed"
        await w.advance(timedelta(days=4), step=timedelta(hours=1))
        assert len(w.dms(w.family)) == 1
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 1


async def test_purge_removes_codes_old_failures_and_only_very_old_disclosures(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)  # one used code
        await invite(w, alex, name="Casey", relationship="sibling")  # one unused code
        await link(w, w.stranger, "WRONG-CODE")  # one failure
        await schedule(w, alex)
        await w.run_due_work()
        cog = family_cog(w)
        assert await cog.purge_expired() == {
            "family_link_codes": 1,
            "family_link_failures": 0,
            "family_disclosures": 0,
        }
        w.clock.set(w.clock.now() + timedelta(days=8))
        counts = await cog.purge_expired()
        assert counts["family_link_codes"] == 1 and counts["family_link_failures"] == 1
        assert counts["family_disclosures"] == 0
        w.clock.set(w.clock.now() + timedelta(days=365 * 6))
        assert (await cog.purge_expired())["family_disclosures"] == 1


async def test_reloading_the_extension_does_not_double_jobs_or_hooks(tmp_path):
    async with family_world(tmp_path) as w:
        before = w.bot.services.jobs.job_ids()
        assert "family:plan" in before
        for _ in range(2):
            await w.bot.reload_extension("cogs.family")
        assert w.bot.services.jobs.job_ids() == before
        hooks = w.bot.services.dispatcher._hooks["family_notice"]
        assert isinstance(hooks, KindHooks) and hooks.check is not None
        await w.bot.unload_extension("cogs.family")
        assert "family_notice" not in w.bot.services.dispatcher._hooks
        assert "family:plan" not in w.bot.services.jobs.job_ids()


async def test_staff_lookups_of_someone_who_is_not_a_client_are_refused_without_an_audit_row(
    tmp_path,
):
    from tests.harness import program_world

    async with program_world(tmp_path, cogs=("clients", "family")) as w:
        before = await w.table_snapshot()
        for command in ("family contacts", "family disclosures-export"):
            result = await w.facilitator.slash(w.cohort, command, client=w.stranger)
            assert result.ephemeral
            text = result.response.content
            assert "is not a client" in text or "Only clients in the program" in text
        assert await w.table_snapshot() == before
