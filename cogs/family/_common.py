"""What every part of the family feature shares: repositories, consent state, staff notes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.family import Consent, FamilyContact, FamilyRepository
from bot.db.repositories.family_sessions import FamilySessionRepository
from bot.domain.consent import ConsentState, ends_at, state_at
from bot.services.container import Services
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget

log = logging.getLogger("iopbot.family")

NOTICE_KIND = "family_notice"
STAFF_KIND = "family_staff"


@dataclass(frozen=True, slots=True)
class Family:
    """The services plus the family repositories (built from the same database)."""

    services: Services
    contacts: FamilyRepository
    sessions: FamilySessionRepository

    @classmethod
    def of(cls, services: Services) -> Family:
        return cls(services, FamilyRepository(services.db), FamilySessionRepository(services.db))

    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def sender(self) -> str:
        return f"{self.services.settings.program.name} (iopbot)"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who gets a session's notices: the client (no consent needed) or a family contact."""

    user_id: int
    contact: FamilyContact | None = None
    consent: Consent | None = None


def consent_state(
    family: Family, consent: Consent, client: Client | None, at: datetime
) -> ConsentState:
    return state_at(
        consent.terms,
        granted_at=consent.granted_at,
        revoked_at=consent.revoked_at,
        at=at,
        zone=family.services.settings.program.timezone,
        client_active=client is not None and client.is_active,
    )


def consent_end(family: Family, consent: Consent) -> datetime | None:
    expires_on = consent.terms.expires_on
    if expires_on is None:
        return None
    return ends_at(expires_on, family.services.settings.program.timezone)


async def consent_in_force(
    family: Family, tx: Transaction, contact: FamilyContact, at: datetime
) -> Consent | None:
    """The consent in force for ``contact`` at ``at`` (at most one by construction)."""
    client = await family.services.clients.get_in(tx, contact.client_id)
    for consent in await family.contacts.unrevoked_for_contact(tx, contact.id):
        if consent_state(family, consent, client, at) is ConsentState.IN_FORCE:
            return consent
    return None


async def recipients(
    family: Family, tx: Transaction, client_id: int, at: datetime
) -> list[Recipient]:
    """The client, then each linked contact whose consent is in force at ``at``."""
    found = [Recipient(user_id=client_id)]
    for contact in await family.contacts.linked_contacts_in(tx, client_id):
        consent = await consent_in_force(family, tx, contact, at)
        if consent is not None and contact.user_id is not None:
            found.append(Recipient(user_id=contact.user_id, contact=contact, consent=consent))
    return found


async def tell_staff(
    family: Family,
    tx: Transaction,
    *,
    dedupe_key: str,
    content: str,
    subject_user_id: int,
    mention_user_id: int | None = None,
) -> None:
    """One message in the staff channel (facilitators only), through the outbox."""
    channel_id = family.services.settings.channels.staff_alerts
    if channel_id is None:
        log.error("family.no_staff_channel", extra={"subject_user_id": subject_user_id})
        return
    if mention_user_id is not None:
        content = f"<@{mention_user_id}> {content}"
    await family.services.outbox.enqueue(
        tx,
        dedupe_key=dedupe_key,
        kind=STAFF_KIND,
        target=ChannelTarget(channel_id),
        notice=Notice(
            content=content,
            mention_user_ids=(mention_user_id,) if mention_user_id is not None else (),
        ),
        subject_user_id=subject_user_id,
    )
