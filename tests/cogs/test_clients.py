from __future__ import annotations

from datetime import date

import pytest

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


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"start_date": "2026-13-01"}, "YYYY-MM-DD"),
        ({"start_date": "yesterday"}, "YYYY-MM-DD"),
        ({"start_date": "1999-01-01"}, "days ago"),
        ({"start_date": "2030-01-01"}, "days ahead"),
        ({"timezone": "Mars/Olympus"}, "not a time zone"),
        ({"timezone": "../../etc/passwd"}, "time zone"),
        # names ZoneInfo opens but that are not in available_timezones(): never stored
        ({"timezone": "right/UTC"}, "not a time zone"),
        ({"timezone": "posix/Europe/Berlin"}, "not a time zone"),
        ({"timezone": "posixrules"}, "not a time zone"),
        ({"timezone": "localtime"}, "not a time zone"),
        ({"record_name": "Alex\u202eRivera"}, "plain letters"),
        ({"record_name": "[chart](https://x.example)"}, "plain letters"),
    ],
)
async def test_enroll_refuses_bad_input_and_changes_nothing(tmp_path, options, expected):
    async with program_world(tmp_path) as world:
        before = await world.table_snapshot()
        result = await world.facilitator.slash(
            world.cohort, "client enroll", member=world.clients[0], **options
        )
        assert result.ephemeral
        assert expected in result.response.content
        assert await world.table_snapshot() == before


async def test_clients_and_strangers_cannot_enroll(tmp_path):
    async with program_world(tmp_path) as world:
        before = await world.table_snapshot()
        result = await world.clients[0].slash(
            world.cohort, "client enroll", member=world.clients[1]
        )
        assert result.ephemeral and "only for facilitators" in result.response.content
        assert await world.table_snapshot() == before


async def test_cannot_enroll_facilitator_or_family(tmp_path):
    async with program_world(tmp_path) as world:
        for member in (world.facilitator, world.family):
            result = await world.facilitator.slash(world.cohort, "client enroll", member=member)
            assert "can't be" in result.response.content
        assert await world.count("SELECT COUNT(*) FROM clients") == 0


async def test_client_info_and_own_timezone(tmp_path):
    async with program_world(tmp_path) as world:
        alex = world.clients[0]
        await world.facilitator.slash(world.cohort, "client enroll", member=alex)
        info = await world.facilitator.slash(world.cohort, "client info", member=alex)
        assert info.ephemeral and info.response.embeds[0].title == "Alex"
        assert await world.count("SELECT COUNT(*) FROM audit_log WHERE action = 'client.info'") == 1
        refused = await world.clients[1].slash(world.cohort, "client info", member=alex)
        assert "only for facilitators" in refused.response.content
        changed = await alex.slash(world.cohort, "me timezone", zone="Europe/Berlin")
        assert changed.ephemeral and "Europe/Berlin" in changed.response.content
        assert (await world.bot.services.clients.get(alex.id)).timezone.key == "Europe/Berlin"
        bad = await alex.slash(world.cohort, "me timezone", zone="Nowhere/Land")
        assert "not a time zone" in bad.response.content
        not_client = await world.clients[1].slash(world.cohort, "me timezone", zone="UTC")
        assert "Only enrolled clients" in not_client.response.content


async def test_commands_sync_only_when_they_change(tmp_path):
    async with program_world(tmp_path) as world:
        puts = [r for r in world.env.http_requests if r.method == "PUT" and "commands" in r.path]
        assert len(puts) == 1
        await world.restart()
        puts = [r for r in world.env.http_requests if r.method == "PUT" and "commands" in r.path]
        assert len(puts) == 1  # same command set: no second sync
        assert await world.bot.sync_commands(force=True)


async def test_startup_check_names_missing_roles_and_channels(tmp_path):
    async with program_world(tmp_path, roles={"auditor": 42}, channels={"mod_log": 43}) as world:
        problems = [line.label for line in await world.bot.doctor_lines() if not line.ok]
        assert "roles.auditor: no role 42 in the server" in problems
        assert "channels.mod_log: no channel 43 in the server" in problems
        assert not any(p.startswith("roles.facilitator") for p in problems)


async def test_client_info_shows_delivery_status_without_content(tmp_path):
    from bot.services.notices import Notice
    from bot.services.outbox import DM

    async with program_world(tmp_path) as world:
        alex = world.clients[0]
        await world.facilitator.slash(world.cohort, "client enroll", member=alex)
        services = world.bot.services
        async with services.db.transaction() as tx:
            await services.outbox.enqueue(
                tx,
                dedupe_key="t:1",
                kind="checkin_prompt",
                target=DM(alex.id),
                notice=Notice(content="Private words"),
                subject_user_id=alex.id,
            )
        await world.run_due_work()
        info = await world.facilitator.slash(world.cohort, "client info", member=alex)
        field = next(f for f in info.response.embeds[0].fields if f.name.startswith("Recent"))
        assert "checkin prompt · delivered" in field.value
        assert "Private words" not in field.value


async def test_enrollment_records_a_name_for_documents_and_strips_hidden_characters(tmp_path):
    async with program_world(tmp_path) as world:
        alex = world.clients[0]
        await world.facilitator.slash(
            world.cohort, "client enroll", member=alex, record_name="  Alex   Rivera "
        )
        client = await world.bot.services.clients.get(alex.id)
        assert client is not None and client.record_name == "Alex Rivera"
        assert client.document_name == "Alex Rivera"
        # a re-enrollment without the option keeps the recorded name
        await world.facilitator.slash(world.cohort, "client enroll", member=alex)
        again = await world.bot.services.clients.get(alex.id)
        assert again is not None and again.record_name == "Alex Rivera"
        assert "\u202e" not in again.display_name


async def test_startup_logs_the_doctors_lines(tmp_path, caplog):
    caplog.set_level("WARNING", logger="iopbot.app")
    async with program_world(tmp_path, roles={"auditor": 42}) as world:
        await world.bot._verify_guild_setup()
        expected = [line.render() for line in await world.bot.doctor_lines() if not line.ok]
    logged = [getattr(r, "problem", "") for r in caplog.records if r.msg == "setup.problem"]
    assert (
        "✗ roles.auditor: no role 42 in the server: run `iopbot setup` to create or adopt it"
        in (logged)
    )
    assert set(expected) <= set(logged)
