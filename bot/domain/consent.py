"""Family-notice consent under 42 CFR Part 2 §2.31: its elements, validity and scope line.

Pure: no I/O. A consent is *in force* at an instant when every required element is
present, it was granted (and confirmed by the client) at or before that instant, it has
not been revoked, and it has not expired. Expiry is either a date (the consent holds to
the end of that local day in the program's zone) or the event "program_end" (it ends
when the client is no longer active in the program).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.localtime import at_local, require_utc

CATEGORY = "family_session_logistics"
# Every piece of information a family notice may carry, as the consent screen names it.
# bot/domain/family_notices.py maps each line of a notice to one of these keys, and a test
# renders every notice to check that nothing goes beyond them (a notice never exceeds its
# consent).
NOTICE_ELEMENTS = {
    "status": "whether a session is scheduled, changed, cancelled or coming up",
    "when": "its date and time",
    "length": "its length",
    "where": "its place or video link",
}
WHAT = "family-therapy session logistics: " + "; ".join(NOTICE_ELEMENTS.values())
PURPOSE = "coordinating family therapy"
REVOCATION = (
    "You can revoke this consent at any time, in writing: run /family consent revoke (your "
    "written request, recorded with the time), or write to a facilitator. Revoking stops "
    "notices from then on; it can't undo notices already sent or what the program did "
    "relying on this consent before you revoked it."
)
CONDITIONING = (
    "Your treatment, payment, enrollment and eligibility for benefits do not depend on "
    "whether you sign. Saying no changes nothing about your care."
)
REDISCLOSURE_RISK = (
    "Each notice carries the federal statement that forbids the family member from sharing "
    "it further without your consent, but the program can't control what a person does once "
    "they have the information, and it may then no longer be protected by federal rules."
)
EXPIRY_EVENTS = {"program_end": "when you complete or leave the program"}

REQUIRED_ELEMENTS = (
    "client",
    "discloser",
    "what",
    "recipient",
    "purpose",
    "expiry",
    "revocation",
    "confirmation",
)


class ConsentState(StrEnum):
    IN_FORCE = "in_force"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INCOMPLETE = "incomplete"


class IncompleteConsent(ValueError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__("consent is missing: " + ", ".join(missing))
        self.missing = missing


@dataclass(frozen=True, slots=True)
class ConsentTerms:
    """Every §2.31 element of one consent (``client_confirmed_at`` is the signature)."""

    client_id: int | None
    discloser: str
    category: str
    what: str
    recipient_contact_id: int | None
    recipient_name: str
    purpose: str
    expires_on: date | None
    expiry_event: str | None
    revocation: str
    client_confirmed_at: datetime | None


def standard_terms(
    *,
    client_id: int,
    program_name: str,
    recipient_contact_id: int,
    recipient_name: str,
    expires_on: date | None,
    expiry_event: str | None = None,
    confirmed_at: datetime | None = None,
) -> ConsentTerms:
    """The one kind of consent iopbot asks for: session logistics, for family therapy."""
    return ConsentTerms(
        client_id=client_id,
        discloser=program_name,
        category=CATEGORY,
        what=WHAT,
        recipient_contact_id=recipient_contact_id,
        recipient_name=recipient_name,
        purpose=PURPOSE,
        expires_on=expires_on,
        expiry_event=expiry_event,
        revocation=REVOCATION,
        client_confirmed_at=confirmed_at,
    )


def missing_elements(terms: ConsentTerms) -> list[str]:
    """The required elements ``terms`` lacks (empty when complete)."""
    missing = []
    if not terms.client_id:
        missing.append("client")
    if not terms.discloser.strip():
        missing.append("discloser")
    if terms.category != CATEGORY or not terms.what.strip():
        missing.append("what")
    if not terms.recipient_contact_id or not terms.recipient_name.strip():
        missing.append("recipient")
    if not terms.purpose.strip():
        missing.append("purpose")
    if terms.expires_on is None and terms.expiry_event not in EXPIRY_EVENTS:
        missing.append("expiry")
    if not terms.revocation.strip():
        missing.append("revocation")
    if terms.client_confirmed_at is None:
        missing.append("confirmation")
    return missing


def require_complete(terms: ConsentTerms) -> ConsentTerms:
    missing = missing_elements(terms)
    if missing:
        raise IncompleteConsent(missing)
    return terms


def ends_at(expires_on: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a date-bound consent stops: the end of ``expires_on`` in ``zone``."""
    return at_local(expires_on + timedelta(days=1), time(0, 0), zone)


def state_at(
    terms: ConsentTerms,
    *,
    granted_at: datetime,
    revoked_at: datetime | None,
    at: datetime,
    zone: ZoneInfo,
    client_active: bool,
) -> ConsentState:
    """Whether the consent allows a disclosure at instant ``at``."""
    instant = require_utc(at)
    if missing_elements(terms):
        return ConsentState.INCOMPLETE
    if revoked_at is not None and revoked_at <= instant:
        return ConsentState.REVOKED
    if granted_at > instant:
        return ConsentState.NOT_YET
    if terms.expires_on is not None and instant >= ends_at(terms.expires_on, zone):
        return ConsentState.EXPIRED
    if terms.expiry_event == "program_end" and not client_active:
        return ConsentState.EXPIRED
    return ConsentState.IN_FORCE


def expiry_text(terms: ConsentTerms) -> str:
    parts = []
    if terms.expires_on is not None:
        parts.append(
            f"until the end of {terms.expires_on:%B} {terms.expires_on.day}, "
            f"{terms.expires_on.year}"
        )
    if terms.expiry_event in EXPIRY_EVENTS:
        parts.append(EXPIRY_EVENTS[terms.expiry_event])
    return " or ".join(parts)


SCOPE = "session logistics (status, date and time, length, place or link)"


def scope_line(terms: ConsentTerms) -> str:
    """One line for the recipient explaining the consent's scope (§2.32(b)): what they may
    receive, why, and until when."""
    return f"Shared with written consent: {SCOPE} only, for {PURPOSE}, {expiry_text(terms)}."


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True, slots=True)
class ScreenElement:
    """One row of the consent screen: what §2.31(a) (as amended in 2024) asks for."""

    key: str
    label: str
    citation: str


# The consent screen, row by row, in order. docs/COMPLIANCE.md lists the same rows with
# the exact screen text; tests/domain/test_consent.py keeps the two in step.
SCREEN_ELEMENTS = (
    ScreenElement("client", "Whose information", "§2.31(a)(1)"),
    ScreenElement("discloser", "Who shares", "§2.31(a)(2)"),
    ScreenElement("what", "What", "§2.31(a)(3)"),
    ScreenElement("recipient", "To whom", "§2.31(a)(4)(i)"),
    ScreenElement("purpose", "Purpose", "§2.31(a)(5)"),
    ScreenElement("expiry", "Until", "§2.31(a)(7)"),
    ScreenElement("revocation", "Your right to revoke", "§2.31(a)(6)"),
    ScreenElement("conditioning", "Signing is your choice", "45 CFR 164.508(c)(2)(ii)"),
    ScreenElement("redisclosure", "Sharing further", "§2.32(a); 45 CFR 164.508(c)(2)(iii)"),
    ScreenElement("signature", "Your confirmation", "§2.31(a)(8), (a)(9)"),
)


def summary_lines(
    terms: ConsentTerms, *, client_name: str, signed_on: date, name_recorded: bool = True
) -> list[tuple[str, str]]:
    """Every element as (label, text), for the client's confirmation screen (in the order
    of :data:`SCREEN_ELEMENTS`).

    ``client_name`` is the name the program recorded for clinical documents; without one
    (``name_recorded=False``) it is the display name, and the screen says so.
    """
    whose = f"Yours ({client_name}). Only you can give or revoke this."
    if not name_recorded:
        whose = (
            f"Yours ({client_name}, the name you use here; a facilitator can record your "
            "full name for documents). Only you can give or revoke this."
        )
    texts = {
        "client": whose,
        "discloser": f"{terms.discloser} (through this bot)",
        "what": f"Only the {WHAT}. Nothing else about you or your treatment.",
        "recipient": terms.recipient_name,
        "purpose": PURPOSE[0].upper() + PURPOSE[1:],
        "expiry": expiry_text(terms)[0].upper() + expiry_text(terms)[1:],
        "revocation": terms.revocation,
        "conditioning": CONDITIONING,
        "redisclosure": REDISCLOSURE_RISK,
        "signature": f"Pressing Confirm is your signature, dated {_long_date(signed_on)}.",
    }
    return [(element.label, texts[element.key]) for element in SCREEN_ELEMENTS]
