"""Family repositories on a real migrated SQLite file: CHECKs refuse an incomplete consent,
the accounting of disclosures is append-only and one row per outbox notice."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db.database import Database
from bot.db.repositories.family import FamilyRepository
from bot.db.repositories.family_sessions import FamilySessionRepository
from bot.domain.consent import IncompleteConsent, standard_terms

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def _contact(db: Database, repo: FamilyRepository, client_id: int = 11) -> int:
    async with db.transaction() as tx:
        contact_id = await repo.add_contact(
            tx, client_id=client_id, name="Jordan", relationship="parent", created_by=1, now=NOW
        )
        await repo.link(tx, contact_id, 99, NOW)
    return contact_id


def _terms(contact_id: int, **change: object):
    terms = standard_terms(
        client_id=11,
        program_name="Sunrise Recovery IOP",
        recipient_contact_id=contact_id,
        recipient_name="Jordan (parent)",
        expires_on=date(2026, 8, 29),
        confirmed_at=NOW,
    )
    return dataclasses.replace(terms, **change)


async def test_a_complete_consent_round_trips(db):
    repo = FamilyRepository(db)
    contact_id = await _contact(db, repo)
    async with db.transaction() as tx:
        consent_id = await repo.add_consent(tx, _terms(contact_id), NOW)
    consent = await repo.consent(consent_id)
    assert consent is not None
    assert consent.terms == _terms(contact_id)
    assert consent.granted_at == NOW and consent.revoked_at is None


async def test_the_repository_refuses_an_incomplete_consent(db):
    repo = FamilyRepository(db)
    contact_id = await _contact(db, repo)
    with pytest.raises(IncompleteConsent):
        async with db.transaction() as tx:
            await repo.add_consent(tx, _terms(contact_id, client_confirmed_at=None), NOW)
    assert await db.fetchval("SELECT COUNT(*) FROM family_consents") == 0


COLUMNS = (
    "client_id, discloser, category, what, recipient_contact_id, recipient_name, purpose, "
    "expires_on, expiry_event, revocation, client_confirmed_at, granted_at"
)
COMPLETE = {
    "client_id": 11,
    "discloser": "Sunrise Recovery IOP",
    "category": "family_session_logistics",
    "what": "family-therapy session date, time and place or video link",
    "recipient_contact_id": None,  # filled per test
    "recipient_name": "Jordan (parent)",
    "purpose": "coordinating family therapy",
    "expires_on": "2026-08-29",
    "expiry_event": None,
    "revocation": "Revoke with /family consent revoke or tell a facilitator.",
    "client_confirmed_at": NOW.isoformat(),
    "granted_at": NOW.isoformat(),
}


@pytest.mark.parametrize(
    "change",
    [
        {"client_id": None},
        {"discloser": "  "},
        {"category": "check-ins"},
        {"what": ""},
        {"recipient_name": ""},
        {"purpose": ""},
        {"expires_on": None},
        {"expires_on": None, "expiry_event": "someday"},
        {"revocation": ""},
        {"client_confirmed_at": None},
        {"recipient_contact_id": 12345},  # no such contact (foreign key)
    ],
    ids=lambda c: ",".join(c),
)
async def test_the_table_checks_refuse_an_incomplete_record(db, change):
    contact_id = await _contact(db, FamilyRepository(db))
    values = {**COMPLETE, "recipient_contact_id": contact_id, **change}
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as tx:
            await tx.execute(
                f"INSERT INTO family_consents ({COLUMNS}) VALUES ({', '.join('?' * 12)})",  # noqa: S608
                tuple(values.values()),
            )
    assert await db.fetchval("SELECT COUNT(*) FROM family_consents") == 0


async def _disclose(db: Database, sessions: FamilySessionRepository, outbox_id: int) -> bool:
    async with db.transaction() as tx:
        return await sessions.record_disclosure(
            tx,
            disclosed_at=NOW,
            client_id=11,
            recipient_contact_id=1,
            recipient_user_id=99,
            recipient_name="Jordan (parent)",
            category="family_session_logistics",
            purpose="coordinating family therapy",
            consent_id=1,
            sender="Sunrise Recovery IOP (iopbot)",
            outbox_id=outbox_id,
            session_id=1,
            stage="scheduled-v1-c1",
        )


async def test_disclosures_are_append_only_and_one_per_notice(db):
    sessions = FamilySessionRepository(db)
    assert await _disclose(db, sessions, outbox_id=7)
    assert not await _disclose(db, sessions, outbox_id=7)
    assert await db.fetchval("SELECT COUNT(*) FROM family_disclosures") == 1
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        async with db.transaction() as tx:
            await tx.execute("UPDATE family_disclosures SET recipient_name = 'someone else'")
    (row,) = await sessions.disclosures_for_client(11)
    assert row.recipient_name == "Jordan (parent)" and row.outbox_id == 7


async def test_deleting_a_clients_family_data_keeps_the_disclosures(db):
    repo, sessions = FamilyRepository(db), FamilySessionRepository(db)
    contact_id = await _contact(db, repo)
    async with db.transaction() as tx:
        await repo.add_consent(tx, _terms(contact_id), NOW)
        await sessions.add(
            tx,
            client_id=11,
            facilitator_id=1,
            facilitator_name="Dana",
            starts_at=NOW + timedelta(days=3),
            duration_minutes=60,
            place="Room 2",
            now=NOW,
        )
    await _disclose(db, sessions, outbox_id=1)
    async with db.transaction() as tx:
        removed = await repo.delete_for_client(tx, 11)
        removed |= await sessions.delete_for_client(tx, 11)
    assert removed["family_contacts"] == 1 and removed["family_consents"] == 1
    assert removed["family_sessions"] == 1
    assert await db.fetchval("SELECT COUNT(*) FROM family_disclosures") == 1


async def test_codes_are_single_use(db):
    repo = FamilyRepository(db)
    contact_id = await _contact(db, repo)
    async with db.transaction() as tx:
        code_id = await repo.add_code(
            tx,
            contact_id=contact_id,
            code_hash="a" * 64,
            expires_at=NOW + timedelta(days=7),
            now=NOW,
        )
        assert await repo.use_code(tx, code_id, 99, NOW)
        assert not await repo.use_code(tx, code_id, 100, NOW)
        assert await repo.purge_codes(tx, NOW) == 1


async def test_a_contact_links_only_once(db):
    repo = FamilyRepository(db)
    async with db.transaction() as tx:
        contact_id = await repo.add_contact(
            tx, client_id=11, name="Jordan", relationship="parent", created_by=1, now=NOW
        )
        assert await repo.link(tx, contact_id, 99, NOW)
        assert not await repo.link(tx, contact_id, 100, NOW)
    contact = await repo.contact(contact_id)
    assert contact is not None and contact.user_id == 99 and contact.is_linked
