"""The care line's dispatcher hooks: a DM that can't be delivered (50007) is reported in
the client's thread; a thread post that fails raises a staff alert (never silently lost)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.services.container import Services
from bot.services.dispatcher import KindHooks
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget
from cogs.careline._common import TO_CLIENT, TO_STAFF, repo
from cogs.careline._render import dm_closed_in_thread

if TYPE_CHECKING:  # only its in-memory cache is touched here (forget)
    from cogs.careline._threads import CareThreads

log = logging.getLogger("iopbot.careline")

UNKNOWN_CHANNEL = 10003


def register_hooks(services: Services, threads: CareThreads) -> None:
    async def on_undeliverable(tx: Transaction, row: OutboxRow) -> None:
        await dm_undeliverable(services, tx, row)

    async def on_failed(tx: Transaction, row: OutboxRow) -> None:
        await thread_post_failed(services, threads, tx, row)

    services.dispatcher.register(TO_CLIENT, KindHooks(on_undeliverable=on_undeliverable))
    services.dispatcher.register(TO_STAFF, KindHooks(on_failed=on_failed))


def unregister_hooks(services: Services) -> None:
    services.dispatcher.unregister(TO_CLIENT)
    services.dispatcher.unregister(TO_STAFF)


async def dm_undeliverable(services: Services, tx: Transaction, row: OutboxRow) -> None:
    """The 50007 ladder's staff side: the client's thread says the DM didn't arrive."""
    meta = Notice.from_json(row.payload).meta
    thread = await repo(services).thread_for(row.target_id, tx)
    thread_id = thread.thread_id if thread else int(meta.get("thread_id") or 0)
    if not thread_id:
        log.warning(
            "careline.dm_closed_no_thread", extra={"person": services.key.pseudonym(row.target_id)}
        )
        return
    name = str(meta.get("name") or f"<@{row.target_id}>")
    await services.outbox.enqueue(
        tx,
        dedupe_key=f"careline:dm_closed:{row.id}",
        kind=TO_STAFF,
        target=ChannelTarget(thread_id),
        notice=Notice(content=dm_closed_in_thread(name)),
        subject_user_id=row.target_id,
    )
    log.warning(
        "careline.dm_closed",
        extra={"person": services.key.pseudonym(row.target_id), "outbox_id": row.id},
    )


async def thread_post_failed(
    services: Services, threads: CareThreads, tx: Transaction, row: OutboxRow
) -> None:
    """A client's words (or a notice) could not be posted in their thread (e.g. it was
    deleted, or the bot lost access): never silently lost, staff get an alert (no
    content), and a deleted thread is made afresh on the client's next message."""
    subject = row.subject_user_id or 0
    code = await services.outbox_repo.error_code_in(tx, row.id)
    if code == UNKNOWN_CHANNEL:
        await repo(services).forget_thread(tx, row.target_id)
        threads.forget(row.target_id)
    client = await services.clients.get_in(tx, subject)
    await services.alerts.raise_alert(
        tx,
        subject_user_id=subject,
        subject_name=client.display_name if client else f"member {subject}",
        rule="careline_post_failed",
        label="Care-line message not shown in the thread",
        severity="high",
        source="care line",
        window=timedelta(hours=1),
    )
    log.error(
        "careline.thread_post_failed",
        extra={"person": services.key.pseudonym(subject), "outbox_id": row.id, "code": code},
    )
