"""Recording a moderation case: the case row, the mod-log entry (ids and action only),
the audit record, and the dispatcher hooks that record warn delivery."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.db.database import Transaction
from bot.db.repositories.moderation import ModCase, ModerationRepository
from bot.db.repositories.outbox import OutboxRow
from bot.domain.moderation import describe_duration
from bot.services.container import Services
from bot.services.dispatcher import KindHooks
from bot.services.notices import Notice
from bot.services.outbox import DM, ChannelTarget

log = logging.getLogger("iopbot.moderation")

MOD_LOG_KIND = "mod_log"
MOD_WARN_KIND = "mod_warn"

ACTION_WORDS = {
    "warn": "Warning",
    "timeout": "Timeout",
    "untimeout": "Timeout removed",
    "delete": "Message deleted",
    "lock": "Channel locked",
    "unlock": "Channel unlocked",
    "slowmode": "Slowmode set",
    "note": "Private note added",
}

DELIVERY_WORDS = {
    "queued": "queued, not sent yet",
    "delivered": "delivered by DM",
    "dm_closed": "not delivered: their DMs are closed (reach out to them directly)",
    "failed": "not delivered: Discord refused the message",
    "expired": "not delivered: it expired before it could be sent",
    "cancelled": "not delivered: it was cancelled",
}


def mod_log_line(case: ModCase) -> str:
    """The mod-log entry: the case id, the action and ids. Never a reason, note or content."""
    parts = [f"Case #{case.id}", f"**{ACTION_WORDS.get(case.action, case.action)}**"]
    if case.member_id is not None:
        parts.append(f"member <@{case.member_id}> (`{case.member_id}`)")
    if case.channel_id is not None:
        parts.append(f"channel <#{case.channel_id}>")
    if case.message_id is not None:
        parts.append(f"message `{case.message_id}`")
    if case.duration_seconds is not None:
        if case.action == "slowmode":
            parts.append(f"{case.duration_seconds} s between messages")
        else:
            parts.append(f"for {describe_duration(timedelta(seconds=case.duration_seconds))}")
    parts.append(f"by <@{case.actor_id}>")
    parts.append(f"<t:{int(case.created_at.timestamp())}:f>")
    return " · ".join(parts)


def warn_text(program: str, reason: str) -> str:
    return (
        f"A facilitator at {program} asked me to pass on this note about the group "
        f"agreement:\n> {reason}\n"
        "Only you received this message. If you'd like to talk about it, please reach out to "
        "a facilitator."
    )


class CaseRecorder:
    """Writes a case, its mod-log entry and the audit record in the caller's transaction."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = ModerationRepository(services.db)

    async def record(
        self,
        tx: Transaction,
        *,
        actor_id: int,
        action: str,
        member_id: int | None = None,
        reason: str | None = None,
        duration_seconds: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
        warn_program: str | None = None,
    ) -> int:
        services = self.services
        now = services.clock.now()
        case_id = await self.repo.add_case(
            tx,
            member_id=member_id,
            actor_id=actor_id,
            action=action,
            now=now,
            reason=reason,
            duration_seconds=duration_seconds,
            channel_id=channel_id,
            message_id=message_id,
            delivery="queued" if action == "warn" else None,
        )
        warn_id = None
        if action == "warn" and member_id is not None and warn_program is not None:
            warn_id = await services.outbox.enqueue(
                tx,
                dedupe_key=f"mod:warn:{case_id}",
                kind=MOD_WARN_KIND,
                target=DM(member_id),
                notice=Notice(
                    content=warn_text(warn_program, reason or ""), meta={"case": case_id}
                ),
                subject_user_id=member_id,
            )
        case = ModCase(
            id=case_id,
            member_id=member_id,
            actor_id=actor_id,
            action=action,
            reason=reason,
            duration_seconds=duration_seconds,
            channel_id=channel_id,
            message_id=message_id,
            delivery=None,
            warn_outbox_id=warn_id,
            mod_log_outbox_id=None,
            mod_log_message_id=None,
            created_at=now,
        )
        log_id = await self.enqueue_mod_log(tx, case_id, mod_log_line(case), member_id)
        await self.repo.set_outboxes(tx, case_id, warn_outbox_id=warn_id, mod_log_outbox_id=log_id)
        detail: dict[str, int] = {"case_id": case_id}
        if channel_id is not None:
            detail["channel_id"] = channel_id
        if message_id is not None:
            detail["message_id"] = message_id
        await services.audit.record(
            tx, actor_id=actor_id, action=f"mod.{action}", subject_user_id=member_id, **detail
        )
        log.info("mod.case", extra={"case_id": case_id, "action": action, "member_id": member_id})
        return case_id

    async def enqueue_mod_log(
        self, tx: Transaction, case_id: int, line: str, member_id: int | None, *, suffix: str = ""
    ) -> int | None:
        channel_id = self.services.settings.channels.mod_log
        if channel_id is None:
            log.warning("mod.no_mod_log_channel", extra={"case_id": case_id})
            return None
        return await self.services.outbox.enqueue(
            tx,
            dedupe_key=f"mod:log:{case_id}{suffix}",
            kind=MOD_LOG_KIND,
            target=ChannelTarget(channel_id),
            notice=Notice(content=line, meta={"case": case_id} if not suffix else {}),
            subject_user_id=member_id,
        )


def register_hooks(services: Services) -> None:
    repo = ModerationRepository(services.db)
    recorder = CaseRecorder(services)

    def case_of(row: OutboxRow) -> int | None:
        value = Notice.from_json(row.payload).meta.get("case")
        return int(value) if isinstance(value, int) else None

    async def warn_sent(tx: Transaction, row: OutboxRow, message_id: int | None) -> None:
        case_id = case_of(row)
        if case_id is not None:
            await repo.set_delivery(tx, case_id, "delivered")

    async def warn_undeliverable(tx: Transaction, row: OutboxRow) -> None:
        case_id = case_of(row)
        if case_id is None:
            return
        await repo.set_delivery(tx, case_id, "dm_closed")
        await recorder.enqueue_mod_log(
            tx,
            case_id,
            f"Case #{case_id}: the warning could not be delivered to <@{row.target_id}> "
            "(their DMs are closed). Please reach out to them directly.",
            row.target_id,
            suffix=":dm_closed",
        )

    async def log_sent(tx: Transaction, row: OutboxRow, message_id: int | None) -> None:
        case_id = case_of(row)
        if case_id is not None and message_id is not None:
            await repo.set_mod_log_message(tx, case_id, message_id)

    services.dispatcher.register(
        MOD_WARN_KIND, KindHooks(on_sent=warn_sent, on_undeliverable=warn_undeliverable)
    )
    services.dispatcher.register(MOD_LOG_KIND, KindHooks(on_sent=log_sent))


def unregister_hooks(services: Services) -> None:
    services.dispatcher.unregister(MOD_WARN_KIND)
    services.dispatcher.unregister(MOD_LOG_KIND)


async def delivery_of(services: Services, case: ModCase) -> str | None:
    """A warn's delivery status in words (the outbox row tells failures the hooks don't)."""
    if case.action != "warn":
        return None
    status = case.delivery or "queued"
    if status == "queued" and case.warn_outbox_id is not None:
        row = await services.outbox_repo.get(case.warn_outbox_id)
        if row is not None and row.status in ("failed", "expired", "cancelled"):
            status = row.status
    return DELIVERY_WORDS.get(status, status)
