"""What a family member receives carries only the allowed fields and the statement, even for
a client whose record holds check-ins, a reported use, a milestone and alerts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.db.repositories.family import FamilyRepository
from bot.domain.consent import scope_line
from bot.domain.family_notices import NoticeFields, render_family_notice
from tests.cogs.family_helpers import (
    enroll,
    family_world,
    linked_family,
    move_to,
    schedule,
)
from tests.harness import dm_body

START = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)
FORBIDDEN = (
    r"check-?ins?",
    r"use",
    r"used",
    r"using",
    r"milestones?",
    r"attendance",
    r"attended",
    r"alerts?",
    r"craving",
    r"mood",
    r"sober",
    r"sobriety",
    r"drink",
    r"Sam",
    r"Riley",
    r"Alex",
)


async def _give_alex_a_record(w, alex) -> None:
    """Check-ins (one reporting use), a milestone and alerts, straight into their tables."""
    db = w.db
    now = w.clock.now()
    async with db.transaction() as tx:
        for day, used, note in (("2026-03-01", "no", None), ("2026-03-02", "yes", "had a drink")):
            await tx.execute(
                "INSERT INTO checkins (user_id, local_date, mood, craving, used, sleep_hours, "
                "note, submitted_at, created_at) VALUES (?, ?, 3, 9, ?, 5, ?, ?, ?)",
                (alex.id, day, used, note, now.isoformat(), now.isoformat()),
            )
        await tx.execute(
            "INSERT INTO milestones (user_id, scheme, kind, n, due_date, due_at, status, "
            "created_at) VALUES (?, 'sobriety', 'days', 30, '2026-03-02', ?, 'celebrated', ?)",
            (alex.id, now.isoformat(), now.isoformat()),
        )
        for rule, label, severity in (
            ("reported_use", "Reported use", "high"),
            ("craving_high", "High craving", "normal"),
        ):
            await w.bot.services.alerts.raise_alert(
                tx,
                subject_user_id=alex.id,
                subject_name="Alex",
                rule=rule,
                label=label,
                severity=severity,
                source="check-in",
                window=timedelta(hours=24),
            )


async def test_family_notices_hold_only_the_allowed_fields_and_the_statement(tmp_path):
    async with family_world(tmp_path) as w:
        alex, sam, riley = w.clients
        for other in (sam, riley):
            await enroll(w, other)
        await linked_family(w, alex)
        await _give_alex_a_record(w, alex)
        await schedule(w, sam, start="2026-03-05 17:00", place="Room 9")  # another client
        await schedule(w, alex)
        await move_to(w, START - timedelta(hours=24))
        await move_to(w, START - timedelta(hours=1))
        dms = w.dms(w.family)
        assert len(dms) == 3
        consent = await w.bot.services.db.fetchone("SELECT * FROM family_consents")
        terms = (await FamilyRepository(w.db).consent(consent["id"])).terms
        for dm, stage, hours in zip(
            dms, ("scheduled", "reminder", "reminder"), (None, 24.0, 1.0), strict=True
        ):
            expected = render_family_notice(
                NoticeFields(
                    stage=stage,
                    starts_at=START,
                    duration_minutes=60,
                    place="Room 2, 100 Main St",
                    facilitator_name=None,
                    hours_before=hours,
                    scope_line=scope_line(terms),
                    redisclosure_statement=w.settings.family.redisclosure_text,
                )
            )
            assert dm_body(dm.content) == expected
            assert not dm.embeds
            # the §2.32 statement is the regulation's wording ("unauthorized use or ...")
            content = dm.content.replace(w.settings.family.redisclosure_text, "")
            for word in FORBIDDEN:
                assert not re.search(rf"\b{word}\b", content, re.I), word
            assert "Room 9" not in dm.content
            assert [c.label for row in dm.components for c in row.children] == [
                "Confirm",
                "Can't make it",
            ]
