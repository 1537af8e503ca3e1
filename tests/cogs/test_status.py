"""`/iopbot status`: facilitators see health facts privately; the text has no client data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.doctor import CheckLine
from bot.services.jobs import JobRun
from cogs.status._render import StatusFacts, status_text
from tests.harness import program_world


async def test_status_is_private_and_shows_the_facts(tmp_path):
    async with program_world(tmp_path) as world:
        await world.facilitator.slash(world.cohort, "client enroll", member=world.clients[0])
        world.clock.advance(timedelta(hours=2, minutes=5))
        await world.run_due_work()
        result = await world.facilitator.slash(world.staff, "iopbot status")
        replies = [m for m in (result.response, *result.followups) if m is not None]
        assert replies and all(m.ephemeral for m in replies)
        text = str(replies[-1].content)
        assert text.startswith("**iopbot status**")
        assert "up 2 h 5 min" in text
        assert "Enabled cogs: clients, alerts, status" in text
        assert "- outbox:dispatch: 2026-03-02 14:05 UTC, ok" in text
        assert "Outbox: 0 queued, 0 not delivered in the last 24 h" in text
        assert "Alerts not acknowledged: 0" in text
        assert "Last backup: none recorded" in text
        assert "✗ last backup: none recorded" in text  # a doctor failure, with its fix
        assert "Alex" not in text


async def test_status_is_refused_to_clients(tmp_path):
    async with program_world(tmp_path) as world:
        result = await world.clients[0].slash(world.cohort, "iopbot status")
        replies = [m for m in (result.response, *result.followups) if m is not None]
        assert all(m.ephemeral for m in replies)
        assert "iopbot status" not in str(replies[-1].content)


def test_status_text_fits_one_message_and_counts_failures():
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    checks = [CheckLine(False, f"check {n}", "x" * 300) for n in range(20)]
    facts = StatusFacts(
        version="0.1.0",
        started_at=now - timedelta(days=3, hours=1),
        now=now,
        cogs=["clients"],
        jobs={"a": None, "b": JobRun(now, ok=False)},
        queued=3,
        failed_24h=1,
        unacknowledged=2,
        checks=checks,
    )
    text = status_text(facts)
    assert len(text) <= 2000
    assert "up 3 d 1 h" in text
    assert "- a: not run yet" in text
    assert "- b: 2026-03-02 12:00 UTC, ended with an error (see the log)" in text
    assert "Doctor: 20 of 20 checks fail:" in text
