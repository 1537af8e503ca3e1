"""What the family cog declares: its [family] section, the retention of link codes, failed
attempts and the accounting of disclosures, who may run its commands, and its test inputs
(bot/cogspec.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from bot.cogspec import (
    AUDITOR,
    CHANGES_CALLER,
    CLIENT,
    CLIENTS,
    EVERYONE_PING,
    FACILITATOR,
    FAMILY,
    HUGE,
    STAFF,
    STRANGER,
    Access,
    BadInput,
    CogSpec,
    RetentionClass,
    Section,
)

# 42 CFR §2.32(a) as amended in 2024 (89 FR 12472; compliance date 16 Feb 2026): each
# disclosure made with the patient's consent carries statement (1) or statement (2). These
# are the regulation's own words (a notice required verbatim, so not rewritten); docs/
# COMPLIANCE.md cites them. A program can replace them with `family.redisclosure_statement`.
REDISCLOSURE_SHORT = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
REDISCLOSURE_LONG = (
    "This record which has been disclosed to you is protected by Federal confidentiality rules "
    "(42 CFR part 2). These rules prohibit you from using or disclosing this record, or "
    "testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR "
    "2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or "
    "disclosure of this record unless at least one of the following applies: (i) Further use "
    "or disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. "
    "(ii) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or (iii) You have received the record from "
    "a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. "
    "A general authorization for the release of medical or other information is NOT "
    "sufficient to meet the required elements of written consent to further use or redisclose "
    "the record (see 42 CFR 2.31)."
)


class FamilySettings(Section):
    code_ttl_days: int = Field(default=7, ge=1, le=60)
    code_length: int = Field(default=8, ge=8, le=16)
    link_failures_keep_days: int = Field(default=7, ge=1)
    max_link_failures_per_hour: int = Field(default=5, ge=1)
    # Across every account: past this many wrong codes in an hour nobody's code is checked.
    max_link_failures_per_hour_server: int = Field(default=30, ge=1)
    reminder_hours_before: list[float] = Field(default_factory=lambda: [24.0, 1.0])
    consent_default_days: int = Field(default=180, ge=1, le=730)
    # §2.32(a) lets a program use either of two statements; "short" is statement (2), which
    # fits a Discord message. ``redisclosure_statement`` replaces both with a program's own
    # text (e.g. the wording its counsel approved).
    redisclosure_notice: Literal["short", "long"] = "short"
    redisclosure_statement: str | None = Field(default=None, min_length=20, max_length=1500)

    @property
    def redisclosure_text(self) -> str:
        """The notice that accompanies every disclosure to a family member (§2.32(a))."""
        if self.redisclosure_statement:
            return self.redisclosure_statement
        return REDISCLOSURE_LONG if self.redisclosure_notice == "long" else REDISCLOSURE_SHORT


# The accounting of disclosures: at least 6 years (42 CFR 2.24).
DISCLOSURES_DAYS = RetentionClass(
    setting="disclosures_days",
    default_days=365 * 6,
    minimum_days=365 * 6,
    tables=("family_disclosures",),
    doc="accounting of disclosures: at least 6 years (42 CFR 2.24)",
)
# Link codes expire; wrong-code attempts are a short-lived security record.
CODE_DAYS = RetentionClass(
    setting="code_ttl_days", section="family", default_days=7, tables=("family_link_codes",)
)
FAILURE_DAYS = RetentionClass(
    setting="link_failures_keep_days",
    section="family",
    default_days=7,
    tables=("family_link_failures",),
)


def _bad_inputs(w: Any) -> list[BadInput]:
    c, fa, f, s = CLIENT, FAMILY, FACILITATOR, STRANGER
    contact = w.contact_id
    sam_contact = w.sam_contact
    session = w.family_session_id
    role_mention = w.role_mention
    failures = frozenset({"family_link_failures"})
    return [
        BadInput(
            f,
            "family session schedule",
            {"client": w.alex, "start": "2020-01-01 10:00", "duration": 60, "place": "Room 2"},
        ),
        BadInput(
            f,
            "family session schedule",
            {"client": w.alex, "start": "soon", "duration": 60, "place": "Room 2"},
        ),
        BadInput(c, "family consent grant", {"contact": contact, "expires_on": "2020-01-01"}),
        BadInput(c, "family consent grant", {"contact": contact, "expires_on": "2099-01-01"}),
        BadInput(
            f,
            "family session schedule",
            {"client": w.alex, "start": "2026-03-20 10:00", "duration": 5, "place": "Room 2"},
        ),
        BadInput(
            f,
            "family session schedule",
            {"client": w.alex, "start": "2026-03-20 10:00", "duration": 60, "place": HUGE},
        ),
        # mentions and markdown injection where an id or a code is expected
        BadInput(fa, "family link", {"code": EVERYONE_PING}, failures),
        BadInput(fa, "family link", {"code": role_mention}, failures),
        BadInput(fa, "family link", {"code": "AAAA-AAAA"}, failures),
        # unknown and foreign ids
        BadInput(c, "family consent grant", {"contact": 999_999}),
        BadInput(c, "family consent revoke", {"contact": -5}),
        BadInput(f, "family session reschedule", {"session": 999_999, "place": "Room 9"}),
        BadInput(f, "family session cancel", {"session": -1}),
        # another client's records
        BadInput(c, "family consent grant", {"contact": sam_contact}),
        BadInput(c, "family consent revoke", {"contact": sam_contact}),
        BadInput(
            f, "family invite", {"client": w.stranger, "name": "Pat", "relationship": "parent"}
        ),
        BadInput(f, "family session reschedule", {"session": session, "start": "2020-01-01 10:00"}),
        # /family: someone else's records
        BadInput(f, "family disclosures-export", {"client": w.stranger}),
        BadInput(f, "family contacts", {"client": w.stranger}),
        BadInput(s, "family consent grant", {"contact": contact}),
    ]


SPEC = CogSpec(
    name="family",
    settings=FamilySettings,
    retention=(
        DISCLOSURES_DAYS,
        CODE_DAYS,
        FAILURE_DAYS,
    ),
    access={
        # family members, or anyone the program gave a code (the code is the credential;
        # staff and client accounts can't link)
        # (an Auditor-only account is not a facilitator, so the family cog lets it link too)
        "family link": Access(frozenset({FAMILY, AUDITOR, STRANGER})),
        "family consent grant": Access(CLIENTS),
        "family consent list": Access(CLIENTS),
        "family disclosures": Access(CLIENTS),
        "family invite": Access(STAFF),
        "family contacts": Access(STAFF),
        "family session schedule": Access(STAFF),
        "family session list": Access(STAFF),
        "family session reschedule": Access(STAFF),
        "family session cancel": Access(STAFF),
        "family disclosures-export": Access(STAFF),
        # run last (CHANGES_CALLER): it changes the caller's own state for good;
        # the client, or a facilitator on the client's behalf
        "family consent revoke": Access(frozenset({CLIENT, FACILITATOR}), CHANGES_CALLER),
    },
    examples={
        "family consent grant": lambda w, role: {"contact": w.contact_id},
        "family consent revoke": lambda w, role: {"contact": w.contact_id},
        # Jordan (the family actor) uses the code made for Jordan; others get spare codes.
        "family link": lambda w, role: {"code": w.codes.pop(0 if role == FAMILY else -1)},
        "family invite": lambda w, role: {
            "client": w.alex,
            "name": "Casey",
            "relationship": "aunt",
        },
        "family contacts": lambda w, role: {"client": w.alex},
        "family session schedule": lambda w, role: {
            "client": w.alex,
            "start": f"{w.day} 17:00",
            "duration": 45,
            "place": "Room 3",
        },
        "family session list": lambda w, role: {},
        "family session reschedule": lambda w, role: {
            "session": w.family_session_id,
            "start": f"{w.day} 18:00",
        },
        "family session cancel": lambda w, role: {"session": w.family_session_id},
        "family disclosures-export": lambda w, role: {"client": w.alex},
    },
    bad_inputs=_bad_inputs,
)
