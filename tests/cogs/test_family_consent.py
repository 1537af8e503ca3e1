"""The client's consent: every element shown, saved only on Confirm, only for their own
contacts; revocation takes effect at once; consent is checked again when sending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.repositories.family import FamilyRepository
from bot.services.notices import Notice
from bot.services.outbox import DM
from tests.cogs.family_helpers import (
    enroll,
    family_world,
    grant,
    invite,
    link,
    linked_family,
    move_to,
    outbox_rows,
    schedule,
    staff_texts,
)


async def test_grant_shows_every_element_and_saves_only_on_confirm(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex, consent=False)
        shown = await alex.slash(w.cohort, "family consent grant", contact=linked.contact_id)
        assert shown.ephemeral
        embed = shown.response.embeds[0]
        fields = {f.name: f.value for f in embed.fields}
        assert set(fields) == {
            "Whose information",
            "Who shares",
            "What",
            "To whom",
            "Purpose",
            "Until",
            "Your right to revoke",
            "Signing is your choice",
            "Sharing further",
            "Your confirmation",
        }
        assert "Alex" in fields["Whose information"]
        assert "the name you use here" in fields["Whose information"]  # none recorded yet
        assert "in writing" in fields["Your right to revoke"]
        assert "do not depend on" in fields["Signing is your choice"]
        assert "March 2, 2026" in fields["Your confirmation"]  # the date it is signed
        assert "Test IOP" in fields["Who shares"]
        assert "its date and time; its length; its place or video link" in fields["What"]
        assert fields["To whom"] == "Jordan (parent)"
        assert fields["Purpose"] == "Coordinating family therapy"
        assert "August 29, 2026" in fields["Until"]  # 180 days from 2026-03-02
        assert "/family consent revoke" in fields["Your right to revoke"]
        assert "facilitator" in fields["Your right to revoke"]
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 0
        await alex.click(shown.response, custom_id="iop:family:consent:no")
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 0
        saved = await grant(w, alex, linked.contact_id, expires_on="2026-06-30")
        assert "Saved" in saved and "June 30, 2026" in saved
        row = await w.db.fetchone("SELECT * FROM family_consents")
        assert row["client_id"] == alex.id
        assert row["discloser"] == "Test IOP"
        assert row["recipient_contact_id"] == linked.contact_id
        assert row["expires_on"] == "2026-06-30"
        assert row["client_confirmed_at"] == "2026-03-02T12:00:00.000000+00:00"
        assert row["revoked_at"] is None


async def test_a_client_cannot_grant_consent_for_someone_elses_family_member(tmp_path):
    async with family_world(tmp_path) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, sam)
        linked = await linked_family(w, alex, consent=False)
        refused = await sam.slash(w.cohort, "family consent grant", contact=linked.contact_id)
        assert refused.ephemeral
        assert "isn't one of your family contacts" in refused.response.content
        assert not refused.response.components
        # Even pressing a Confirm button made for that contact is refused.
        shown = await alex.slash(w.cohort, "family consent grant", contact=linked.contact_id)
        custom_id = shown.response.components[0]["components"][0]["custom_id"]
        own = await invite(w, sam, name="Pat", relationship="partner")
        assert "You're linked" in await link(w, w.stranger, own.code)
        sams = await sam.slash(w.cohort, "family consent grant", contact=own.contact_id)
        forged = sams.response.components[0]["components"][0]["custom_id"]
        assert forged != custom_id
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 0
        # Nor can sam revoke alex's consent, once alex gives it.
        assert "Saved" in await grant(w, alex, linked.contact_id)
        revoke = await sam.slash(w.cohort, "family consent revoke", contact=linked.contact_id)
        assert "isn't one of your family contacts" in revoke.response.content
        assert await w.count("SELECT COUNT(*) FROM family_consents WHERE revoked_at IS NULL") == 1


async def test_consent_needs_a_linked_contact_and_a_valid_end_date(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        linked = await invite(w, alex)
        refused = await alex.slash(w.cohort, "family consent grant", contact=linked.contact_id)
        assert "hasn't linked their account yet" in refused.response.content
        assert "You're linked" in await link(w, w.family, linked.code)
        for bad in ("2026-02-01", "2029-01-01", "next week"):
            result = await alex.slash(
                w.cohort, "family consent grant", contact=linked.contact_id, expires_on=bad
            )
            assert not result.response.components, bad
        assert await w.count("SELECT COUNT(*) FROM family_consents") == 0


async def test_revoke_cancels_queued_notices_at_once_and_tells_the_facilitator(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex)
        await schedule(w, alex)
        await w.run_due_work()
        assert len(w.dms(w.family)) == 1
        result = await alex.slash(w.cohort, "family consent revoke", contact=linked.contact_id)
        assert "revoked" in result.response.content
        assert "2 queued notice(s)" in result.response.content
        await w.run_due_work()
        family_rows = [r for r in await outbox_rows(w) if r["target_id"] == w.family.id]
        assert [r["status"] for r in family_rows] == ["sent", "cancelled", "cancelled"]
        staff = staff_texts(w)
        assert len(staff) == 1 and "revoked consent for Jordan (parent)" in staff[0]
        await w.advance(timedelta(days=4), step=timedelta(hours=1))
        assert len(w.dms(w.family)) == 1
        assert len(w.dms(alex)) == 3  # the client still gets all three
        listed = await alex.slash(w.cohort, "family consent list")
        assert "no consent in force" in listed.response.content


async def test_a_notice_queued_under_valid_consent_is_blocked_if_revoked_before_sending(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        await schedule(w, alex)  # Thursday 2026-03-05 18:00 New York = 23:00 UTC
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 1
        # Revoked without touching the queue (e.g. while the dispatcher held the batch):
        # the send-time check is what stops the notice.
        repo = FamilyRepository(w.db)
        async with w.db.transaction() as tx:
            row = await tx.fetchone("SELECT id FROM family_consents")
            consent_id = int(row["id"])
            assert await repo.revoke(tx, consent_id, alex.id, w.clock.now())
        await move_to(w, datetime(2026, 3, 4, 23, 0, tzinfo=UTC))  # the 24 h reminder
        family_rows = [r for r in await outbox_rows(w) if r["target_id"] == w.family.id]
        reminder = next(r for r in family_rows if "remind24h" in r["dedupe_key"])
        assert reminder["status"] == "blocked_consent"
        assert reminder["error"] == "consent was revoked"
        assert len(w.dms(w.family)) == 1  # only the first notice, sent before revocation
        staff = staff_texts(w)
        assert len(staff) == 1
        assert "to Jordan (parent) was not sent: consent was revoked" in staff[0]
        assert f"<@{w.facilitator.id}>" in staff[0]
        # One disclosure per notice sent, none for the blocked one.
        await move_to(w, datetime(2026, 3, 5, 22, 0, tzinfo=UTC))
        sent = [r for r in await outbox_rows(w) if r["target_id"] == w.family.id]
        assert [r["status"] for r in sent] == ["sent", "blocked_consent", "blocked_consent"]
        assert len(staff_texts(w)) == 1  # one message per session version and person
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 1


async def test_consent_list_shows_what_is_in_force(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        await invite(w, alex, name="Casey", relationship="sibling")
        listed = await alex.slash(w.cohort, "family consent list")
        text = listed.response.content
        assert listed.ephemeral
        assert "Jordan (parent)" in text and "consent in force" in text
        assert "Casey (sibling)" in text and "hasn't linked" in text


async def test_an_expired_consent_stops_notices(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex, consent=False)
        assert "Saved" in await grant(w, alex, linked.contact_id, expires_on="2026-03-03")
        await schedule(w, alex, start="2026-03-10 18:00")
        await w.advance(timedelta(days=9), step=timedelta(hours=1))
        assert len(w.dms(w.family)) == 1  # announced while in force; nothing after it ended
        assert len(w.dms(alex)) == 3


async def test_a_facilitator_can_record_a_revocation_the_client_told_them_about(tmp_path):
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        linked = await linked_family(w, alex)
        result = await w.facilitator.slash(
            w.staff, "family consent revoke", contact=linked.contact_id
        )
        assert "revoked" in result.response.content
        await w.run_due_work()
        assert f"(recorded by <@{w.facilitator.id}>)" in staff_texts(w)[0]
        assert (
            await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'family.consent_revoke'")
            == 1
        )
        assert await w.count("SELECT COUNT(*) FROM family_consents WHERE revoked_at IS NULL") == 0


async def test_a_family_notice_without_consent_on_the_row_is_blocked_not_sent(tmp_path):
    """Fail closed: a family_notice row for anyone but the client, carrying no consent,
    is blocked at send time (and not written to the accounting)."""
    async with family_world(tmp_path) as w:
        alex = w.clients[0]
        await linked_family(w, alex)
        async with w.db.transaction() as tx:
            for user_id, key in ((w.family.id, "family:test:family"), (alex.id, "family:test:own")):
                await w.bot.services.outbox.enqueue(
                    tx,
                    dedupe_key=key,
                    kind="family_notice",
                    target=DM(user_id),
                    notice=Notice(content="A family therapy session has been scheduled."),
                    subject_user_id=alex.id,
                )
        await w.run_due_work()
        rows = {r["dedupe_key"]: r for r in await outbox_rows(w)}
        assert rows["family:test:family"]["status"] == "blocked_consent"
        assert rows["family:test:family"]["error"] == "no consent on record"
        assert rows["family:test:own"]["status"] == "sent"  # the client's own copy
        assert w.dms(w.family) == []
        assert await w.count("SELECT COUNT(*) FROM family_disclosures") == 0
