"""Transparency (issue #12, item 8): the enrollment welcome and the group agreement say
that messages are screened for crisis language and who sees the alerts."""

from __future__ import annotations

from bot.domain.language import find_stigma
from bot.services.screening import screening_notice
from cogs.clients._welcome import WELCOME_FIRST_LINE, welcome_text
from tests.harness import program_world


async def test_a_new_client_gets_one_welcome_that_explains_screening(tmp_path):
    async with program_world(tmp_path, cogs=("clients",)) as w:
        alex = w.clients[0]
        await w.facilitator.slash(w.staff, "client enroll", member=alex)
        await w.run_due_work()
        welcome = w.dms(alex, welcome=True)
        assert len(welcome) == 1
        text = welcome[0].content
        first = text.splitlines()[0]
        assert first == w.settings.program.dm_preview
        assert text.splitlines()[1] == WELCOME_FIRST_LINE
        assert "by DM" in text and "group spaces" in text
        assert "only facilitators see these alerts" in text
        assert "not saved" in text
        assert find_stigma(text) == []
        # Re-enrolling (e.g. a new time zone) does not welcome them again.
        await w.facilitator.slash(w.staff, "client enroll", member=alex, timezone="Europe/Berlin")
        await w.run_due_work()
        assert len(w.dms(alex, welcome=True)) == 1


def test_without_the_content_intent_the_notice_does_not_overclaim(tmp_path):
    from bot.config import Settings

    off = screening_notice(Settings(discord={"message_content": False}))
    assert "group spaces" not in off and "by DM" in off
    assert WELCOME_FIRST_LINE in welcome_text(Settings())


async def test_the_group_agreement_explains_screening(tmp_path):
    async with program_world(tmp_path, cogs=("clients", "groups")) as w:
        cog = w.bot.get_cog("GroupsCog")
        text = cog.core.agreement_text() if hasattr(cog, "core") else None
        assert text is not None
        assert screening_notice(w.settings) in text
