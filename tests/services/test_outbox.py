"""The outbox spine: idempotent enqueue, dispatch, retry, 50007, expiry, consent block, rate."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import discord
import pytest

from bot.config import OutboxSettings
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.outbox import OutboxRepository, OutboxRow
from bot.services.clock import FakeClock
from bot.services.dispatcher import Dispatcher, KindHooks
from bot.services.notices import Button, Notice
from bot.services.outbox import DM, ChannelTarget, Outbox
from bot.services.sender import DiscordSender, build_view, make_limiter

START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


class FakeSend:
    """Records sends; can be told to fail the next N calls with an exception."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str, str]] = []
        self.failures: list[BaseException] = []

    async def __call__(self, row: OutboxRow, notice: Notice) -> int:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((row.target_id, notice.content, row.nonce))
        return 10_000 + row.id


def http_error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="x")
    return cls(response, {"code": code, "message": "m"})  # type: ignore[arg-type]


@pytest.fixture
async def spine(tmp_path):
    db = Database(tmp_path / "o.sqlite3")
    await db.connect()
    await migrate(db)
    clock = FakeClock(START)
    repo = OutboxRepository(db)
    send = FakeSend()
    dispatcher = Dispatcher(
        db=db,
        repo=repo,
        clock=clock,
        send=send,
        settings=OutboxSettings(retry_base_seconds=30, max_attempts=3),
    )
    yield SimpleNamespace(
        db=db, clock=clock, repo=repo, outbox=Outbox(repo, clock), send=send, dispatcher=dispatcher
    )
    await db.close()


async def enqueue(s, key: str, **kwargs) -> int | None:
    kwargs.setdefault("kind", "test")
    kwargs.setdefault("target", DM(42))
    kwargs.setdefault("notice", Notice(content=f"hello {key}"))
    async with s.db.transaction() as tx:
        return await s.outbox.enqueue(tx, dedupe_key=key, **kwargs)


async def test_enqueue_is_idempotent_by_dedupe_key(spine):
    first = await enqueue(spine, "checkin:1:2026-03-02")
    second = await enqueue(spine, "checkin:1:2026-03-02")
    assert first is not None and second is None
    assert await spine.db.fetchval("SELECT COUNT(*) FROM outbox") == 1


async def test_enqueue_rolls_back_with_the_callers_transaction(spine):
    with pytest.raises(RuntimeError):
        async with spine.db.transaction() as tx:
            await spine.outbox.enqueue(
                tx, dedupe_key="k", kind="t", target=DM(1), notice=Notice(content="x")
            )
            raise RuntimeError("domain write failed")
    assert await spine.db.fetchval("SELECT COUNT(*) FROM outbox") == 0


async def test_dispatch_sends_due_rows_once_with_nonce(spine):
    due = await enqueue(spine, "a")
    await enqueue(spine, "later", due_at=START + timedelta(hours=1))
    report = await spine.dispatcher.run_once()
    assert report.sent == 1
    assert spine.send.sent == [(42, "hello a", f"ob{due}")]
    assert (await spine.repo.get(due)).status == "sent"
    assert (await spine.repo.get(due)).message_id == 10_000 + due
    # running again sends nothing new; moving the clock sends the later one
    assert (await spine.dispatcher.run_once()).sent == 0
    spine.clock.advance(timedelta(hours=1))
    assert (await spine.dispatcher.run_once()).sent == 1
    assert len(spine.send.sent) == 2


async def test_transient_failures_retry_with_backoff_then_give_up(spine):
    row_id = await enqueue(spine, "flaky")
    spine.send.failures = [
        http_error(discord.DiscordServerError, 503, 0),
        OSError("connection reset"),
        http_error(discord.DiscordServerError, 500, 0),
    ]
    report = await spine.dispatcher.run_once()
    assert report.retried == 1
    row = await spine.repo.get(row_id)
    assert row.status == "pending" and row.attempts == 1 and row.error_code == 503
    assert (await spine.dispatcher.run_once()).claimed == 0  # backing off (30 s)
    spine.clock.advance(timedelta(seconds=30))
    assert (await spine.dispatcher.run_once()).retried == 1
    spine.clock.advance(timedelta(seconds=59))
    assert (await spine.dispatcher.run_once()).claimed == 0  # second backoff is 60 s
    spine.clock.advance(timedelta(seconds=1))
    report = await spine.dispatcher.run_once()
    assert report.failed == 1  # max_attempts = 3
    row = await spine.repo.get(row_id)
    assert row.status == "failed" and row.attempts == 3
    assert spine.send.sent == []


async def test_transient_failure_then_success(spine):
    row_id = await enqueue(spine, "once")
    spine.send.failures = [http_error(discord.HTTPException, 429, 0)]
    await spine.dispatcher.run_once()
    spine.clock.advance(timedelta(seconds=30))
    await spine.dispatcher.run_once()
    row = await spine.repo.get(row_id)
    assert row.status == "sent" and row.attempts == 2
    assert len(spine.send.sent) == 1


async def test_dm_closed_is_undeliverable_and_calls_the_fallback(spine):
    seen: list[int] = []

    async def fallback(tx, row):
        seen.append(row.id)
        await spine.outbox.enqueue(
            tx,
            dedupe_key=f"nudge:{row.id}",
            kind="nudge",
            target=ChannelTarget(7),
            notice=Notice(content="nudge"),
        )

    spine.dispatcher.register("test", KindHooks(on_undeliverable=fallback))
    row_id = await enqueue(spine, "closed")
    spine.send.failures = [http_error(discord.Forbidden, 403, 50007)]
    report = await spine.dispatcher.run_once()
    assert report.undeliverable == 1
    row = await spine.repo.get(row_id)
    assert row.status == "undeliverable" and row.error_code == 50007
    assert seen == [row_id]
    # the fallback's own notice is queued and goes out on the next run, never a retry of the DM
    await spine.dispatcher.run_once()
    assert spine.send.sent == [(7, "nudge", spine.send.sent[0][2])]


@pytest.mark.parametrize(("cls", "status"), [(discord.HTTPException, 400), (discord.NotFound, 404)])
async def test_50007_with_another_status_is_still_dm_closed(spine, cls, status):
    # An independent server answered a closed DM with 400 + 50007; it is not a plain failure.
    row_id = await enqueue(spine, f"closed-{status}")
    spine.send.failures = [http_error(cls, status, 50007)]
    report = await spine.dispatcher.run_once()
    assert report.undeliverable == 1 and report.failed == 0
    row = await spine.repo.get(row_id)
    assert row.status == "undeliverable" and row.error_code == 50007


async def test_other_403_fails_without_retry(spine):
    row_id = await enqueue(spine, "noperm")
    spine.send.failures = [http_error(discord.Forbidden, 403, 50013)]
    report = await spine.dispatcher.run_once()
    assert report.failed == 1 and report.retried == 0
    assert (await spine.repo.get(row_id)).error_code == 50013


async def test_rows_past_expiry_are_expired_not_sent(spine):
    row_id = await enqueue(spine, "stale", expires_at=START + timedelta(minutes=5))
    spine.clock.advance(timedelta(minutes=6))
    report = await spine.dispatcher.run_once()
    assert report.expired == 1 and report.sent == 0
    assert (await spine.repo.get(row_id)).status == "expired"


async def test_check_hook_blocks_at_send_time_and_on_sent_runs_in_the_transaction(spine):
    allowed = {"yes"}
    blocked: list[str] = []

    async def check(row):
        return None if row.dedupe_key in allowed else "consent revoked"

    async def on_sent(tx, row, message_id):
        await tx.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)", (f"disclosed:{row.id}", str(message_id))
        )

    async def on_blocked(tx, row, reason):
        blocked.append(reason)

    spine.dispatcher.register(
        "family", KindHooks(check=check, on_sent=on_sent, on_blocked=on_blocked)
    )
    ok = await enqueue(spine, "yes", kind="family")
    no = await enqueue(spine, "no", kind="family")
    report = await spine.dispatcher.run_once()
    assert (report.sent, report.blocked) == (1, 1)
    assert (await spine.repo.get(no)).status == "blocked_consent"
    assert blocked == ["consent revoked"]
    assert await spine.db.fetchval("SELECT value FROM meta WHERE key = ?", (f"disclosed:{ok}",))
    assert await spine.db.fetchval("SELECT COUNT(*) FROM meta WHERE key LIKE 'disclosed:%'") == 1


async def test_cancel_pending_only_touches_matching_queued_rows(spine):
    a = await enqueue(spine, "family:1:99:24h", target=DM(99), due_at=START + timedelta(days=1))
    b = await enqueue(spine, "family:1:98:24h", target=DM(98), due_at=START + timedelta(days=1))
    async with spine.db.transaction() as tx:
        assert await spine.outbox.cancel(tx, target_id=99, key_prefix="family:") == 1
    assert (await spine.repo.get(a)).status == "cancelled"
    assert (await spine.repo.get(b)).status == "pending"


async def test_crash_mid_send_releases_claims_and_resends_with_the_same_nonce(spine):
    row_id = await enqueue(spine, "crash")
    async with spine.db.transaction() as tx:  # a run claimed the row, then the process died
        claimed = await spine.repo.claim_due(tx, spine.clock.now(), 10)
    assert [r.id for r in claimed] == [row_id]
    assert (await spine.dispatcher.run_once()).claimed == 0  # still "sending"
    assert await spine.dispatcher.release_stale_claims() == 1
    await spine.dispatcher.run_once()
    assert spine.send.sent == [(42, "hello crash", f"ob{row_id}")]


class _Channel:
    def __init__(self, log: list[float]) -> None:
        self.log = log

    async def send(self, **kwargs):
        self.log.append(time.monotonic())
        return SimpleNamespace(id=len(self.log))


async def test_sender_keeps_under_the_global_rate_while_sending_concurrently(spine):
    stamps: list[float] = []
    channel = _Channel(stamps)
    client = SimpleNamespace(
        _connection=SimpleNamespace(_get_private_channel_by_user=lambda uid: channel),
        get_partial_messageable=lambda cid: channel,
    )
    rate = 40.0
    sender = DiscordSender(client, make_limiter(rate))  # type: ignore[arg-type]
    spine.dispatcher._send = sender
    for i in range(90):
        await enqueue(spine, f"bulk{i}", target=DM(1000 + i))
    started = time.monotonic()
    report = await spine.dispatcher.run_once()
    elapsed = time.monotonic() - started
    assert report.sent == 90
    # every one-second window holds at most rate + burst sends
    worst = max(sum(1 for t in stamps if s <= t < s + 1.0) for s in stamps)
    assert worst <= rate + 5
    # and it is not serial: 90 sends at 40/s take about 2 s, far under 90 * anything slow
    assert elapsed >= (90 - 5) / rate * 0.9


async def test_build_view_is_components_only():
    notice = Notice(content="x", buttons=(Button("Check in", "iop:checkin:open"),))
    view = build_view(notice)
    assert view is not None and view.is_finished()
    assert [c["custom_id"] for row in view.to_components() for c in row["components"]] == [
        "iop:checkin:open"
    ]
    assert build_view(Notice(content="x")) is None


async def test_notice_round_trips_through_json():
    notice = Notice(
        content="c",
        embeds=({"title": "t"},),
        buttons=(Button("b", "id", "danger"),),
        mention_user_ids=(1,),
        mention_role_ids=(2,),
        meta={"k": 1},
    )
    assert Notice.from_json(notice.to_json()) == notice


async def test_limiter_burst_is_small():
    limiter = make_limiter(45)
    assert limiter.max_rate == 5
    await asyncio.sleep(0)


class _DmClient:
    """A client whose DM channels are opened by ``create_dm`` (counted)."""

    def __init__(self, stamps: list[float]) -> None:
        self.opened: list[int] = []
        self.channel = _Channel(stamps)
        self._connection = SimpleNamespace(_get_private_channel_by_user=lambda uid: None)

    async def create_dm(self, user):
        self.opened.append(user.id)
        return SimpleNamespace(id=900_000 + user.id, send=self.channel.send)

    def get_partial_messageable(self, channel_id, *, type=None):
        return self.channel


async def test_dm_channel_ids_survive_a_restart(spine):
    from bot.db.repositories.dm_channels import DmChannelRepository

    store = DmChannelRepository(spine.db)
    client = _DmClient([])
    sender = DiscordSender(client, make_limiter(45), store=store, clock=spine.clock)  # type: ignore[arg-type]
    spine.dispatcher._send = sender
    await enqueue(spine, "day1", target=DM(5))
    await spine.dispatcher.run_once()
    assert client.opened == [5]
    assert await store.all() == {5: 900_005}
    # a new process: the id comes from storage, no second POST /users/@me/channels
    restarted_client = _DmClient([])
    restarted = DiscordSender(restarted_client, make_limiter(45), store=store, clock=spine.clock)  # type: ignore[arg-type]
    assert await restarted.load_known_channels() == 1
    spine.dispatcher._send = restarted
    await enqueue(spine, "day2", target=DM(5))
    report = await spine.dispatcher.run_once()
    assert report.sent == 1 and restarted_client.opened == []
