from __future__ import annotations

from datetime import date

from tests.harness import program_world


async def test_facilitator_enrolls_client(tmp_path):
    async with program_world(tmp_path) as world:
        alex = world.clients[0]
        result = await world.facilitator.slash(
            world.cohort,
            "client enroll",
            member=alex,
            start_date="2026-03-01",
            timezone="America/Chicago",
        )
        assert result.ephemeral
        assert "Enrolled Alex" in result.response.content
        client = await world.bot.services.clients.get(alex.id)
        assert client is not None
        assert client.timezone.key == "America/Chicago"
        assert client.program_start == date(2026, 3, 1)
        assert (
            await world.count("SELECT COUNT(*) FROM audit_log WHERE action = 'client.enroll'") == 1
        )
