"""Consent (42 CFR 2 §2.31): required elements, validity at an instant, the scope line."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.consent import (
    CATEGORY,
    PURPOSE,
    REQUIRED_ELEMENTS,
    SCOPE,
    WHAT,
    ConsentState,
    IncompleteConsent,
    ends_at,
    missing_elements,
    require_complete,
    scope_line,
    standard_terms,
    state_at,
    summary_lines,
)
from bot.domain.language import find_stigma

NY = ZoneInfo("America/New_York")
GRANTED = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
TERMS = standard_terms(
    client_id=11,
    program_name="Sunrise Recovery IOP",
    recipient_contact_id=3,
    recipient_name="Jordan (parent)",
    expires_on=date(2026, 8, 29),
    confirmed_at=GRANTED,
)


def state(terms=TERMS, *, at, revoked_at=None, active=True):
    return state_at(
        terms, granted_at=GRANTED, revoked_at=revoked_at, at=at, zone=NY, client_active=active
    )


def test_the_standard_terms_are_complete():
    assert missing_elements(TERMS) == []
    assert require_complete(TERMS) is TERMS
    assert TERMS.category == CATEGORY and TERMS.what == WHAT and TERMS.purpose == PURPOSE


@pytest.mark.parametrize(
    ("change", "element"),
    [
        ({"client_id": None}, "client"),
        ({"discloser": " "}, "discloser"),
        ({"what": ""}, "what"),
        ({"category": "everything"}, "what"),
        ({"recipient_contact_id": None}, "recipient"),
        ({"recipient_name": ""}, "recipient"),
        ({"purpose": ""}, "purpose"),
        ({"expires_on": None}, "expiry"),
        ({"expires_on": None, "expiry_event": "whenever"}, "expiry"),
        ({"revocation": ""}, "revocation"),
        ({"client_confirmed_at": None}, "confirmation"),
    ],
)
def test_each_missing_element_makes_the_consent_incomplete(change, element):
    terms = dataclasses.replace(TERMS, **change)
    assert missing_elements(terms) == [element]
    with pytest.raises(IncompleteConsent) as raised:
        require_complete(terms)
    assert raised.value.missing == [element]
    assert state(terms, at=GRANTED + timedelta(days=1)) is ConsentState.INCOMPLETE


def test_every_required_element_is_checked():
    empty = dataclasses.replace(
        TERMS,
        client_id=None,
        discloser="",
        what="",
        recipient_contact_id=None,
        purpose="",
        expires_on=None,
        revocation="",
        client_confirmed_at=None,
    )
    assert missing_elements(empty) == list(REQUIRED_ELEMENTS)


def test_in_force_until_the_end_of_the_last_local_day():
    end = ends_at(date(2026, 8, 29), NY)
    assert end == datetime(2026, 8, 30, 4, 0, tzinfo=UTC)  # midnight EDT
    assert state(at=end - timedelta(microseconds=1)) is ConsentState.IN_FORCE
    assert state(at=end) is ConsentState.EXPIRED


def test_not_in_force_before_it_was_granted():
    assert state(at=GRANTED - timedelta(seconds=1)) is ConsentState.NOT_YET
    assert state(at=GRANTED) is ConsentState.IN_FORCE


def test_revocation_takes_effect_at_its_instant():
    revoked = GRANTED + timedelta(days=3)
    assert state(at=revoked - timedelta(seconds=1), revoked_at=revoked) is ConsentState.IN_FORCE
    assert state(at=revoked, revoked_at=revoked) is ConsentState.REVOKED


def test_program_end_as_the_expiry_event():
    terms = dataclasses.replace(TERMS, expires_on=None, expiry_event="program_end")
    assert missing_elements(terms) == []
    assert state(terms, at=GRANTED + timedelta(days=400)) is ConsentState.IN_FORCE
    assert state(terms, at=GRANTED, active=False) is ConsentState.EXPIRED


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        state(at=datetime(2026, 3, 3, 12, 0))


@given(
    offset=st.integers(min_value=-10_000, max_value=400 * 24 * 60),
    revoke_after=st.none() | st.integers(min_value=0, max_value=400 * 24 * 60),
)
def test_in_force_exactly_when_granted_not_revoked_and_not_expired(offset, revoke_after):
    at = GRANTED + timedelta(minutes=offset)
    revoked_at = None if revoke_after is None else GRANTED + timedelta(minutes=revoke_after)
    expected = (
        at >= GRANTED
        and (revoked_at is None or at < revoked_at)
        and at < ends_at(TERMS.expires_on, NY)
    )
    assert (state(at=at, revoked_at=revoked_at) is ConsentState.IN_FORCE) == expected


def test_scope_line_is_one_line_naming_what_why_and_until_when():
    line = scope_line(TERMS)
    assert "\n" not in line
    assert SCOPE in line and PURPOSE in line and "August 29, 2026" in line
    assert "Jordan" not in line  # the recipient knows who they are; nothing about anyone else


def test_summary_shows_every_element_in_plain_words():
    labels = dict(summary_lines(TERMS, client_name="Alex", signed_on=date(2026, 3, 2)))
    assert list(labels) == [
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
    ]
    assert "Alex" in labels["Whose information"]
    assert "March 2, 2026" in labels["Your confirmation"]
    assert "Sunrise Recovery IOP" in labels["Who shares"]
    assert "/family consent revoke" in labels["Your right to revoke"]
    for text in labels.values():
        assert find_stigma(text) == []


def test_compliance_doc_lists_every_screen_element_with_its_exact_text():
    """docs/COMPLIANCE.md's table is the screen, row by row (sample consent in the doc)."""
    from pathlib import Path

    from bot.domain.consent import SCREEN_ELEMENTS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "COMPLIANCE.md").read_text("utf-8")
    terms = standard_terms(
        client_id=1,
        program_name="Sunrise Recovery IOP",
        recipient_contact_id=3,
        recipient_name="Jordan (parent)",
        expires_on=date(2026, 8, 29),
    )
    rows = summary_lines(terms, client_name="Alex Rivera", signed_on=date(2026, 3, 2))
    for element, (label, text) in zip(SCREEN_ELEMENTS, rows, strict=True):
        assert f"| {element.citation} | {label} | {text} |" in doc
