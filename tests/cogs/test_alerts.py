"""Facilitator alerts: one staff message, de-duplicated, acknowledged, re-escalated once."""

from __future__ import annotations

from datetime import timedelta

from bot.services.notices import Button
from tests.harness import program_world


async def raise_one(world, rule="craving_high", window=timedelta(hours=24)):
    services = world.bot.services
    alex = world.clients[0]
    async with services.db.transaction() as tx:
        return await services.alerts.raise_alert(
            tx,
            subject_user_id=alex.id,
            subject_name="Alex",
            rule=rule,
            label="High craving",
            severity="normal",
            source="check-in",
            window=window,
            extra_buttons=(Button("View", "iop:test:view:1", "secondary"),),
        )


async def test_alert_posts_once_per_window_without_content(tmp_path):
    async with program_world(tmp_path) as world:
        first = await raise_one(world)
        second = await raise_one(world)
        await world.run_due_work()
        assert first is not None and second is None
        posts = world.messages(world.staff)
        assert len(posts) == 1
        embed = posts[0].embeds[0]
        assert "High craving" in embed.title
        assert "Alex" in embed.fields[0].value
        world.clock.advance(timedelta(hours=25))
        assert await raise_one(world) is not None


async def test_acknowledge_records_who_and_when(tmp_path):
    async with program_world(tmp_path) as world:
        alert_id = await raise_one(world)
        await world.run_due_work()
        post = world.messages(world.staff)[0]
        result = await world.facilitator.click(post, custom_id=f"iop:alert:ack:{alert_id}")
        assert result.acknowledged
        alert = await world.bot.services.alert_repo.get(alert_id)
        assert alert.acknowledged_by == world.facilitator.id
        assert alert.acknowledged_at == world.clock.now()
        edited = world.messages(world.staff)[0]
        assert any(f.name == "Acknowledged" for f in edited.embeds[0].fields)
        assert (
            await world.count("SELECT COUNT(*) FROM audit_log WHERE action = 'alert.acknowledge'")
            == 1
        )


async def test_unacknowledged_alert_pings_on_call_once(tmp_path):
    async with program_world(tmp_path) as world:
        await raise_one(world)
        await world.run_due_work()
        await world.advance(timedelta(hours=3, minutes=59))
        assert len(world.messages(world.staff)) == 1
        await world.advance(timedelta(minutes=2))
        await world.advance(timedelta(hours=8), step=timedelta(hours=1))
        posts = world.messages(world.staff)
        assert len(posts) == 2
        on_call = world.roles["On-call"].id
        assert f"<@&{on_call}>" in posts[1].content
        assert [r.id for r in posts[1].role_mentions] == [on_call]


async def test_reloading_extensions_does_not_grow_jobs(tmp_path):
    async with program_world(tmp_path) as world:
        before = world.bot.services.jobs.job_ids()
        for _ in range(2):
            for name in list(world.bot.extensions):
                await world.bot.reload_extension(name)
        assert world.bot.services.jobs.job_ids() == before
        assert "alerts:escalate" in before and "outbox:dispatch" in before


async def test_a_declared_rule_is_raised_under_the_clients_name_or_member_n(tmp_path):
    from bot.domain.alert_rules import AlertRule

    rule = AlertRule("test_rule", "A declared rule", "high")
    async with program_world(tmp_path) as world:
        services = world.bot.services
        alex = world.clients[0]
        await world.facilitator.slash(world.cohort, "client enroll", member=alex, timezone="UTC")
        stranger = 4242
        async with services.db.transaction() as tx:
            by_id = await services.alerts.raise_rule(
                tx, rule, alex.id, source="check-ins", window=timedelta(hours=1)
            )
            unknown = await services.alerts.raise_rule(
                tx, rule, stranger, source="check-ins", window=timedelta(hours=1)
            )
        await world.run_due_work()
        assert by_id is not None and unknown is not None
        alerts = [await services.alert_repo.get(i) for i in (by_id, unknown)]
        assert [(a.rule, a.label, a.severity) for a in alerts] == [
            ("test_rule", "A declared rule", "high")
        ] * 2
        fields = [p.embeds[0].fields[0].value for p in world.messages(world.staff)]
        assert any("Alex" in f for f in fields)
        assert any(f"member {stranger}" in f for f in fields)
