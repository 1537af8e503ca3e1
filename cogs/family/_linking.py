"""Linking a family member's Discord account: single-use, expiring codes; never by username.

Only ``HMAC(program key, code)`` is stored (the key lives outside the database,
``bot/keys.py``), so a copy of the database does not let anyone test codes offline. The
code is shown once, ephemerally, to the facilitator who made it, who hands it over outside
Discord. Wrong, reused and expired codes count as failures; past
``max_link_failures_per_hour`` for the person, or ``max_link_failures_per_hour_server``
for everyone together, codes are refused without being checked at all. Failure rows
survive the person's data deletion (they are the limit's memory).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.keys import ProgramKey
from cogs.family._common import Family, log
from cogs.family._spec import SPEC

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no I, L, O, 0, 1
CODE_LENGTH = 8


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_code(key: ProgramKey, code: str) -> str:
    return key.code_digest(normalize_code(code))


def legacy_hash(code: str) -> str:
    """How codes were stored before migration 0014 (those rows are expired)."""
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def shown(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@dataclass(frozen=True, slots=True)
class Invite:
    contact_id: int
    code: str


@dataclass(frozen=True, slots=True)
class LinkResult:
    ok: bool
    message: str
    contact_id: int | None = None


async def create_invite(
    family: Family,
    *,
    client_id: int,
    name: str,
    relationship: str,
    facilitator_id: int,
) -> Invite:
    now = family.now()
    settings = SPEC.section_of(family.services.settings)
    code = new_code(settings.code_length)
    async with family.services.db.transaction() as tx:
        contact_id = await family.contacts.add_contact(
            tx,
            client_id=client_id,
            name=name,
            relationship=relationship,
            created_by=facilitator_id,
            now=now,
        )
        await family.contacts.add_code(
            tx,
            contact_id=contact_id,
            code_hash=hash_code(family.services.key, code),
            expires_at=now + timedelta(days=settings.code_ttl_days),
            now=now,
        )
        await family.services.audit.record(
            tx,
            actor_id=facilitator_id,
            action="family.invite",
            subject_user_id=client_id,
            contact_id=contact_id,
        )
    return Invite(contact_id=contact_id, code=code)


WRONG = (
    "That code didn't match any invitation. Please check it (letters and numbers, "
    "dashes don't matter) or ask the program for a new one."
)
REUSED = (
    "That code has already been used, and each code works only once. If you need to link "
    "another account, please ask the program for a new code."
)
EXPIRED = "That code has expired. Please ask the program for a new one."
LIMITED = (
    "Too many codes didn't work in the last hour, so I'm not checking codes for you right "
    "now. Please wait an hour and try again, or ask the program for help."
)
LIMITED_SERVER = (
    "Too many codes didn't work in the last hour, so I'm not checking codes right now. "
    "Please try again in an hour, or ask the program for help."
)


async def link_account(family: Family, *, user_id: int, code_text: str) -> LinkResult:
    """Check a code typed by ``user_id`` and link their account; every refusal is counted."""
    now = family.now()
    settings = SPEC.section_of(family.services.settings)
    hour_ago = now - timedelta(hours=1)
    async with family.services.db.transaction() as tx:
        failures = await family.contacts.failures_since(tx, user_id, hour_ago)
        if failures >= settings.max_link_failures_per_hour:
            log.warning("family.link_rate_limited", extra={"user_id": user_id})
            return LinkResult(False, LIMITED)
        everyone = await family.contacts.all_failures_since(tx, hour_ago)
        if everyone >= settings.max_link_failures_per_hour_server:
            log.warning("family.link_rate_limited_server", extra={"user_id": user_id})
            return LinkResult(False, LIMITED_SERVER)
        code = await family.contacts.code_by_hash(tx, hash_code(family.services.key, code_text))
        if code is None:
            code = await family.contacts.code_by_hash(tx, legacy_hash(code_text))
        reason, message = None, ""
        if code is None:
            reason, message = "wrong", WRONG
        elif code.used_at is not None:
            reason, message = "reused", REUSED
        elif code.expires_at <= now:
            reason, message = "expired", EXPIRED
        contact = None if code is None else await family.contacts.contact_in(tx, code.contact_id)
        if reason is None and (contact is None or contact.status != "invited"):
            reason, message = "reused", REUSED
        if reason is None and code is not None and contact is not None:
            await family.contacts.use_code(tx, code.id, user_id, now)
            await family.contacts.link(tx, contact.id, user_id, now)
            log.info("family.linked", extra={"user_id": user_id, "contact_id": contact.id})
            return LinkResult(True, "", contact_id=contact.id)
        await family.contacts.add_failure(tx, user_id, now)
    log.info("family.link_refused", extra={"user_id": user_id, "reason": reason})
    return LinkResult(False, message)
