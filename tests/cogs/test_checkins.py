"""The check-in cog: prompts, the modal, replace-on-second-submission, privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.cogs.checkins_helpers import enroll, jump_to, prompts, reply_text, submit
from tests.harness import program_world

COGS = ("clients", "checkins")


async def test_prompt_at_nine_local_with_a_button(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        # 2026-03-03 09:00 in New York is 14:00 UTC (EST).
        await jump_to(w, datetime(2026, 3, 3, 13, 59, tzinfo=UTC))
        assert prompts(w, alex) == []
        await jump_to(w, datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
        (prompt,) = prompts(w, alex)
        ids = [c.custom_id for row in prompt.components for c in row.children]
        assert ids == ["iop:checkin:open"]
        await w.advance(timedelta(hours=2), step=timedelta(minutes=30))
        assert len(prompts(w, alex)) == 1


async def test_modal_saves_and_second_submission_replaces(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        first = await submit(w, alex, mood="7", craving="1")
        assert first.ephemeral
        text = reply_text(first)
        assert "saved" in text and "streak" in text.lower()
        second = await submit(w, alex, mood="5", craving="2")
        assert "replaces" in reply_text(second)
        assert await w.count("SELECT COUNT(*) FROM checkins") == 1
        assert await w.count("SELECT mood FROM checkins") == 5
