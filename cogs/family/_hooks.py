"""Dispatcher hooks for ``family_notice``: consent checked at SEND time, and the accounting.

* ``check``: a notice to a family member goes out only if their link is still in place
  and the consent it was queued under is still in force *now*; otherwise it is marked
  ``blocked_consent``.
* ``on_blocked``: the session's facilitator is told in the staff channel (once per
  session version and person).
* ``on_sent``: one row in the append-only accounting of disclosures, in the transaction
  that records the send. Notices to the client themself are not disclosures.
* ``on_undeliverable`` (50007): never a fallback in any channel; the facilitator is told
  so they can call.
"""

from __future__ import annotations

from typing import Any

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.domain.consent import ConsentState
from bot.domain.family_notices import discord_time
from bot.domain.text import shown_name
from bot.services.dispatcher import KindHooks
from bot.services.notices import Notice
from cogs.family._common import Family, consent_state, log, tell_staff

REASONS = {
    ConsentState.REVOKED: "consent was revoked",
    ConsentState.EXPIRED: "consent has expired",
    ConsentState.NOT_YET: "consent is not in force yet",
    ConsentState.INCOMPLETE: "the consent record is incomplete",
}


def _meta(row: OutboxRow) -> dict[str, Any]:
    try:
        return Notice.from_json(row.payload).meta
    except (ValueError, TypeError, KeyError):
        return {}


class FamilyNoticeHooks:
    def __init__(self, family: Family) -> None:
        self.family = family

    def hooks(self) -> KindHooks:
        return KindHooks(
            check=self.check,
            on_sent=self.on_sent,
            on_blocked=self.on_blocked,
            on_undeliverable=self.on_undeliverable,
        )

    async def check(self, row: OutboxRow) -> str | None:
        meta = _meta(row)
        contact_id, consent_id = meta.get("contact_id"), meta.get("consent_id")
        if contact_id is None and consent_id is None:
            if row.target_type == "dm" and row.target_id == row.subject_user_id:
                return None  # the client's own notice
            # Fail closed: anyone but the client needs a consent on the row itself.
            return "no consent on record"
        family = self.family
        contact = await family.contacts.contact(int(contact_id or 0))
        if contact is None or not contact.is_linked or contact.user_id != row.target_id:
            return "the family member's link is gone"
        consent = await family.contacts.consent(int(consent_id or 0))
        if consent is None or consent.contact_id != contact.id:
            return "no consent on record"
        client = await family.services.clients.get(contact.client_id)
        state = consent_state(family, consent, client, family.now())
        return None if state is ConsentState.IN_FORCE else REASONS[state]

    async def on_sent(self, tx: Transaction, row: OutboxRow, message_id: int | None) -> None:
        meta = _meta(row)
        if meta.get("consent_id") is None:
            return
        family = self.family
        consent = await family.contacts.consent_in(tx, int(meta["consent_id"]))
        contact_id = int(meta["contact_id"])
        # The accounting records when the notice was delivered: the send's own time, as
        # the dispatcher recorded it for this row (#14 item 5), not when anything was queued.
        delivered = await family.services.outbox_repo.sent_at_in(tx, row.id)
        await family.sessions.record_disclosure(
            tx,
            disclosed_at=delivered or family.now(),
            client_id=int(row.subject_user_id or 0),
            recipient_contact_id=contact_id,
            recipient_user_id=row.target_id,
            recipient_name=consent.terms.recipient_name if consent else f"contact {contact_id}",
            category=consent.terms.category if consent else "family_session_logistics",
            purpose=consent.terms.purpose if consent else "coordinating family therapy",
            consent_id=int(meta["consent_id"]),
            sender=family.sender,
            outbox_id=row.id,
            session_id=int(meta["session_id"]),
            stage=str(meta.get("stage", "")),
        )

    async def _tell(self, tx: Transaction, row: OutboxRow, key: str, why: str) -> None:
        meta = _meta(row)
        family = self.family
        session = await family.sessions.get_in(tx, int(meta.get("session_id") or 0))
        client = await family.services.clients.get_in(tx, int(row.subject_user_id or 0))
        client_name = client.display_name if client else f"member {row.subject_user_id}"
        contact_id = meta.get("contact_id")
        contact = None if contact_id is None else await family.contacts.contact_in(tx, contact_id)
        who = contact.label if contact else client_name
        when = discord_time(session.starts_at, "f") if session else "an upcoming session"
        await tell_staff(
            family,
            tx,
            dedupe_key=f"family:{key}:{meta.get('session_id')}:{row.target_id}:"
            f"v{meta.get('version')}",
            content=(
                f"The family-session notice for {shown_name(client_name)}'s session #"
                f"{meta.get('session_id')} ({when}) to {shown_name(who)} was not sent: {why}"
            ),
            subject_user_id=int(row.subject_user_id or 0),
            mention_user_id=session.facilitator_id if session else None,
        )

    async def on_blocked(self, tx: Transaction, row: OutboxRow, reason: str) -> None:
        log.info("family.notice_blocked", extra={"outbox_id": row.id, "reason": reason})
        await self._tell(tx, row, "blocked", f"{reason}. Nothing was shared with them.")

    async def on_undeliverable(self, tx: Transaction, row: OutboxRow) -> None:
        is_family = _meta(row).get("contact_id") is not None
        await self._tell(
            tx,
            row,
            "undeliverable",
            "their direct messages are closed. Please call them"
            + (" (no message is posted anywhere else)." if is_family else "."),
        )
