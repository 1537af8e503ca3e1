"""The data contract: export, delete (the accounting of disclosures is kept), purge."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from bot.cogbase import DeletionReport
from bot.db.repositories.family_sessions import FamilySession
from bot.domain.text import shown_name
from cogs.family._common import NOTICE_KIND, Family
from cogs.family._spec import DISCLOSURES_DAYS, FAILURE_DAYS

OWNED_TABLES = (
    "family_contacts",
    "family_link_codes",
    "family_link_failures",
    "family_consents",
    "family_sessions",
    "family_responses",
    "family_disclosures",
)
KEPT_REASON = (
    "accounting of disclosures required by 42 CFR Part 2 (§2.24/§2.31); kept 6 years "
    "(retention.disclosures_days), then purged"
)
KEPT_FAILURES = (
    "family-link codes that didn't work: a security record for the guessing limit; kept "
    "family.link_failures_keep_days (7 days by default), then purged"
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def display_names(family: Family, sessions: list[FamilySession]) -> dict[int, str]:
    names: dict[int, str] = {}
    for session in sessions:
        if session.client_id not in names:
            client = await family.services.clients.get(session.client_id)
            names[session.client_id] = shown_name(client.display_name) if client else "(removed)"
            for contact in await family.contacts.contacts_for_client(session.client_id):
                if contact.user_id is not None:
                    names[contact.user_id] = shown_name(contact.label)
    return names


async def export(family: Family, user_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    contacts = await family.contacts.contacts_for_client(user_id)
    consents = await family.contacts.consents_for_client(user_id)
    sessions = await family.sessions.for_client(user_id)
    if contacts or consents or sessions:
        data["family_contacts"] = [
            {k: v for k, v in asdict(c).items() if k != "created_by"} for c in contacts
        ]
        data["family_consents"] = [
            {**asdict(c.terms), "id": c.id, "granted_at": c.granted_at, "revoked_at": c.revoked_at}
            for c in consents
        ]
        data["family_sessions"] = [
            {**asdict(s), "responses": [asdict(r) for r in await family.sessions.responses(s.id)]}
            for s in sessions
        ]
        data["family_disclosures"] = [
            asdict(d) for d in await family.sessions.disclosures_for_client(user_id)
        ]
    links = await family.contacts.contacts_of_user(user_id)
    if links:
        data["family_links"] = [
            {
                "contact_id": c.id,
                "name": c.name,
                "relationship": c.relationship,
                "linked_at": c.linked_at,
                "status": c.status,
            }
            for c in links
        ]
        data["family_responses"] = [asdict(r) for r in await family.sessions.responses_by(user_id)]
    return _plain(data)  # type: ignore[no-any-return]


async def delete(family: Family, user_id: int) -> DeletionReport:
    """As a client: contacts, codes, consents, sessions, answers. As a family member:
    the link and their answers. Disclosures are kept (the law); failed-code records are
    kept until the purge (a deletion must not reset the guessing limit)."""
    report = DeletionReport()
    outbox = family.services.outbox
    async with family.services.db.transaction() as tx:
        report.removed.update(await family.sessions.delete_for_client(tx, user_id))
        report.removed.update(await family.contacts.delete_for_client(tx, user_id))
        report.removed["family_responses"] = report.removed.get(
            "family_responses", 0
        ) + await family.sessions.delete_responses_by(tx, user_id)
        report.removed["family_link_codes"] += await family.contacts.delete_codes_used_by(
            tx, user_id
        )
        report.removed["family_contacts"] += await family.contacts.unlink_user(tx, user_id)
        await outbox.cancel(tx, kind=NOTICE_KIND, subject_user_id=user_id)
        await outbox.cancel(tx, kind=NOTICE_KIND, target_id=user_id)
    report.kept["family_disclosures"] = KEPT_REASON
    report.kept["family_link_failures"] = KEPT_FAILURES
    return report


async def purge(family: Family) -> dict[str, int]:
    now = family.now()
    settings = family.services.settings
    async with family.services.db.transaction() as tx:
        codes = await family.contacts.purge_codes(tx, now)
        failures = await family.contacts.purge_failures(
            tx, now - timedelta(days=FAILURE_DAYS.days(settings))
        )
        disclosures = await family.sessions.purge_disclosures(
            tx, now - timedelta(days=DISCLOSURES_DAYS.days(settings)), now
        )
    return {
        "family_link_codes": codes,
        "family_link_failures": failures,
        "family_disclosures": disclosures,
    }
