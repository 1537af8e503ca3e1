"""Issue 21 items 1 and 8, issue 16 item 1: each row is recorded on its own, as it goes."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.services.dispatcher import Dispatcher, KindHooks
from bot.services.notices import Button, Notice
from bot.services.outbox import DM
from bot.services.reconcile import SeenMessage, signature
from tests.services.test_outbox import enqueue, http_error, spine  # noqa: F401


async def statuses(s, ids):
    return [(await s.repo.get(i)).status for i in ids]


async def restart(s) -> Dispatcher:
    """A new process on the same database: same sender, recovery first."""
    again = Dispatcher(
        db=s.db, repo=s.repo, clock=s.clock, send=s.send, settings=s.dispatcher.settings
    )
    again.register("family", KindHooks())
    await again.release_stale_claims()
    return again


async def test_item_1_one_raising_on_sent_hook_fails_only_its_row(spine):  # noqa: F811
    ids = [await enqueue(spine, f"r{n}", kind="family") for n in range(4)]

    async def on_sent(tx, row, message_id):
        await tx.execute("UPDATE outbox SET error = 'hook wrote this' WHERE id = ?", (row.id,))
        if row.id == ids[1]:
            int("not a session id")

    spine.dispatcher.register("family", KindHooks(on_sent=on_sent))
    report = await spine.dispatcher.run_once()
    assert await statuses(spine, ids) == ["sent", "failed", "sent", "sent"]
    bad = await spine.repo.get(ids[1])
    assert bad.message_id == 10_000 + ids[1] and bad.sent_at is not None  # it did go out
    assert "on_sent hook raised ValueError" in bad.error
    assert "hook wrote this" not in bad.error  # the hook's own write was rolled back
    assert (report.sent, report.failed) == (3, 1)
    again = await restart(spine)
    await again.run_once()
    assert [nonce for _, _, nonce in spine.send.sent] == [f"ob{i}" for i in ids]  # no re-send


async def test_item_1_one_raising_check_or_send_fails_only_its_row(spine):  # noqa: F811
    ids = [await enqueue(spine, f"c{n}", kind="family") for n in range(4)]

    async def check(row):
        if row.id == ids[0]:
            raise RuntimeError("database is locked")
        return None

    spine.dispatcher.register("family", KindHooks(check=check))
    spine.send.failures = []
    original = spine.send.__call__

    async def send(row, notice):
        if row.id == ids[2]:
            raise ValueError("more than 25 buttons")
        return await original(row, notice)

    spine.dispatcher._send = send
    await spine.dispatcher.run_once()
    assert await statuses(spine, ids) == ["failed", "sent", "failed", "sent"]
    assert "RuntimeError while sending" in (await spine.repo.get(ids[0])).error
    assert "ValueError while sending" in (await spine.repo.get(ids[2])).error
    assert sorted(n for _, _, n in spine.send.sent) == sorted([f"ob{ids[1]}", f"ob{ids[3]}"])


async def test_item_1_on_failed_runs_for_a_row_whose_hook_raised(spine):  # noqa: F811
    row_id = await enqueue(spine, "f", kind="family")
    failed = []

    async def on_sent(tx, row, message_id):
        raise KeyError("session_id")

    async def on_failed(tx, row):
        failed.append(row.id)

    spine.dispatcher.register("family", KindHooks(on_sent=on_sent, on_failed=on_failed))
    await spine.dispatcher.run_once()
    assert failed == [row_id]
    assert (await spine.repo.get(row_id)).status == "failed"


async def test_item_8_a_retry_capped_at_expires_at_is_attempted(spine):  # noqa: F811
    row_id = await enqueue(spine, "cap", expires_at=spine.clock.now() + timedelta(seconds=20))
    spine.send.failures = [http_error(discord.HTTPException, 503, 0)]
    await spine.dispatcher.run_once()
    row = await spine.repo.get(row_id)
    assert row.status == "pending" and row.attempts == 1  # the 30 s backoff capped at +20 s
    spine.clock.advance(timedelta(seconds=25))  # the poll comes a little after expires_at
    report = await spine.dispatcher.run_once()
    assert report.expired == 0 and report.sent == 1
    assert (await spine.repo.get(row_id)).status == "sent"


async def test_item_8_a_capped_retry_that_fails_again_expires(spine):  # noqa: F811
    row_id = await enqueue(spine, "cap2", expires_at=spine.clock.now() + timedelta(seconds=20))
    spine.send.failures = [http_error(discord.HTTPException, 503, 0)] * 2
    await spine.dispatcher.run_once()
    spine.clock.advance(timedelta(seconds=25))
    await spine.dispatcher.run_once()
    assert (await spine.repo.get(row_id)).status == "expired"
    spine.clock.advance(timedelta(hours=1))
    assert (await spine.dispatcher.run_once()).claimed == 0


async def test_sent_at_is_the_delivery_time_not_the_end_of_the_batch(spine):  # noqa: F811
    ids = [await enqueue(spine, f"t{n}") for n in range(3)]
    original = spine.send.__call__

    async def slow_send(row, notice):
        spine.clock.advance(timedelta(seconds=10))
        return await original(row, notice)

    spine.dispatcher._send = slow_send
    spine.dispatcher._semaphore = __import__("asyncio").Semaphore(1)
    await spine.dispatcher.run_once()
    times = [(await spine.repo.get(i)).sent_at for i in ids]
    assert times == sorted(times) and len(set(times)) == 3


async def crash_after_send(s, ids_sent):
    """Claim every due row, 'send' some of them, and die before recording anything."""
    async with s.db.transaction() as tx:
        claimed = await s.repo.claim_due(tx, s.clock.now(), 100)
    seen = []
    for row in claimed:
        if row.id in ids_sent:
            notice = Notice.from_json(row.payload)
            seen.append(
                SeenMessage(
                    id=90_000 + row.id, created_at=s.clock.now(), signature=signature(notice)
                )
            )
            s.send.sent.append((row.target_id, notice.content, row.nonce))
    return seen


async def test_recovery_records_rows_found_in_history_and_resends_only_the_rest(spine):  # noqa: F811
    same = Notice(content="Time for your check-in", buttons=(Button("Open", "iop:x:1"),))
    ids = [await enqueue(spine, f"h{n}", notice=same, target=DM(42)) for n in range(3)]
    seen = await crash_after_send(spine, {ids[0], ids[1]})
    spine.clock.advance(timedelta(minutes=30))
    calls = []

    async def history(target_type, target_id, after):
        calls.append((target_type, target_id))
        return seen

    sent_hooks = []

    async def on_sent(tx, row, message_id):
        sent_hooks.append((row.id, message_id))

    again = Dispatcher(
        db=spine.db,
        repo=spine.repo,
        clock=spine.clock,
        send=spine.send,
        settings=spine.dispatcher.settings,
        history=history,
    )
    again.register("test", KindHooks(on_sent=on_sent))
    assert await again.release_stale_claims() == 1
    assert calls == [("dm", 42)]
    assert sent_hooks == [(ids[0], 90_000 + ids[0]), (ids[1], 90_000 + ids[1])]
    await again.run_once()
    nonces = [n for _, _, n in spine.send.sent]
    assert sorted(nonces) == sorted(f"ob{i}" for i in ids)  # each exactly once
    assert await statuses(spine, ids) == ["sent", "sent", "sent"]


async def test_recovery_without_history_releases_every_row(spine):  # noqa: F811
    row_id = await enqueue(spine, "nh")
    await crash_after_send(spine, set())

    async def history(target_type, target_id, after):
        raise discord.Forbidden(
            __import__("types").SimpleNamespace(status=403, reason="x"), {"code": 50001}
        )

    again = Dispatcher(
        db=spine.db,
        repo=spine.repo,
        clock=spine.clock,
        send=spine.send,
        settings=spine.dispatcher.settings,
        history=history,
    )
    assert await again.release_stale_claims() == 1
    assert (await spine.repo.get(row_id)).status == "pending"
