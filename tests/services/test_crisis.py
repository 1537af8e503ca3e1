"""bot/services/crisis.py: the reusable crisis path other features call."""

from __future__ import annotations

from bot.services.crisis import handle_crisis_text
from tests.harness import program_world


async def test_service_alerts_and_dms_once_per_window(tmp_path):
    async with program_world(tmp_path) as w:
        services = w.bot.services
        alex = w.clients[0]
        assert not await handle_crisis_text(
            services,
            None,
            user_id=alex.id,
            display_name="Alex",
            source="checkin_note",
            text="this workout is killing me",
        )
        async with services.db.transaction() as tx:
            assert await handle_crisis_text(
                services,
                tx,
                user_id=alex.id,
                display_name="Alex",
                source="checkin_note",
                text="honestly I want to die",
                source_ref=7,
            )
        assert await handle_crisis_text(
            services,
            None,
            user_id=alex.id,
            display_name="Alex",
            source="checkin_note",
            text="I want to end it all",
        )
        await w.run_due_work()
        assert await w.count("SELECT COUNT(*) FROM alerts WHERE rule = 'crisis_language'") == 1
        assert await w.count("SELECT COUNT(*) FROM crisis_events") == 2
        dms = w.dms(alex)
        assert len(dms) == 1
        assert "988" in dms[0].content
        staff = [m for m in w.messages(w.staff) if m.embeds]
        assert len(staff) == 1
        assert "want to die" not in str(staff[0].embeds[0].to_dict())
