"""The crisis path, for any feature that receives a person's words.

    from bot.services.crisis import handle_crisis_text

    async with services.db.transaction() as tx:
        ...your own writes...
        crisis = await handle_crisis_text(
            services, tx,
            user_id=client.user_id, display_name=client.display_name,
            source="checkin_note", text=note, source_ref=checkin_id,
        )

``handle_crisis_text(services, tx_or_none, *, user_id, display_name, source, text=None,
source_ref=None) -> bool``

* ``tx``: the caller's transaction (everything is queued in it), or None to open one.
* ``text``: the words to check with :func:`bot.domain.crisis.detect_crisis` against
  ``settings.safety.crisis_terms``. Pass None when the caller already detected crisis
  language itself; then the path runs unconditionally.
* ``source``: a short kind ("group_message", "report", "checkin_note"); shown to
  facilitators in the alert. ``source_ref``: an id (message, check-in), never content.
* Returns True when the text is crisis language (the path ran, even if the alert and the
  private reply were de-duplicated because one went out within the window), else False.

What the path does, and nothing more (DESIGN.md "Privacy and safety rules"):

1. an urgent ``crisis_language`` alert to the staff channel through
   ``services.alerts.raise_alert`` (Acknowledge button, re-escalation to the on-call role),
   de-duplicated per person within ``settings.safety.alert_dedupe_minutes``;
2. for a new alert, a private DM (outbox kind ``crisis_resources``) with the configured
   resources and the staffed-hours notice;
3. a ``crisis_events`` row (ids and the source kind).

If the DM is undeliverable (50007, DMs closed), the dispatcher hook registered by
:func:`register_crisis_hooks` posts a follow-up in the staff channel asking a facilitator
to reach out directly. Never a deletion, a timeout, a public reply or family contact.
The text is never stored or logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.safety import SafetyRepository
from bot.domain.crisis import detect_crisis, resources_text
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.dispatcher import KindHooks, UndeliverableHook
from bot.services.notices import Notice
from bot.services.outbox import DM, ChannelTarget

log = logging.getLogger("iopbot.crisis")

CRISIS_RULE = "crisis_language"
CRISIS_LABEL = "Crisis language"
CRISIS_DM_KIND = "crisis_resources"
CRISIS_DM_CLOSED_KIND = "crisis_dm_closed"


def crisis_resources_text(services: Services) -> str:
    """The private reply: the configured resources and when the space is staffed."""
    settings = services.settings
    return resources_text(
        [(r.name, r.contact) for r in settings.safety.resources],
        settings.program.staffed_hours,
    )


async def handle_crisis_text(
    services: Services,
    tx: Transaction | None,
    *,
    user_id: int,
    display_name: str,
    source: str,
    text: str | None = None,
    source_ref: int | None = None,
) -> bool:
    """Run the crisis path for ``user_id`` if ``text`` is crisis language (see module doc)."""
    if text is not None and detect_crisis(text, services.settings.safety.crisis_terms) is None:
        return False
    register_crisis_hooks(services)
    if tx is not None:
        await _respond(services, tx, user_id, display_name, source, source_ref)
    else:
        async with services.db.transaction() as own:
            await _respond(services, own, user_id, display_name, source, source_ref)
    return True


async def _respond(
    services: Services,
    tx: Transaction,
    user_id: int,
    display_name: str,
    source: str,
    source_ref: int | None,
) -> None:
    settings = services.settings
    alert_id = await services.alerts.raise_alert(
        tx,
        subject_user_id=user_id,
        subject_name=display_name,
        rule=CRISIS_RULE,
        label=CRISIS_LABEL,
        severity="urgent",
        source=source.replace("_", " "),
        window=timedelta(minutes=settings.safety.alert_dedupe_minutes),
    )
    dm_id: int | None = None
    if alert_id is not None:
        dm_id = await services.outbox.enqueue(
            tx,
            dedupe_key=f"crisis:dm:{user_id}:{alert_id}",
            kind=CRISIS_DM_KIND,
            target=DM(user_id),
            notice=Notice(
                content=crisis_resources_text(services),
                meta={"alert_id": alert_id, "name": display_name[:100]},
            ),
            subject_user_id=user_id,
        )
    await SafetyRepository(services.db).add_event(
        tx,
        user_id=user_id,
        source=source,
        source_ref=source_ref,
        alert_id=alert_id,
        dm_outbox_id=dm_id,
        now=services.clock.now(),
    )
    log.info(
        "crisis.path",
        extra={
            "person": services.key.pseudonym(user_id),
            "source": source,
            "alert_id": alert_id,
            "dm": dm_id,
        },
    )


def register_crisis_hooks(services: Services) -> None:
    """Register the dispatcher hook for undeliverable crisis DMs (idempotent)."""
    services.dispatcher.register(CRISIS_DM_KIND, KindHooks(on_undeliverable=_dm_closed(services)))


def unregister_crisis_hooks(services: Services) -> None:
    services.dispatcher.unregister(CRISIS_DM_KIND)


def _dm_closed(services: Services) -> UndeliverableHook:
    async def on_undeliverable(tx: Transaction, row: OutboxRow) -> None:
        channel_id = services.settings.channels.staff_alerts
        if channel_id is None:
            log.error("crisis.dm_closed_no_staff_channel", extra={"outbox_id": row.id})
            return
        meta = Notice.from_json(row.payload).meta
        alert_id = meta.get("alert_id")
        name = str(meta.get("name") or f"member {row.target_id}")
        await services.outbox.enqueue(
            tx,
            dedupe_key=f"crisis:dm_closed:{row.id}",
            kind=CRISIS_DM_CLOSED_KIND,
            target=ChannelTarget(channel_id),
            notice=Notice(
                content=(
                    f"🔴 Alert #{alert_id}: I could not send crisis resources privately to "
                    f"{shown_name(name)} (<@{row.target_id}>): their DMs are closed. Please reach "
                    "out to "
                    "them directly."
                )
            ),
            subject_user_id=row.target_id,
        )
        log.warning(
            "crisis.dm_closed",
            extra={"person": services.key.pseudonym(row.target_id), "alert_id": alert_id},
        )

    return on_undeliverable
