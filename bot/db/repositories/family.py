"""Family contacts, their single-use link codes, link failures, and the client's consents."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.db.codec import day, parse_day, parse_ts, parse_ts_or_none, ts
from bot.db.database import Database, Transaction
from bot.domain.consent import ConsentTerms, require_complete


@dataclass(frozen=True, slots=True)
class FamilyContact:
    id: int
    client_id: int
    name: str
    relationship: str
    user_id: int | None
    linked_at: datetime | None
    status: str
    created_by: int
    created_at: datetime

    @property
    def is_linked(self) -> bool:
        return self.status == "linked" and self.user_id is not None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.relationship})"


@dataclass(frozen=True, slots=True)
class LinkCode:
    id: int
    contact_id: int
    expires_at: datetime
    used_at: datetime | None
    used_by: int | None


@dataclass(frozen=True, slots=True)
class Consent:
    id: int
    terms: ConsentTerms
    granted_at: datetime
    revoked_at: datetime | None
    revoked_by: int | None

    @property
    def client_id(self) -> int:
        return int(self.terms.client_id or 0)

    @property
    def contact_id(self) -> int:
        return int(self.terms.recipient_contact_id or 0)


def _contact(row: sqlite3.Row) -> FamilyContact:
    return FamilyContact(
        id=row["id"],
        client_id=row["client_id"],
        name=row["name"],
        relationship=row["relationship"],
        user_id=row["user_id"],
        linked_at=parse_ts_or_none(row["linked_at"]),
        status=row["status"],
        created_by=row["created_by"],
        created_at=parse_ts(row["created_at"]),
    )


def _consent(row: sqlite3.Row) -> Consent:
    terms = ConsentTerms(
        client_id=row["client_id"],
        discloser=row["discloser"],
        category=row["category"],
        what=row["what"],
        recipient_contact_id=row["recipient_contact_id"],
        recipient_name=row["recipient_name"],
        purpose=row["purpose"],
        expires_on=None if row["expires_on"] is None else parse_day(row["expires_on"]),
        expiry_event=row["expiry_event"],
        revocation=row["revocation"],
        client_confirmed_at=parse_ts(row["client_confirmed_at"]),
    )
    return Consent(
        id=row["id"],
        terms=terms,
        granted_at=parse_ts(row["granted_at"]),
        revoked_at=parse_ts_or_none(row["revoked_at"]),
        revoked_by=row["revoked_by"],
    )


class FamilyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- contacts ---------------------------------------------------------------------

    async def add_contact(
        self,
        tx: Transaction,
        *,
        client_id: int,
        name: str,
        relationship: str,
        created_by: int,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO family_contacts (client_id, name, relationship, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (client_id, name, relationship, created_by, ts(now)),
        )

    async def contact(self, contact_id: int) -> FamilyContact | None:
        row = await self.db.fetchone("SELECT * FROM family_contacts WHERE id = ?", (contact_id,))
        return None if row is None else _contact(row)

    async def contact_in(self, tx: Transaction, contact_id: int) -> FamilyContact | None:
        row = await tx.fetchone("SELECT * FROM family_contacts WHERE id = ?", (contact_id,))
        return None if row is None else _contact(row)

    async def contacts_for_client(self, client_id: int) -> list[FamilyContact]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_contacts WHERE client_id = ? AND status <> 'removed' ORDER BY id",
            (client_id,),
        )
        return [_contact(r) for r in rows]

    async def linked_contacts_in(self, tx: Transaction, client_id: int) -> list[FamilyContact]:
        rows = await tx.fetchall(
            "SELECT * FROM family_contacts WHERE client_id = ? AND status = 'linked' ORDER BY id",
            (client_id,),
        )
        return [_contact(r) for r in rows]

    async def contacts_of_user(self, user_id: int) -> list[FamilyContact]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_contacts WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [_contact(r) for r in rows]

    async def link(self, tx: Transaction, contact_id: int, user_id: int, now: datetime) -> bool:
        return (
            await tx.rowcount(
                "UPDATE family_contacts SET user_id = ?, linked_at = ?, status = 'linked' "
                "WHERE id = ? AND status = 'invited'",
                (user_id, ts(now), contact_id),
            )
            == 1
        )

    async def unlink_user(self, tx: Transaction, user_id: int) -> int:
        return await tx.rowcount(
            "UPDATE family_contacts SET user_id = NULL, linked_at = NULL, status = 'removed' "
            "WHERE user_id = ?",
            (user_id,),
        )

    async def delete_for_client(self, tx: Transaction, client_id: int) -> dict[str, int]:
        """A client's contacts, codes and consents (disclosures are kept elsewhere)."""
        consents = await tx.rowcount(
            "DELETE FROM family_consents WHERE client_id = ?", (client_id,)
        )
        codes = await tx.rowcount(
            "DELETE FROM family_link_codes WHERE contact_id IN "
            "(SELECT id FROM family_contacts WHERE client_id = ?)",
            (client_id,),
        )
        contacts = await tx.rowcount(
            "DELETE FROM family_contacts WHERE client_id = ?", (client_id,)
        )
        return {
            "family_consents": consents,
            "family_link_codes": codes,
            "family_contacts": contacts,
        }

    # ----- link codes -------------------------------------------------------------------

    async def add_code(
        self,
        tx: Transaction,
        *,
        contact_id: int,
        code_hash: str,
        expires_at: datetime,
        now: datetime,
    ) -> int:
        return await tx.execute(
            "INSERT INTO family_link_codes (contact_id, code_hash, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (contact_id, code_hash, ts(now), ts(expires_at)),
        )

    async def code_by_hash(self, tx: Transaction, code_hash: str) -> LinkCode | None:
        row = await tx.fetchone("SELECT * FROM family_link_codes WHERE code_hash = ?", (code_hash,))
        if row is None:
            return None
        return LinkCode(
            id=row["id"],
            contact_id=row["contact_id"],
            expires_at=parse_ts(row["expires_at"]),
            used_at=parse_ts_or_none(row["used_at"]),
            used_by=row["used_by"],
        )

    async def use_code(self, tx: Transaction, code_id: int, user_id: int, now: datetime) -> bool:
        """Mark a code used; False if it was already used (single use, race-safe)."""
        return (
            await tx.rowcount(
                "UPDATE family_link_codes SET used_at = ?, used_by = ? "
                "WHERE id = ? AND used_at IS NULL",
                (ts(now), user_id, code_id),
            )
            == 1
        )

    async def purge_codes(self, tx: Transaction, now: datetime) -> int:
        return await tx.rowcount(
            "DELETE FROM family_link_codes WHERE used_at IS NOT NULL OR expires_at <= ?",
            (ts(now),),
        )

    async def delete_codes_used_by(self, tx: Transaction, user_id: int) -> int:
        return await tx.rowcount("DELETE FROM family_link_codes WHERE used_by = ?", (user_id,))

    # ----- link failures ----------------------------------------------------------------

    async def add_failure(self, tx: Transaction, user_id: int, now: datetime) -> None:
        await tx.execute(
            "INSERT INTO family_link_failures (user_id, at) VALUES (?, ?)", (user_id, ts(now))
        )

    async def failures_since(self, tx: Transaction, user_id: int, since: datetime) -> int:
        row = await tx.fetchone(
            "SELECT COUNT(*) AS n FROM family_link_failures WHERE user_id = ? AND at > ?",
            (user_id, ts(since)),
        )
        return 0 if row is None else int(row["n"])

    async def all_failures_since(self, tx: Transaction, since: datetime) -> int:
        row = await tx.fetchone(
            "SELECT COUNT(*) AS n FROM family_link_failures WHERE at > ?", (ts(since),)
        )
        return int(row["n"]) if row else 0

    async def purge_failures(self, tx: Transaction, before: datetime) -> int:
        return await tx.rowcount("DELETE FROM family_link_failures WHERE at < ?", (ts(before),))

    # ----- consents ---------------------------------------------------------------------

    async def add_consent(self, tx: Transaction, terms: ConsentTerms, now: datetime) -> int:
        """Save a complete consent (the domain check, then the table's CHECKs)."""
        require_complete(terms)
        assert terms.client_confirmed_at is not None  # noqa: S101 - guaranteed above
        return await tx.execute(
            "INSERT INTO family_consents (client_id, discloser, category, what, "
            "recipient_contact_id, recipient_name, purpose, expires_on, expiry_event, "
            "revocation, client_confirmed_at, granted_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                terms.client_id,
                terms.discloser,
                terms.category,
                terms.what,
                terms.recipient_contact_id,
                terms.recipient_name,
                terms.purpose,
                None if terms.expires_on is None else day(terms.expires_on),
                terms.expiry_event,
                terms.revocation,
                ts(terms.client_confirmed_at),
                ts(now),
            ),
        )

    async def consent(self, consent_id: int) -> Consent | None:
        row = await self.db.fetchone("SELECT * FROM family_consents WHERE id = ?", (consent_id,))
        return None if row is None else _consent(row)

    async def consent_in(self, tx: Transaction, consent_id: int) -> Consent | None:
        row = await tx.fetchone("SELECT * FROM family_consents WHERE id = ?", (consent_id,))
        return None if row is None else _consent(row)

    async def unrevoked_for_contact(self, tx: Transaction, contact_id: int) -> list[Consent]:
        rows = await tx.fetchall(
            "SELECT * FROM family_consents WHERE recipient_contact_id = ? AND revoked_at IS NULL "
            "ORDER BY id",
            (contact_id,),
        )
        return [_consent(r) for r in rows]

    async def consents_for_client(self, client_id: int) -> list[Consent]:
        rows = await self.db.fetchall(
            "SELECT * FROM family_consents WHERE client_id = ? ORDER BY id", (client_id,)
        )
        return [_consent(r) for r in rows]

    async def revoke(
        self, tx: Transaction, consent_id: int, by_user_id: int, now: datetime
    ) -> bool:
        return (
            await tx.rowcount(
                "UPDATE family_consents SET revoked_at = ?, revoked_by = ? "
                "WHERE id = ? AND revoked_at IS NULL",
                (ts(now), by_user_id, consent_id),
            )
            == 1
        )
