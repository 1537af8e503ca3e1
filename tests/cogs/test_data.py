"""Data rights: /mydata export and delete, /client export and discharge, /audit client,
and the daily retention purge."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.db.codec import ts
from bot.db.repositories.ledger import LedgerRepository
from bot.sandbox.runner import available_cogs
from bot.services.notices import Notice
from bot.services.outbox import DM
from bot.services.userdata import gather_export, purge_everything
from tests.harness import program_world

COGS = ("clients", "data")


async def enroll(world, member):
    result = await world.facilitator.slash(world.cohort, "client enroll", member=member)
    assert "Enrolled" in result.response.content
    return result


async def queue_dm(world, member, key, *, due_in=timedelta(0)):
    services = world.bot.services
    async with services.db.transaction() as tx:
        return await services.outbox.enqueue(
            tx,
            dedupe_key=key,
            kind="test_notice",
            target=DM(member.id),
            notice=Notice(content="Your daily check-in is open."),
            due_at=world.clock.now() + due_in,
            subject_user_id=member.id,
        )


def last_reply(result):
    """The bot's last reply to an interaction (a deferred reply is filled in by a follow-up)."""
    return result.followups[-1] if result.followups else result.response


async def attachment_json(message):
    assert message.attachments, "no file attached"
    data = await message.attachments[0].read()
    return json.loads(data)


async def test_client_exports_own_data_by_dm(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await queue_dm(w, alex, "t:1")
        await w.run_due_work()
        result = await alex.slash(w.cohort, "mydata export")
        assert result.ephemeral
        assert "by DM" in last_reply(result).content
        document = await attachment_json(w.dms(alex)[-1])
        assert document["format"] == "iopbot-export"
        assert document["user_id"] == alex.id
        sections = document["sections"]
        assert sections["clients"]["client"]["display_name"] == "Alex"
        assert [n["content"] for n in sections["notices"]][-1] == "Your daily check-in is open."
        assert [e["action"] for e in sections["audit_trail"]] == ["client.enroll"]
        # Nothing about another client leaks into the file.
        assert str(w.clients[1].id) not in json.dumps(document)
        assert await w.count("SELECT COUNT(*) FROM data_requests WHERE kind = 'export'") == 1


async def test_export_falls_back_to_an_ephemeral_file_when_dms_are_closed(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        w.env.inject_error("POST", "/channels/*/messages", status=403, code=50007)
        result = await alex.slash(w.cohort, "mydata export")
        reply = last_reply(result)
        assert reply.ephemeral
        assert "DMs are closed" in reply.content
        document = await attachment_json(reply.message)
        assert document["sections"]["clients"]["client"]["user_id"] == alex.id


async def test_stranger_export_says_nothing_is_held(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        lobby = w.guild.create_text_channel("lobby")
        await w.env.settle()
        result = await w.stranger.slash(lobby, "mydata export")
        assert "holds no records" in last_reply(result).content


async def test_with_every_cog_a_stranger_still_has_nothing_to_export_or_delete(tmp_path):
    # Cogs answer with empty stubs for anyone ({"reports_about_you": 0},
    # {"count": 0, "why_not_included": ...}); those are not records.
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        lobby = w.guild.create_text_channel("lobby")
        await w.env.settle()
        document = await gather_export(w.bot, w.bot.services, w.stranger.id)
        assert document["sections"] == {}
        exported = await w.stranger.slash(lobby, "mydata export")
        assert "holds no records" in last_reply(exported).content
        deleted = await w.stranger.slash(lobby, "mydata delete")
        assert "nothing about you that it could delete" in last_reply(deleted).content
        assert await w.count("SELECT COUNT(*) FROM data_requests") == 0


async def test_delete_asks_first_then_removes_and_says_what_is_kept(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await queue_dm(w, alex, "t:alex", due_in=timedelta(days=1))
        await queue_dm(w, sam, "t:sam", due_in=timedelta(days=1))
        before = await w.table_snapshot()
        prompt = await alex.slash(w.cohort, "mydata delete")
        assert prompt.ephemeral
        text = prompt.response.content
        assert "Delete your data" in text and "6 years" in text and "audit trail" in text
        # Asking is not deleting.
        assert await w.table_snapshot() == before
        buttons = [c["custom_id"] for row in prompt.response.components for c in row["components"]]
        confirm = next(b for b in buttons if b.startswith("iop:data:delete:"))
        # (The prompt is ephemeral: only Alex sees the button; it also checks the user.)
        done = await alex.click(prompt.response, custom_id=confirm)
        reply = last_reply(done).content
        assert "removed" in reply and "Kept, and why" in reply and "6 years" in reply
        assert await w.count("SELECT COUNT(*) FROM clients WHERE user_id = ?", (alex.id,)) == 0
        assert (
            await w.count(
                "SELECT COUNT(*) FROM outbox WHERE subject_user_id = ? OR target_id = ?",
                (alex.id, alex.id),
            )
            == 0
        )
        # Sam is untouched; the audit trail about Alex is kept (and records the deletion).
        assert await w.count("SELECT COUNT(*) FROM clients WHERE user_id = ?", (sam.id,)) == 1
        assert (
            await w.count(
                "SELECT COUNT(*) FROM outbox WHERE target_id = ? AND kind != 'client_welcome'",
                (sam.id,),
            )
            == 1
        )
        actions = [
            r[0]
            for r in await w.db.fetchall(
                "SELECT action FROM audit_log WHERE subject_user_id = ? ORDER BY id", (alex.id,)
            )
        ]
        assert actions == ["client.enroll", "data.delete"]
        request = await w.db.fetchone("SELECT * FROM data_requests WHERE kind = 'delete'")
        assert request["completed_at"] is not None
        assert json.loads(request["removed"])["clients"] == 1
        assert "audit_log" in json.loads(request["kept"])


async def test_delete_prompt_names_the_moderation_record_that_stays(tmp_path):
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        await w.env.advance_time(1.0)
        await w.facilitator.slash(w.cohort, "mod warn", member=alex, reason="Please be kind.")
        posted = await alex.send(w.cohort, "a message Sam reports")
        await sam.context_menu(w.cohort, "Report to facilitator", posted)
        await w.env.settle()
        prompt = await alex.slash(w.cohort, "mydata delete")
        text = prompt.response.content
        removed_part, kept_part = text.split("What is kept, and why:")
        assert "clients" in removed_part
        assert "audit trail" not in removed_part  # kept, so not offered as removed
        assert "moderation cases about you" in kept_part and "730 days" in kept_part
        assert "reports other members made" in kept_part and "365 days" in kept_part
        buttons = [c["custom_id"] for row in prompt.response.components for c in row["components"]]
        confirm = next(b for b in buttons if b.startswith("iop:data:delete:"))
        done = last_reply(await alex.click(prompt.response, custom_id=confirm)).content
        assert "moderation cases" in done.split("Kept, and why:")[1]
        assert await w.count("SELECT COUNT(*) FROM mod_cases WHERE member_id = ?", (alex.id,)) == 1


async def test_keep_button_and_expired_confirmation_delete_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        prompt = await alex.slash(w.cohort, "mydata delete")
        buttons = [c["custom_id"] for row in prompt.response.components for c in row["components"]]
        keep = next(b for b in buttons if b.startswith("iop:data:keep:"))
        confirm = next(b for b in buttons if b.startswith("iop:data:delete:"))
        kept = await alex.click(prompt.response, custom_id=keep)
        assert "Nothing was deleted" in kept.response.content
        w.clock.advance(timedelta(minutes=11))
        late = await alex.click(prompt.response, custom_id=confirm)
        assert "expired" in late.response.content
        assert await w.count("SELECT COUNT(*) FROM clients") == 1


async def test_facilitator_export_is_audited_and_ephemeral(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        result = await w.facilitator.slash(w.cohort, "client export", member=alex)
        reply = last_reply(result)
        assert reply.ephemeral
        document = await attachment_json(reply.message)
        assert document["user_id"] == alex.id
        assert (
            await w.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'client.export' AND actor_id = ?",
                (w.facilitator.id,),
            )
            == 1
        )
        assert w.dms(alex) == []


async def test_discharge_stops_prompts_removes_role_and_tells_other_cogs(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        await queue_dm(w, alex, "checkin:tomorrow", due_in=timedelta(days=1))
        seen: list[int] = []

        async def on_iop_client_discharged(user_id: int) -> None:
            seen.append(user_id)

        w.bot.add_listener(on_iop_client_discharged)
        result = await w.facilitator.slash(w.cohort, "client discharge", member=alex)
        assert "Discharged Alex" in result.response.content
        await w.env.settle()
        client = await w.bot.services.clients.get(alex.id)
        assert client.status == "discharged"
        assert seen == [alex.id]
        assert all(r.id != w.roles["Client"].id for r in alex.member.roles)
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE status = 'cancelled'") == 1
        await w.advance(timedelta(days=2))
        assert w.dms(alex) == []
        assert (
            await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'client.discharge'") == 1
        )
        again = await w.facilitator.slash(w.cohort, "client discharge", member=alex)
        assert "already discharged" in again.response.content


async def test_audit_client_needs_the_audit_role(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        refused = await w.facilitator.slash(w.cohort, "audit client", member=alex)
        assert "audit role" in refused.response.content
        auditor = w.guild.add_member(
            w.env.create_user("ava"),
            roles=[w.roles["Facilitator"], w.roles["Auditor"]],
            nick="Ava (auditor)",
        )
        await w.env.settle()
        result = await auditor.slash(w.cohort, "audit client", member=alex)
        embed = result.response.embeds[0]
        assert "Audit trail: Alex" in embed.title
        assert "client.enroll" in embed.description
        assert "Dana" in embed.description
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.view'") == 1


async def test_daily_purge_runs_once_per_day_and_is_idempotent(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        services = w.bot.services
        alex = w.clients[0]
        old = w.clock.now() - timedelta(days=200)
        ancient = w.clock.now() - timedelta(days=365 * 7)
        async with services.db.transaction() as tx:
            # Written through the chain, before anything newer (rows are time-ordered).
            await services.audit_repo.add(
                tx,
                at=ancient,
                actor_id=1,
                action="client.info",
                subject_user_id=alex.id,
                detail={},
            )
        await enroll(w, alex)
        async with services.db.transaction() as tx:
            for n, status in enumerate(("sent", "failed", "pending")):
                await tx.execute(
                    "INSERT INTO outbox (dedupe_key, kind, target_type, target_id, payload, "
                    "due_at, status, created_at, updated_at) "
                    "VALUES (?, 'x', 'dm', ?, '{}', ?, ?, ?, ?)",
                    (f"old:{n}", alex.id, ts(old), status, ts(old), ts(old)),
                )
        cog = w.bot.get_cog("DataCog")
        counts = await cog.purge_if_due()
        assert counts == {"outbox": 2, "audit_log": 1}
        # The purge went through the recorded path, and the chain still verifies.
        purge = await w.db.fetchone("SELECT table_name, removed FROM ledger_purges")
        assert tuple(purge) == ("audit_log", 1)
        assert await LedgerRepository(services.db).verify() == []
        # The purge itself is idempotent, not only its once-a-day gate.
        assert await purge_everything(w.bot, services) == {}
        # Same day: nothing to do; the pending row is never purged.
        assert await cog.purge_if_due() is None
        assert await w.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 1
        assert await w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'client.enroll'") == 1
        # The next program-local 03:30 runs it again, with nothing left to remove.
        w.clock.advance(timedelta(hours=16))  # 23:00 in New York: not yet
        assert await cog.purge_if_due() is None
        w.clock.advance(timedelta(hours=5))  # 04:00 in New York
        assert await cog.purge_if_due() == {}
        assert "data:purge" in services.jobs.job_ids()


async def test_purge_finishes_an_interrupted_deletion_and_expires_discharged_records(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        services = w.bot.services
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        # A deletion that crashed after it was recorded, before it ran.
        async with services.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO data_requests (user_id, kind, requested_by, requested_at) "
                "VALUES (?, 'delete', ?, ?)",
                (alex.id, alex.id, ts(w.clock.now())),
            )
        await w.facilitator.slash(w.cohort, "client discharge", member=sam)
        cog = w.bot.get_cog("DataCog")
        counts = await cog.purge_if_due()
        assert counts["clients"] == 1  # Alex's interrupted deletion is finished
        assert await w.count("SELECT COUNT(*) FROM clients WHERE user_id = ?", (sam.id,)) == 1
        assert await w.count("SELECT COUNT(*) FROM data_requests WHERE completed_at IS NULL") == 0
        w.clock.advance(timedelta(days=731))
        counts = await cog.purge_if_due()
        assert counts["clients"] == 1  # Sam's records follow the retention setting
        assert await w.count("SELECT COUNT(*) FROM clients") == 0
        assert (
            await w.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'data.delete_after_discharge'"
            )
            == 1
        )
        w.clock.advance(timedelta(days=1))
        assert (await cog.purge_if_due() or {}).get("clients", 0) == 0
