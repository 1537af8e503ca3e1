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
source_ref=None, severity=None, category=None, channel_id=None, message_id=None) -> bool``

* ``tx``: the caller's transaction (everything is queued in it), or None to open one.
* ``text``: the words to check with :func:`bot.domain.crisis.detect_crisis` against
  ``settings.safety.crisis_terms``; the match gives the severity and category. Pass None
  when the caller already detected crisis language itself (e.g. a check-in safety item
  answered "yes"); then the path runs unconditionally with ``severity`` (default urgent)
  and ``category``.
* ``source``: a short kind ("group_message", "dm", "report", "checkin_note"); shown to
  facilitators in the alert. ``source_ref``: an id (message, check-in), never content.
  ``channel_id`` + ``message_id`` say where the message is: a group message gets a jump
  link in the alert, a DM (and a check-in note, by ``source_ref``) an audit-logged
  "View message" button. ``message_id`` defaults to ``source_ref``.
* Returns True when the text is crisis language (the path ran, even if the alert and the
  private reply were de-duplicated because one went out within the window), else False.

What the path does, and nothing more (DESIGN.md "Privacy and safety rules"):

1. a ``crisis_events`` row (ids, source kind, severity and category; never the words);
2. an alert to the staff channel through ``services.alerts.raise_alert``: urgent matches
   page the on-call role at once and again until acknowledged, concern matches are a
   "high" alert with the 4-hour re-escalation; de-duplicated per person within
   ``settings.safety.alert_dedupe_minutes`` (a concern never hides a later urgent match);
3. for a new alert, a private DM (outbox kind ``crisis_resources``; the sender puts the
   neutral ``program.dm_preview`` line first) with the configured resources (plus the
   category's, e.g. Poison Control for overdose intent), an honest word when it is
   outside staffed hours, and the "My safety plan" button (``SAFETY_PLAN_CUSTOM_ID``,
   handled by the safety-plan cog).

If the DM is undeliverable (50007, DMs closed), the dispatcher hook registered by
:func:`register_crisis_hooks` posts a follow-up in the staff channel asking a facilitator
to reach out directly (and that post falls back to DMs like an alert if it fails).
Never a deletion, a timeout, a public reply or family contact. The text is never stored
or logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import discord

from bot.db.database import Transaction
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.safety import SafetyRepository
from bot.domain.crisis import detect_crisis, resources_text
from bot.domain.localtime import parse_hhmm
from bot.domain.staffing import is_staffed
from bot.domain.text import shown_name
from bot.services.alert_fallback import failed_post_hook
from bot.services.container import Services
from bot.services.dispatcher import KindHooks, UndeliverableHook
from bot.services.notices import Button, Notice
from bot.services.outbox import DM, ChannelTarget

log = logging.getLogger("iopbot.crisis")

CRISIS_RULE = "crisis_language"
CONCERN_RULE = "crisis_concern"
CRISIS_LABEL = "Crisis language"
CRISIS_DM_KIND = "crisis_resources"
CRISIS_DM_CLOSED_KIND = "crisis_dm_closed"
# The safety-plan cog handles this button (a private view of the person's own plan).
SAFETY_PLAN_CUSTOM_ID = "iop:safetyplan:show"
SAFETY_PLAN_LABEL = "My safety plan"
VIEW_MESSAGE_PREFIX = "iop:crisis:view:"
# Sources whose message facilitators open with "View message" (not a channel they can see).
VIEWABLE_SOURCES = ("dm", "checkin_note")


def safety_plan_button() -> Button:
    return Button(SAFETY_PLAN_LABEL, SAFETY_PLAN_CUSTOM_ID, "primary")


def safety_plan_view() -> discord.ui.View:
    """The safety-plan button for an ephemeral crisis reply (a finished, stored-nowhere view)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label=SAFETY_PLAN_LABEL,
            custom_id=SAFETY_PLAN_CUSTOM_ID,
            style=discord.ButtonStyle.primary,
        )
    )
    view.stop()
    return view


def staffed_now(services: Services) -> bool:
    program = services.settings.program
    return is_staffed(
        services.clock.now(),
        program.timezone,
        program.staffed_days,
        parse_hhmm(program.staffed_start),
        parse_hhmm(program.staffed_end),
    )


def crisis_resources_text(
    services: Services,
    *,
    category: str | None = None,
    facilitator_told: bool = True,
) -> str:
    """The private reply: resources (plus the category's own), and when staff are here."""
    settings = services.settings
    resources = [(r.name, r.contact) for r in settings.safety.resources]
    extra = settings.safety.category_resources.get(category or "", [])
    resources = [(r.name, r.contact) for r in extra] + resources
    return resources_text(
        resources,
        settings.program.staffed_hours,
        facilitator_told=facilitator_told,
        staffed_now=staffed_now(services) if facilitator_told else None,
    )


def jump_url(guild_id: int | None, channel_id: int | None, message_id: int | None) -> str | None:
    if guild_id is None or channel_id is None or message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


async def handle_crisis_text(
    services: Services,
    tx: Transaction | None,
    *,
    user_id: int,
    display_name: str,
    source: str,
    text: str | None = None,
    source_ref: int | None = None,
    severity: str | None = None,
    category: str | None = None,
    channel_id: int | None = None,
    message_id: int | None = None,
) -> bool:
    """Run the crisis path for ``user_id`` if ``text`` is crisis language (see module doc)."""
    if text is not None:
        safety = services.settings.safety
        match = detect_crisis(text, safety.crisis_terms, safety.crisis_idioms)
        if match is None:
            return False
        severity, category = match.severity, match.category
    where = _Where(
        source=source,
        ref=message_id if message_id is not None else source_ref,
        channel_id=channel_id,
        severity="concern" if severity == "concern" else "urgent",
        category=category,
    )
    register_crisis_hooks(services)
    if tx is not None:
        await _respond(services, tx, user_id, display_name, where)
    else:
        async with services.db.transaction() as own:
            await _respond(services, own, user_id, display_name, where)
    return True


@dataclass(frozen=True, slots=True)
class _Where:
    source: str
    ref: int | None
    channel_id: int | None
    severity: str
    category: str | None


def _label(where: _Where) -> str:
    if not where.category:
        return CRISIS_LABEL
    return f"{CRISIS_LABEL}: {where.category.replace('_', ' ')}"


async def _raise(
    services: Services, tx: Transaction, user_id: int, name: str, where: _Where, event_id: int
) -> int | None:
    settings = services.settings
    window = timedelta(minutes=settings.safety.alert_dedupe_minutes)
    urgent = where.severity == "urgent"
    if not urgent:
        since = services.clock.now() - window
        if await services.alert_repo.recent_in(tx, user_id, CRISIS_RULE, since) is not None:
            return None  # an urgent alert for this person is already out
    link = None
    buttons: tuple[Button, ...] = ()
    if where.source in VIEWABLE_SOURCES and where.ref is not None:
        buttons = (Button("View message", f"{VIEW_MESSAGE_PREFIX}{event_id}", "secondary"),)
    else:
        link = jump_url(settings.discord.guild_id, where.channel_id, where.ref)
    return await services.alerts.raise_alert(
        tx,
        subject_user_id=user_id,
        subject_name=name,
        rule=CRISIS_RULE if urgent else CONCERN_RULE,
        label=_label(where),
        severity="urgent" if urgent else "high",
        source=where.source.replace("_", " "),
        window=window,
        extra_buttons=buttons,
        jump_url=link,
    )


async def _respond(
    services: Services, tx: Transaction, user_id: int, display_name: str, where: _Where
) -> None:
    repo = SafetyRepository(services.db)
    event_id = await repo.add_event(
        tx,
        user_id=user_id,
        source=where.source,
        source_ref=where.ref,
        alert_id=None,
        dm_outbox_id=None,
        now=services.clock.now(),
        severity=where.severity,
        category=where.category,
        channel_id=where.channel_id,
    )
    alert_id = await _raise(services, tx, user_id, display_name, where, event_id)
    dm_id: int | None = None
    if alert_id is not None:
        dm_id = await services.outbox.enqueue(
            tx,
            dedupe_key=f"crisis:dm:{user_id}:{alert_id}",
            kind=CRISIS_DM_KIND,
            target=DM(user_id),
            notice=Notice(
                content=crisis_resources_text(services, category=where.category),
                buttons=(safety_plan_button(),),
                meta={"alert_id": alert_id, "name": display_name[:100]},
            ),
            subject_user_id=user_id,
        )
    await repo.link_event(tx, event_id, alert_id=alert_id, dm_outbox_id=dm_id)
    log.info(
        "crisis.path",
        extra={
            "person": services.key.pseudonym(user_id),
            "source": where.source,
            "alert_id": alert_id,
            "dm": dm_id,
        },
    )


def register_crisis_hooks(services: Services) -> None:
    """Register the dispatcher hooks for crisis notices (idempotent)."""
    services.dispatcher.register(CRISIS_DM_KIND, KindHooks(on_undeliverable=_dm_closed(services)))
    services.dispatcher.register(
        CRISIS_DM_CLOSED_KIND, KindHooks(on_failed=failed_post_hook(services))
    )


def unregister_crisis_hooks(services: Services) -> None:
    services.dispatcher.unregister(CRISIS_DM_KIND)
    services.dispatcher.unregister(CRISIS_DM_CLOSED_KIND)


def _dm_closed(services: Services) -> UndeliverableHook:
    async def on_undeliverable(tx: Transaction, row: OutboxRow) -> None:
        channel_id = services.settings.channels.staff_alerts
        if channel_id is None:
            log.error("crisis.dm_closed_no_staff_channel", extra={"outbox_id": row.id})
            return
        meta: dict[str, Any] = Notice.from_json(row.payload).meta
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
                ),
                meta={"alert_id": alert_id},
            ),
            subject_user_id=row.target_id,
        )
        log.warning(
            "crisis.dm_closed",
            extra={"person": services.key.pseudonym(row.target_id), "alert_id": alert_id},
        )

    return on_undeliverable
