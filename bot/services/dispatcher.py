"""The dispatcher: claims due outbox rows and sends them, within Discord's global rate.

One run: expire stale rows, claim what is due (status ``sending``), send each under a
global token bucket with bounded concurrency, and record the outcome. A row left in
``sending`` by a crash is released at start-up and re-sent with the same nonce
(``ob{id}``), which Discord de-duplicates. Features hook in per ``kind``:

* ``check(row)`` — runs just before sending; a reason string blocks the send
  (``blocked_consent``), e.g. family consent revoked after the notice was queued;
* ``on_sent(tx, row, message_id)`` — in the transaction that records the send
  (e.g. the accounting of disclosures);
* ``on_blocked(tx, row, reason)`` and ``on_undeliverable(tx, row)`` — the 50007 ladder;
* ``on_failed(tx, row)`` — the row is marked ``failed`` (a 4xx other than 429, or the
  retries ran out), in the recording transaction: e.g. an alert's fallback path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp
import discord

from bot.config import OutboxSettings
from bot.db.database import Database, Transaction
from bot.db.repositories.outbox import OutboxRepository, OutboxRow
from bot.services.clock import Clock
from bot.services.notices import Notice

log = logging.getLogger("iopbot.dispatcher")

CheckHook = Callable[[OutboxRow], Awaitable[str | None]]
SentHook = Callable[[Transaction, OutboxRow, int | None], Awaitable[None]]
BlockedHook = Callable[[Transaction, OutboxRow, str], Awaitable[None]]
UndeliverableHook = Callable[[Transaction, OutboxRow], Awaitable[None]]
FailedHook = Callable[[Transaction, OutboxRow], Awaitable[None]]
SendFn = Callable[[OutboxRow, Notice], Awaitable[int | None]]

DM_CLOSED = 50007
_MAX_BACKOFF = timedelta(hours=1)


@dataclass(slots=True)
class KindHooks:
    check: CheckHook | None = None
    on_sent: SentHook | None = None
    on_blocked: BlockedHook | None = None
    on_undeliverable: UndeliverableHook | None = None
    on_failed: FailedHook | None = None


@dataclass(slots=True)
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    undeliverable: int = 0
    blocked: int = 0
    expired: int = 0
    codes: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: str  # sent | retry | failed | undeliverable | blocked
    message_id: int | None = None
    code: int | None = None
    reason: str | None = None


class Dispatcher:
    def __init__(
        self,
        *,
        db: Database,
        repo: OutboxRepository,
        clock: Clock,
        send: SendFn,
        settings: OutboxSettings,
    ) -> None:
        self.db = db
        self.repo = repo
        self.clock = clock
        self._send = send
        self.settings = settings
        self._hooks: dict[str, KindHooks] = {}
        self._run_lock = asyncio.Lock()
        self._semaphore = asyncio.Semaphore(settings.concurrency)

    def register(self, kind: str, hooks: KindHooks) -> None:
        self._hooks[kind] = hooks

    def unregister(self, kind: str) -> None:
        self._hooks.pop(kind, None)

    async def release_stale_claims(self) -> int:
        async with self.db.transaction() as tx:
            released = await self.repo.release_claims(tx, self.clock.now())
        if released:
            log.warning("outbox.release_claims", extra={"rows": released})
        return released

    async def run_once(self) -> DispatchReport:
        """Send everything due now; batches until nothing due is left."""
        report = DispatchReport()
        async with self._run_lock:
            while True:
                now = self.clock.now()
                async with self.db.transaction() as tx:
                    report.expired += await self.repo.expire_due(tx, now)
                    batch = await self.repo.claim_due(tx, now, self.settings.batch_size)
                if not batch:
                    break
                report.claimed += len(batch)
                outcomes = await asyncio.gather(*(self._deliver(row) for row in batch))
                await self._record(batch, outcomes, report)
        if report.claimed or report.expired:
            log.info(
                "outbox.run",
                extra={
                    "claimed": report.claimed,
                    "sent": report.sent,
                    "retried": report.retried,
                    "failed": report.failed,
                    "undeliverable": report.undeliverable,
                    "blocked": report.blocked,
                    "expired": report.expired,
                },
            )
        return report

    async def _deliver(self, row: OutboxRow) -> _Outcome:
        hooks = self._hooks.get(row.kind)
        if hooks is not None and hooks.check is not None:
            reason = await hooks.check(row)
            if reason is not None:
                return _Outcome("blocked", reason=reason)
        try:
            notice = Notice.from_json(row.payload)
        except (ValueError, TypeError, KeyError):
            return _Outcome("failed", reason="unreadable payload")
        async with self._semaphore:
            try:
                message_id = await self._send(row, notice)
            except discord.Forbidden as exc:
                if exc.code == DM_CLOSED:
                    return _Outcome("undeliverable", code=exc.code, reason="dm closed")
                return _Outcome("failed", code=exc.code, reason="forbidden")
            except discord.NotFound as exc:
                return _Outcome("failed", code=exc.code, reason="not found")
            except discord.HTTPException as exc:
                if exc.status == 429 or exc.status >= 500:
                    return _Outcome("retry", code=exc.code or exc.status, reason="server busy")
                return _Outcome("failed", code=exc.code, reason=f"http {exc.status}")
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                return _Outcome("retry", reason=type(exc).__name__)
        return _Outcome("sent", message_id=message_id)

    async def _record(
        self, batch: list[OutboxRow], outcomes: list[_Outcome], report: DispatchReport
    ) -> None:
        now = self.clock.now()
        async with self.db.transaction() as tx:
            for row, outcome in zip(batch, outcomes, strict=True):
                if outcome.code is not None:
                    report.codes[outcome.code] = report.codes.get(outcome.code, 0) + 1
                hooks = self._hooks.get(row.kind) or KindHooks()
                if outcome.status == "sent":
                    report.sent += 1
                    await self.repo.mark_sent(tx, row.id, outcome.message_id, now)
                    if hooks.on_sent is not None:
                        await hooks.on_sent(tx, row, outcome.message_id)
                elif outcome.status == "retry":
                    await self._retry_or_fail(tx, row, outcome, report)
                elif outcome.status == "undeliverable":
                    report.undeliverable += 1
                    await self.repo.mark_final(
                        tx,
                        row.id,
                        status="undeliverable",
                        error_code=outcome.code,
                        error=outcome.reason,
                        now=now,
                    )
                    if hooks.on_undeliverable is not None:
                        await hooks.on_undeliverable(tx, row)
                elif outcome.status == "blocked":
                    report.blocked += 1
                    await self.repo.mark_final(
                        tx,
                        row.id,
                        status="blocked_consent",
                        error_code=None,
                        error=outcome.reason,
                        now=now,
                        count_attempt=False,
                    )
                    if hooks.on_blocked is not None:
                        await hooks.on_blocked(tx, row, outcome.reason or "blocked")
                else:
                    report.failed += 1
                    await self.repo.mark_final(
                        tx,
                        row.id,
                        status="failed",
                        error_code=outcome.code,
                        error=outcome.reason,
                        now=now,
                    )
                    if hooks.on_failed is not None:
                        await hooks.on_failed(tx, row)
        for row, outcome in zip(batch, outcomes, strict=True):
            if outcome.status in ("failed", "undeliverable"):
                log.warning(
                    "outbox.not_delivered",
                    extra={
                        "outbox_id": row.id,
                        "kind": row.kind,
                        "status": outcome.status,
                        "code": outcome.code,
                    },
                )

    async def _retry_or_fail(
        self, tx: Transaction, row: OutboxRow, outcome: _Outcome, report: DispatchReport
    ) -> None:
        now = self.clock.now()
        attempts = row.attempts + 1
        if attempts >= self.settings.max_attempts:
            report.failed += 1
            await self.repo.mark_final(
                tx,
                row.id,
                status="failed",
                error_code=outcome.code,
                error=f"gave up after {attempts} attempts: {outcome.reason}",
                now=now,
            )
            hooks = self._hooks.get(row.kind)
            if hooks is not None and hooks.on_failed is not None:
                await hooks.on_failed(tx, row)
            return
        report.retried += 1
        delay = timedelta(seconds=self.settings.retry_base_seconds * 2 ** (attempts - 1))
        next_at = now + min(delay, _MAX_BACKOFF)
        if row.expires_at is not None and next_at >= row.expires_at:
            next_at = row.expires_at
        await self.repo.mark_retry(
            tx,
            row.id,
            next_attempt_at=next_at,
            error_code=outcome.code,
            error=outcome.reason or "retry",
            now=now,
        )
