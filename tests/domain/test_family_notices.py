"""The family notice renderer: only the allowed fields, a stable text (snapshots)."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.domain.consent import NOTICE_ELEMENTS, scope_line, standard_terms, summary_lines
from bot.domain.family_notices import (
    ALLOWED_FIELDS,
    NoticeFields,
    disclosed_elements,
    discord_time,
    render_family_notice,
)
from bot.domain.language import find_stigma
from cogs.family._spec import REDISCLOSURE_LONG, REDISCLOSURE_SHORT, FamilySettings

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
START = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)
STATEMENT = FamilySettings().redisclosure_text
TERMS = standard_terms(
    client_id=11,
    program_name="Sunrise Recovery IOP",
    recipient_contact_id=3,
    recipient_name="Jordan (parent)",
    expires_on=date(2026, 8, 29),
    confirmed_at=START,
)
# What a client's record also holds; none of it can be handed to the renderer.
CLIENT_RECORD = {
    "display_name": "Alex",
    "checkins": [{"mood": 3, "craving": 9, "used": "yes", "note": "had a drink"}],
    "milestones": ["30 days"],
    "attendance": {"sessions": 11},
    "alerts": ["Reported use", "High craving"],
    "cohort": ["Sam", "Riley"],
}
FORBIDDEN = r"\b(check-?ins?|use|used|milestones?|attendance|alerts?|craving|mood|Alex|Sam|Riley)\b"


def family_fields(stage: str, hours: float | None = None) -> NoticeFields:
    return NoticeFields(
        stage=stage,  # type: ignore[arg-type]
        starts_at=START,
        duration_minutes=60,
        place="Room 2, 100 Main St",
        facilitator_name=None,  # a family recipient's copy never names the facilitator
        hours_before=hours,
        scope_line=scope_line(TERMS),
        redisclosure_statement=STATEMENT,
    )


CASES = {
    "family_notice_scheduled": family_fields("scheduled"),
    "family_notice_reminder_24h": family_fields("reminder", 24.0),
    "family_notice_reminder_1h": family_fields("reminder", 1.0),
    "family_notice_changed": family_fields("changed"),
    "family_notice_cancelled": family_fields("cancelled"),
    "family_notice_client_copy": dataclasses.replace(
        family_fields("scheduled"),
        facilitator_name="Dana (facilitator)",
        scope_line=None,
        redisclosure_statement=None,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_notice_matches_its_snapshot(name):
    text = render_family_notice(CASES[name])
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8")


def test_the_renderer_receives_only_the_allowed_fields():
    assert {f.name for f in dataclasses.fields(NoticeFields)} == ALLOWED_FIELDS
    with pytest.raises(TypeError):
        NoticeFields(**CLIENT_RECORD)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(CASES))
def test_notice_text_has_no_record_content_and_no_stigma(name):
    # The §2.32 statement is the regulation's own wording ("unauthorized use or disclosure").
    text = render_family_notice(CASES[name]).replace(STATEMENT, "")
    assert not re.search(FORBIDDEN, text, re.I)
    assert find_stigma(text) == []
    assert discord_time(START) in text


def test_family_copies_carry_the_statement_and_scope_the_client_copy_does_not():
    family = render_family_notice(CASES["family_notice_scheduled"])
    client = render_family_notice(CASES["family_notice_client_copy"])
    assert STATEMENT in family and scope_line(TERMS) in family
    assert STATEMENT not in client and "Shared with" not in client
    assert "Dana" in client and "Dana" not in family


FAMILY_CASES = sorted(name for name in CASES if name != "family_notice_client_copy")


@pytest.mark.parametrize("name", FAMILY_CASES)
@pytest.mark.parametrize("statement", ["short", "long"])
def test_a_family_notice_never_exceeds_its_consent(name, statement):
    """Every line of every family notice discloses only an element the consent names."""
    fields = dataclasses.replace(
        CASES[name],
        redisclosure_statement=FamilySettings(redisclosure_notice=statement).redisclosure_text,
    )
    elements = disclosed_elements(render_family_notice(fields))
    named = set(NOTICE_ELEMENTS)
    assert {e for e in elements if e is not None} <= named
    # and each element a notice carries is spelled out on the consent screen
    what = dict(summary_lines(TERMS, client_name="Alex", signed_on=date(2026, 3, 2)))["What"]
    for element in filter(None, elements):
        assert NOTICE_ELEMENTS[element] in what


def test_a_line_the_consent_does_not_name_is_caught():
    fields = dataclasses.replace(CASES["family_notice_scheduled"], facilitator_name="Dana")
    with pytest.raises(ValueError, match="With: Dana"):
        disclosed_elements(render_family_notice(fields))


def test_the_short_statement_is_the_default_and_fits_a_message():
    settings = FamilySettings()
    assert settings.redisclosure_text == REDISCLOSURE_SHORT
    long_notice = render_family_notice(
        dataclasses.replace(
            CASES["family_notice_scheduled"],
            redisclosure_statement=FamilySettings(redisclosure_notice="long").redisclosure_text,
        )
    )
    assert REDISCLOSURE_LONG in long_notice and len(long_notice) <= 2000
    own = FamilySettings(redisclosure_statement="Our counsel's approved statement, in full.")
    assert own.redisclosure_text.startswith("Our counsel")


def test_discord_time_is_the_unix_instant():
    assert discord_time(START) == "<t:1772751600:F>"
    assert discord_time(START, "R") == "<t:1772751600:R>"


def test_half_hour_reminders_read_in_minutes():
    text = render_family_notice(family_fields("reminder", 0.5))
    assert "starts in 30 minutes" in text
