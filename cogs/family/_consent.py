"""The client's consent: a summary of every element, saved only on Confirm; revoked at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import discord

from bot.db.repositories.family import FamilyContact
from bot.domain.consent import ConsentState, ConsentTerms, expiry_text, standard_terms
from bot.domain.dates import parse_date
from bot.domain.localtime import local_date
from bot.domain.text import shown_name
from bot.services.errors import UserError
from cogs.family._common import NOTICE_KIND, Family, consent_in_force, consent_state, tell_staff
from cogs.family._render import consent_summary_embed
from cogs.family._sessions import queue_for_upcoming
from cogs.family._spec import SPEC

MAX_CONSENT_DAYS = 730


def confirm_custom_id(contact_id: int, expires_on: date) -> str:
    return f"iop:family:consent:ok:{contact_id}:{expires_on:%Y%m%d}"


CANCEL_CUSTOM_ID = "iop:family:consent:no"


@dataclass(frozen=True, slots=True)
class GrantPreview:
    terms: ConsentTerms
    embed: discord.Embed
    confirm_id: str


async def own_linked_contact(family: Family, user_id: int, contact_id: int) -> FamilyContact:
    """``contact_id`` if it is one of ``user_id``'s own, linked family contacts."""
    client = await family.services.clients.get(user_id)
    if client is None or not client.is_active:
        raise UserError("Only clients in the program can give or change family consent.")
    contact = await family.contacts.contact(contact_id)
    if contact is None or contact.client_id != user_id or contact.status == "removed":
        raise UserError("That isn't one of your family contacts. /family consent list shows yours.")
    if not contact.is_linked:
        raise UserError(
            f"{shown_name(contact.name)} hasn't linked their account yet. You can give consent "
            "once "
            "they have used the code the program gave them."
        )
    return contact


def choose_expiry(family: Family, text: str | None) -> date:
    today = local_date(family.now(), family.services.settings.program.timezone)
    if not text:
        return today + timedelta(
            days=SPEC.section_of(family.services.settings).consent_default_days
        )
    value = parse_date(text)
    if value < today:
        raise UserError("The end date of a consent can't be in the past.")
    if value > today + timedelta(days=MAX_CONSENT_DAYS):
        raise UserError(
            f"A consent can last at most {MAX_CONSENT_DAYS} days; please pick an earlier end date."
        )
    return value


async def preview_grant(
    family: Family, *, user_id: int, contact_id: int, expires_text: str | None
) -> GrantPreview:
    contact = await own_linked_contact(family, user_id, contact_id)
    expires_on = choose_expiry(family, expires_text)
    async with family.services.db.transaction() as tx:
        current = await consent_in_force(family, tx, contact, family.now())
    if current is not None:
        raise UserError(
            f"Your consent for {shown_name(contact.label)} is already in force, "
            f"{expiry_text(current.terms)}. To change it, revoke it and give it again."
        )
    terms = standard_terms(
        client_id=user_id,
        program_name=family.services.settings.program.name,
        recipient_contact_id=contact.id,
        recipient_name=contact.label,
        expires_on=expires_on,
    )
    client = await family.services.clients.get(user_id)
    embed = consent_summary_embed(
        terms,
        client_name=client.document_name if client else f"member {user_id}",
        name_recorded=client is not None and client.record_name is not None,
        signed_on=local_date(family.now(), family.services.settings.program.timezone),
    )
    return GrantPreview(terms, embed, confirm_custom_id(contact.id, expires_on))


async def confirm_grant(
    family: Family, *, user_id: int, contact_id: int, expires_on: date
) -> ConsentTerms:
    """The client pressed Confirm: check everything again, then save the full record."""
    contact = await own_linked_contact(family, user_id, contact_id)
    today = local_date(family.now(), family.services.settings.program.timezone)
    if expires_on < today:
        raise UserError("This summary is out of date. Please run /family consent grant again.")
    if expires_on > today + timedelta(days=MAX_CONSENT_DAYS):
        # Only a crafted button id can carry this: the summary never offers it.
        raise UserError(
            f"A consent can last at most {MAX_CONSENT_DAYS} days, so nothing was saved. "
            "Please run /family consent grant again."
        )
    now = family.now()
    terms = standard_terms(
        client_id=user_id,
        program_name=family.services.settings.program.name,
        recipient_contact_id=contact.id,
        recipient_name=contact.label,
        expires_on=expires_on,
        confirmed_at=now,
    )
    async with family.services.db.transaction() as tx:
        if await consent_in_force(family, tx, contact, now) is not None:
            raise UserError(f"Your consent for {shown_name(contact.label)} is already saved.")
        consent_id = await family.contacts.add_consent(tx, terms, now)
        await family.services.audit.record(
            tx,
            actor_id=user_id,
            action="family.consent_grant",
            subject_user_id=user_id,
            consent_id=consent_id,
            contact_id=contact.id,
        )
        await queue_for_upcoming(family, tx, user_id, now)
    return terms


@dataclass(frozen=True, slots=True)
class RevokeResult:
    contact: FamilyContact
    revoked: int
    cancelled: int


async def revoke(
    family: Family, *, actor: discord.abc.User, is_facilitator: bool, contact_id: int
) -> RevokeResult:
    """Revoke at once: no notice to this person is sent from now on; staff are told."""
    contact = await family.contacts.contact(contact_id)
    own = contact is not None and contact.client_id == actor.id
    if contact is None or not (own or is_facilitator):
        raise UserError("That isn't one of your family contacts. /family consent list shows yours.")
    now = family.now()
    async with family.services.db.transaction() as tx:
        revoked = 0
        for consent in await family.contacts.unrevoked_for_contact(tx, contact.id):
            revoked += int(await family.contacts.revoke(tx, consent.id, actor.id, now))
        if revoked == 0:
            raise UserError(f"There is no consent in force for {shown_name(contact.label)}.")
        cancelled = 0
        if contact.user_id is not None:
            cancelled = await family.services.outbox.cancel(
                tx, kind=NOTICE_KIND, subject_user_id=contact.client_id, target_id=contact.user_id
            )
        client = await family.services.clients.get_in(tx, contact.client_id)
        name = client.display_name if client else f"member {contact.client_id}"
        who = "" if own else f" (recorded by <@{actor.id}>)"
        await tell_staff(
            family,
            tx,
            dedupe_key=f"family:revoked:{contact.id}:{now.isoformat()}",
            content=(
                f"{name} revoked consent for {shown_name(contact.label)} to get family-session "
                f"notices{who}. {cancelled} queued notice(s) to {shown_name(contact.name)} were "
                "cancelled, and no more will be sent."
            ),
            subject_user_id=contact.client_id,
        )
        if not own:
            await family.services.audit.record(
                tx,
                actor_id=actor.id,
                action="family.consent_revoke",
                subject_user_id=contact.client_id,
                contact_id=contact.id,
            )
    return RevokeResult(contact=contact, revoked=revoked, cancelled=cancelled)


async def consent_overview(family: Family, client_id: int) -> list[str]:
    """One line per family contact: linked or not, and what consent is in force."""
    client = await family.services.clients.get(client_id)
    if client is None:
        raise UserError("Only clients in the program have family consents here.")
    now = family.now()
    consents = await family.contacts.consents_for_client(client_id)
    lines = []
    for contact in await family.contacts.contacts_for_client(client_id):
        in_force = [
            c
            for c in consents
            if c.contact_id == contact.id
            and consent_state(family, c, client, now) is ConsentState.IN_FORCE
        ]
        if not contact.is_linked:
            state = "hasn't linked their account yet"
        elif in_force:
            state = f"consent in force, {expiry_text(in_force[0].terms)} (id {in_force[0].id})"
        else:
            state = "linked, no consent in force: they get no notices"
        lines.append(f"**{shown_name(contact.label)}** · contact {contact.id} · {state}")
    return lines
