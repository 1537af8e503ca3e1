"""An alert is never lost: when its staff-channel post fails, staff hear about it by DM.

The dispatcher calls :func:`on_staff_post_failed` (an ``on_failed`` hook) in the
transaction that marks a staff-channel post ``failed``: Discord refused it (a 4xx other
than 429, e.g. 50001 Missing Access, 50013 Missing Permissions, 10003 Unknown Channel) or
the retries ran out. It then

1. queues a DM to each member of the on-call role, then to each facilitator (one each,
   de-duplicated; they all go out at once: a lost alert is worth a few extra DMs; the
   sender's neutral first line hides it on a lock screen), with the alert's Acknowledge
   button, so a person is reached and can stop the re-paging;
2. records the failure in ``alert_failures`` (``/alerts status`` shows the last 24 hours);
3. logs it at error level (ids and the Discord code only).

Who is on call comes from the bot's member cache through ``Alerts.staff_lookup``, set by
the alerts cog (``(on_call_ids, facilitator_ids)``). The DMs' own kind has no fallback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.services.alert_render import ack_custom_id
from bot.services.container import Services
from bot.services.dispatcher import FailedHook, KindHooks
from bot.services.notices import Button, Notice
from bot.services.outbox import DM

log = logging.getLogger("iopbot.alerts")

FALLBACK_KIND = "alert_fallback_dm"

StaffLookup = Callable[[], tuple[list[int], list[int]]]


def fallback_text(what: str, code: int | None) -> str:
    reason = f"Discord refused it (code {code})" if code else "it could not be delivered"
    # The sender puts the neutral program.dm_preview line first (a locked phone shows it).
    return (
        f"{what} could not be posted in the staff channel: {reason}. Please follow up "
        "with the person directly, acknowledge it below, and ask an admin to check the "
        "bot's access to the staff channel (`/alerts status`)."
    )


def failed_post_hook(services: Services) -> FailedHook:
    async def on_failed(tx: Transaction, row: OutboxRow) -> None:
        await on_staff_post_failed(services, tx, row)

    return on_failed


def register_fallback(services: Services, kinds: tuple[str, ...]) -> None:
    """The fallback for each staff-post kind (kinds with no other hooks)."""
    for kind in kinds:
        services.dispatcher.register(kind, KindHooks(on_failed=failed_post_hook(services)))


def unregister_fallback(services: Services, kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        services.dispatcher.unregister(kind)


async def on_staff_post_failed(services: Services, tx: Transaction, row: OutboxRow) -> None:
    try:
        notice = Notice.from_json(row.payload)
    except (ValueError, TypeError, KeyError):
        notice = Notice()
    raw_alert = notice.meta.get("alert_id")
    alert_id = int(raw_alert) if isinstance(raw_alert, int) else None
    alert = await services.alerts.repo.get_in(tx, alert_id) if alert_id is not None else None
    code = await services.outbox_repo.error_code_in(tx, row.id)
    lookup: StaffLookup | None = services.alerts.staff_lookup
    on_call, facilitators = lookup() if lookup is not None else ([], [])
    recipients = list(dict.fromkeys([*on_call, *facilitators]))
    if alert is not None:
        client = await services.clients.get_in(tx, alert.subject_user_id)
        name = client.display_name if client else f"member {alert.subject_user_id}"
        what = f"{alert.severity.capitalize()} alert #{alert.id} ({alert.label}) for {name}"
        buttons: tuple[Button, ...] = (
            ()
            if alert.acknowledged_at
            else (Button("Acknowledge", ack_custom_id(alert.id), "success"),)
        )
    else:
        what = "A safety notice about a client"
        buttons = ()
    queued = 0
    for user_id in recipients:
        made = await services.outbox.enqueue(
            tx,
            dedupe_key=f"alert:fallback:{row.id}:{user_id}",
            kind=FALLBACK_KIND,
            target=DM(user_id),
            notice=Notice(content=fallback_text(what, code), buttons=buttons),
            subject_user_id=row.subject_user_id,
        )
        queued += made is not None
    await services.alerts.repo.add_failure(
        tx,
        alert_id=alert_id,
        subject_user_id=row.subject_user_id,
        outbox_id=row.id,
        kind=row.kind,
        error_code=code,
        fallback_dms=queued,
        now=services.clock.now(),
    )
    log.error(
        "alert.post_failed",
        extra={
            "outbox_id": row.id,
            "alert_id": alert_id,
            "kind": row.kind,
            "code": code,
            "fallback_dms": queued,
        },
    )
    if not recipients:
        log.error("alert.fallback_no_recipients", extra={"alert_id": alert_id})
