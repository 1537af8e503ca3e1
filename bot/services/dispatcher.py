"""The dispatcher: claims due outbox rows and sends them, within Discord's global rate.

One run: expire stale rows, claim what is due (status ``sending``), send each under a
global token bucket with bounded concurrency, and record each row's outcome **as soon as
it is known**, in its own short transaction (committed within milliseconds of the send), so
a crash leaves at most the requests actually in flight ambiguous. ``sent_at`` is the time
Discord answered. Each row's bookkeeping runs in a savepoint: an exception from a hook,
from ``check`` or from the send marks that one row ``failed`` with a reason and leaves the
others alone.

Rows left in ``sending`` by a crash are recovered at start-up (``release_stale_claims``):
the bot's recent messages in each such row's channel are read back and a row whose notice
is there is recorded as sent (``bot/services/reconcile.py``); the rest are released and
re-sent with the same nonce (``ob{id}``), which Discord de-duplicates while it still
remembers it. Features hook in per ``kind``:

* ``check(row)`` — runs just before sending; a reason string blocks the send
  (``blocked_consent``), e.g. family consent revoked after the notice was queued;
* ``on_sent(tx, row, message_id)`` — in the row's savepoint (e.g. the accounting of
  disclosures);
* ``on_blocked(tx, row, reason)`` and ``on_undeliverable(tx, row)`` — the 50007 ladder;
* ``on_failed(tx, row)`` — the row failed for good (in its savepoint; also after another
  hook raised, in a fresh savepoint).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
import discord

from bot.config import OutboxSettings
from bot.db.database import Database, Transaction
from bot.db.repositories.outbox import OutboxRepository, OutboxRow
from bot.services.clock import Clock
from bot.services.notices import Notice
from bot.services.reconcile import CLOCK_SKEW, Delivered, HistoryFn, match_delivered

log = logging.getLogger("iopbot.dispatcher")

CheckHook = Callable[[OutboxRow], Awaitable[str | None]]
SentHook = Callable[[Transaction, OutboxRow, int | None], Awaitable[None]]
BlockedHook = Callable[[Transaction, OutboxRow, str], Awaitable[None]]
UndeliverableHook = Callable[[Transaction, OutboxRow], Awaitable[None]]
FailedHook = Callable[[Transaction, OutboxRow], Awaitable[None]]
SendFn = Callable[[OutboxRow, Notice], Awaitable[int | None]]

DM_CLOSED = 50007
_MAX_BACKOFF = timedelta(hours=1)
# A retry capped at ``expires_at`` is still attempted if the run comes this late.
CAPPED_RETRY_GRACE = timedelta(minutes=10)


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
    at: datetime | None = None  # when Discord answered (the delivery time for "sent")


class HookError(Exception):
    """A feature's hook raised while a row was recorded (the row is failed, not the batch)."""

    def __init__(self, hook: str) -> None:
        super().__init__(hook)
        self.hook = hook


class Dispatcher:
    def __init__(
        self,
        *,
        db: Database,
        repo: OutboxRepository,
        clock: Clock,
        send: SendFn,
        settings: OutboxSettings,
        history: HistoryFn | None = None,
    ) -> None:
        self.db = db
        self.repo = repo
        self.clock = clock
        self._send = send
        self._history = history
        self.settings = settings
        self._hooks: dict[str, KindHooks] = {}
        self._run_lock = asyncio.Lock()
        self._semaphore = asyncio.Semaphore(settings.concurrency)

    def register(self, kind: str, hooks: KindHooks) -> None:
        self._hooks[kind] = hooks

    def unregister(self, kind: str) -> None:
        self._hooks.pop(kind, None)

    # ----- recovery after a crash ----------------------------------------------------------

    async def release_stale_claims(self) -> int:
        """Recover rows a crash left in 'sending'; return how many go back to 'pending'.

        Rows whose notice is found in the channel's recent history are recorded as sent
        (with their hooks); the others are released and re-sent with the same nonce.
        Call it after the features have registered their hooks.
        """
        async with self._run_lock:
            rows = await self.repo.list_sending()
            if not rows:
                return 0
            found = await self._find_delivered(rows)
            report = DispatchReport()
            released = 0
            for row in rows:
                delivered = found.get(row.id)
                if delivered is not None:
                    outcome = _Outcome(
                        "sent", message_id=delivered.message_id, at=delivered.sent_at
                    )
                    await self._record(row, outcome, report)
                    continue
                async with self.db.transaction() as tx:
                    await self.repo.release_claim(tx, row.id, self.clock.now())
                released += 1
        log.warning(
            "outbox.recovered_claims",
            extra={"rows": len(rows), "found_delivered": report.sent, "released": released},
        )
        return released

    async def _find_delivered(self, rows: list[OutboxRow]) -> dict[int, Delivered]:
        if self._history is None:
            return {}
        groups: dict[tuple[str, int], list[OutboxRow]] = {}
        for row in rows:
            groups.setdefault((row.target_type, row.target_id), []).append(row)
        found: dict[int, Delivered] = {}
        for (target_type, target_id), group in groups.items():
            since = min(r.claimed_at or r.created_at for r in group) - CLOCK_SKEW
            try:
                seen = await self._history(target_type, target_id, since)
            except Exception as exc:  # the rows are re-sent: the nonce is the only guard left
                log.warning(
                    "outbox.reconcile_unavailable",
                    extra={
                        "target_type": target_type,
                        "target_id": target_id,
                        "rows": len(group),
                        "error": type(exc).__name__,
                    },
                )
                continue
            attributed = await self.repo.attributed_message_ids(target_type, target_id, since)
            found.update(match_delivered(group, seen, attributed))
        return found

    # ----- one run ---------------------------------------------------------------------------

    async def run_once(self) -> DispatchReport:
        """Send everything due now; batches until nothing due is left."""
        report = DispatchReport()
        async with self._run_lock:
            while True:
                now = self.clock.now()
                async with self.db.transaction() as tx:
                    report.expired += await self.repo.expire_due(tx, now, grace=CAPPED_RETRY_GRACE)
                    batch = await self.repo.claim_due(tx, now, self.settings.batch_size)
                if not batch:
                    break
                report.claimed += len(batch)
                await asyncio.gather(*(self._deliver_and_record(row, report) for row in batch))
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

    async def _deliver_and_record(self, row: OutboxRow, report: DispatchReport) -> None:
        try:
            outcome = await self._deliver(row)
        except Exception as exc:  # a check hook, the view builder, discord.py's own checks
            ref = _log_unexpected("outbox.send_raised", row, exc)
            outcome = _Outcome("failed", reason=f"{type(exc).__name__} while sending (ref {ref})")
        await self._record(row, outcome, report)

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
            except discord.HTTPException as exc:
                # 50007 means "DM closed" whatever the status it arrives with (Discord
                # sends 403; other servers have sent 400).
                if exc.code == DM_CLOSED:
                    return _Outcome("undeliverable", code=exc.code, reason="dm closed")
                if isinstance(exc, discord.Forbidden):
                    return _Outcome("failed", code=exc.code, reason="forbidden")
                if isinstance(exc, discord.NotFound):
                    return _Outcome("failed", code=exc.code, reason="not found")
                if exc.status == 429 or exc.status >= 500:
                    return _Outcome("retry", code=exc.code or exc.status, reason="server busy")
                return _Outcome("failed", code=exc.code, reason=f"http {exc.status}")
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                return _Outcome("retry", reason=type(exc).__name__)
        return _Outcome("sent", message_id=message_id, at=self.clock.now())

    # ----- recording one row -----------------------------------------------------------------

    async def _record(self, row: OutboxRow, outcome: _Outcome, report: DispatchReport) -> None:
        """Record one row's outcome in its own transaction, its hooks in a savepoint."""
        if outcome.code is not None:
            report.codes[outcome.code] = report.codes.get(outcome.code, 0) + 1
        now = self.clock.now()
        try:
            async with self.db.transaction() as tx:
                try:
                    async with tx.savepoint():
                        status = await self._apply(tx, row, outcome, now)
                except HookError as exc:
                    status = "failed"
                    await self._fail_after_hook(tx, row, outcome, exc, now)
        except Exception as exc:  # the database itself: the row stays 'sending' until recovery
            _log_unexpected("outbox.record_failed", row, exc)
            return
        setattr(report, _COUNTERS[status], getattr(report, _COUNTERS[status]) + 1)
        if status in ("failed", "undeliverable"):
            log.warning(
                "outbox.not_delivered",
                extra={
                    "outbox_id": row.id,
                    "kind": row.kind,
                    "status": status,
                    "code": outcome.code,
                },
            )

    async def _apply(
        self, tx: Transaction, row: OutboxRow, outcome: _Outcome, now: datetime
    ) -> str:
        hooks = self._hooks.get(row.kind) or KindHooks()
        if outcome.status == "sent":
            await self.repo.mark_sent(tx, row.id, outcome.message_id, outcome.at or now)
            await _hook("on_sent", hooks.on_sent, tx, row, outcome.message_id)
            return "sent"
        if outcome.status == "retry":
            return await self._retry_or_fail(tx, row, outcome, hooks, now)
        if outcome.status == "undeliverable":
            await self.repo.mark_final(
                tx,
                row.id,
                status="undeliverable",
                error_code=outcome.code,
                error=outcome.reason,
                now=now,
            )
            await _hook("on_undeliverable", hooks.on_undeliverable, tx, row)
            return "undeliverable"
        if outcome.status == "blocked":
            await self.repo.mark_final(
                tx,
                row.id,
                status="blocked_consent",
                error_code=None,
                error=outcome.reason,
                now=now,
                count_attempt=False,
            )
            await _hook("on_blocked", hooks.on_blocked, tx, row, outcome.reason or "blocked")
            return "blocked"
        await self.repo.mark_final(
            tx, row.id, status="failed", error_code=outcome.code, error=outcome.reason, now=now
        )
        await _hook("on_failed", hooks.on_failed, tx, row)
        return "failed"

    async def _fail_after_hook(
        self, tx: Transaction, row: OutboxRow, outcome: _Outcome, exc: HookError, now: datetime
    ) -> None:
        """A hook raised: its writes are rolled back; the row alone is 'failed' with why."""
        cause = exc.__cause__ or exc
        ref = _log_unexpected("outbox.hook_raised", row, cause, hook=exc.hook)
        reason = f"{exc.hook} hook raised {type(cause).__name__} (ref {ref})"
        if outcome.status == "sent":
            await self.repo.mark_failed_after_send(
                tx,
                row.id,
                message_id=outcome.message_id,
                sent_at=outcome.at or now,
                error=f"delivered, but {reason}",
                now=now,
            )
        else:
            await self.repo.mark_final(
                tx, row.id, status="failed", error_code=outcome.code, error=reason, now=now
            )
        hooks = self._hooks.get(row.kind) or KindHooks()
        if exc.hook == "on_failed" or hooks.on_failed is None:
            return
        try:
            async with tx.savepoint():
                await _hook("on_failed", hooks.on_failed, tx, row)
        except HookError as again:
            _log_unexpected("outbox.hook_raised", row, again.__cause__ or again, hook="on_failed")

    async def _retry_or_fail(
        self,
        tx: Transaction,
        row: OutboxRow,
        outcome: _Outcome,
        hooks: KindHooks,
        now: datetime,
    ) -> str:
        attempts = row.attempts + 1
        if row.expires_at is not None and now >= row.expires_at:
            await self.repo.mark_final(
                tx,
                row.id,
                status="expired",
                error_code=outcome.code,
                error=f"expired after {attempts} attempts: {outcome.reason}",
                now=now,
            )
            return "expired"
        if attempts >= self.settings.max_attempts:
            await self.repo.mark_final(
                tx,
                row.id,
                status="failed",
                error_code=outcome.code,
                error=f"gave up after {attempts} attempts: {outcome.reason}",
                now=now,
            )
            await _hook("on_failed", hooks.on_failed, tx, row)
            return "failed"
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
        return "retried"


_COUNTERS = {
    "sent": "sent",
    "retried": "retried",
    "failed": "failed",
    "undeliverable": "undeliverable",
    "blocked": "blocked",
    "expired": "expired",
}


async def _hook(name: str, hook: Callable[..., Awaitable[None]] | None, *args: object) -> None:
    """Run a hook; its exception becomes a HookError naming it (caught per row)."""
    if hook is None:
        return
    try:
        await hook(*args)
    except Exception as exc:
        raise HookError(name) from exc


def _log_unexpected(event: str, row: OutboxRow, exc: BaseException, **extra: object) -> str:
    ref = secrets.token_hex(2).upper()
    log.error(
        event,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"ref": ref, "outbox_id": row.id, "kind": row.kind, **extra},
    )
    return ref
