"""Family sessions and their notices.

Times: the facilitator types the start as wall-clock time in the program's zone; it is
turned into a UTC instant once, with :func:`bot.domain.localtime.at_local` (DST gap →
forward, fold → first), and stored as UTC. Reminders are ``start - N hours`` in
**absolute** time, so "24 hours before" is exactly 24 hours before; across a DST change
the 24-hour reminder lands one wall-clock hour earlier or later than the session's own
wall time, which is what "24 hours before" means.

Notices go to the client and to each linked family contact whose consent is in force,
queued in the same transaction as the change. Dedupe keys are
``family:{session}:{recipient}:{stage}`` where the stage carries the session's version
(and, for family, the consent's id), so a rescheduled session gets fresh reminders and
the old version's pending ones are cancelled. A planner job tops up what is missing
(e.g. a consent given after the session was scheduled); it is idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.db.database import Transaction
from bot.db.repositories.family_sessions import FamilySession
from bot.domain.dates import parse_date
from bot.domain.family_notices import NoticeFields, Stage, render_family_notice
from bot.domain.localtime import at_local, parse_hhmm
from bot.services.errors import UserError
from bot.services.notices import Button, Notice
from bot.services.outbox import DM
from cogs.family._common import NOTICE_KIND, Family, Recipient, consent_end, recipients
from cogs.family._spec import SPEC

MAX_DAYS_AHEAD = 365


def rsvp_custom_id(session_id: int, yes: bool) -> str:
    return f"iop:family:rsvp:{session_id}:{'yes' if yes else 'no'}"


def parse_start(family: Family, text: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in the program's zone → a future UTC instant."""
    parts = text.strip().split()
    if len(parts) != 2:
        raise UserError("Please give the start as YYYY-MM-DD HH:MM, e.g. 2026-03-12 18:00.")
    day, wall = parse_date(parts[0]), parse_hhmm(parts[1])
    start = at_local(day, wall, family.services.settings.program.timezone)
    now = family.now()
    if start <= now:
        raise UserError("The start must be in the future.")
    if start > now + timedelta(days=MAX_DAYS_AHEAD):
        raise UserError(f"The start can be at most {MAX_DAYS_AHEAD} days ahead.")
    return start


def check_duration(minutes: int) -> int:
    if not 15 <= minutes <= 240:
        raise UserError("The length must be between 15 and 240 minutes.")
    return minutes


def check_place(text: str) -> str:
    place = " ".join(text.split())
    if not place or len(place) > 200:
        raise UserError("Please give a place or a link of at most 200 characters.")
    if "://" in place and not place.lower().startswith("https://"):
        raise UserError("Video links must start with https://.")
    return place


def _fields(
    family: Family, session: FamilySession, stage: Stage, recipient: Recipient, hours: float | None
) -> NoticeFields:
    from bot.domain.consent import scope_line

    is_family = recipient.consent is not None
    return NoticeFields(
        stage=stage,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        place=session.place,
        # The consent covers the session's logistics only: family recipients never get the
        # facilitator's name (bot/domain/consent.py NOTICE_ELEMENTS).
        facilitator_name=None if is_family else session.facilitator_name,
        hours_before=hours,
        scope_line=scope_line(recipient.consent.terms) if recipient.consent else None,
        redisclosure_statement=(
            SPEC.section_of(family.services.settings).redisclosure_text if is_family else None
        ),
    )


async def _enqueue(
    family: Family,
    tx: Transaction,
    session: FamilySession,
    recipient: Recipient,
    *,
    stage: Stage,
    stage_key: str,
    due_at: datetime,
    expires_at: datetime | None,
    hours: float | None = None,
) -> bool:
    consent = recipient.consent
    if consent is not None:
        end = consent_end(family, consent)
        if end is not None and due_at >= end:
            return False  # the consent ends first: never queue what could not be sent
        stage_key = f"{stage_key}-c{consent.id}"
    buttons = (
        ()
        if stage == "cancelled"
        else (
            Button("Confirm", rsvp_custom_id(session.id, True), "success"),
            Button("Can't make it", rsvp_custom_id(session.id, False), "secondary"),
        )
    )
    notice = Notice(
        content=render_family_notice(_fields(family, session, stage, recipient, hours)),
        buttons=buttons,
        meta={
            "session_id": session.id,
            "version": session.version,
            "stage": stage_key,
            "contact_id": recipient.contact.id if recipient.contact else None,
            "consent_id": consent.id if consent else None,
        },
    )
    row_id = await family.services.outbox.enqueue(
        tx,
        dedupe_key=f"family:{session.id}:{recipient.user_id}:{stage_key}",
        kind=NOTICE_KIND,
        target=DM(recipient.user_id),
        notice=notice,
        due_at=due_at,
        expires_at=expires_at,
        subject_user_id=session.client_id,
    )
    return row_id is not None


async def queue_session_notices(
    family: Family, tx: Transaction, session: FamilySession, now: datetime
) -> int:
    """Queue what this session version's recipients should get; return how many were new."""
    queued = 0
    version = session.version
    hours = sorted(
        set(SPEC.section_of(family.services.settings).reminder_hours_before), reverse=True
    )
    for recipient in await recipients(family, tx, session.client_id, now):
        if session.is_cancelled:
            queued += await _enqueue(
                family,
                tx,
                session,
                recipient,
                stage="cancelled",
                stage_key=f"cancelled-v{version}",
                due_at=now,
                expires_at=session.starts_at + timedelta(days=1),
            )
            continue
        if session.starts_at <= now:
            continue
        announce: Stage = "scheduled" if session.status == "scheduled" else "changed"
        queued += await _enqueue(
            family,
            tx,
            session,
            recipient,
            stage=announce,
            stage_key=f"{announce}-v{version}",
            due_at=now,
            expires_at=session.starts_at,
        )
        for index, h in enumerate(hours):
            due = session.starts_at - timedelta(hours=h)
            if due <= now:
                continue
            later = [session.starts_at - timedelta(hours=x) for x in hours[index + 1 :]]
            queued += await _enqueue(
                family,
                tx,
                session,
                recipient,
                stage="reminder",
                stage_key=f"remind{h:g}h-v{version}",
                due_at=due,
                expires_at=min([*later, session.starts_at]),
                hours=h,
            )
    return queued


async def queue_for_upcoming(family: Family, tx: Transaction, client_id: int, now: datetime) -> int:
    queued = 0
    for session in await family.sessions.upcoming_for_client_in(tx, client_id, now):
        queued += await queue_session_notices(family, tx, session, now)
    return queued


async def plan_due(family: Family) -> int:
    """The planner job: top up notices for every upcoming session (idempotent)."""
    now = family.now()
    async with family.services.db.transaction() as tx:
        queued = 0
        for session in await family.sessions.upcoming_in(tx, now):
            queued += await queue_session_notices(family, tx, session, now)
    return queued


async def schedule(
    family: Family,
    *,
    client_id: int,
    facilitator_id: int,
    facilitator_name: str,
    start: datetime,
    duration: int,
    place: str,
) -> FamilySession:
    now = family.now()
    async with family.services.db.transaction() as tx:
        session_id = await family.sessions.add(
            tx,
            client_id=client_id,
            facilitator_id=facilitator_id,
            facilitator_name=facilitator_name,
            starts_at=start,
            duration_minutes=duration,
            place=place,
            now=now,
        )
        session = await family.sessions.get_in(tx, session_id)
        assert session is not None  # noqa: S101 - just inserted
        await queue_session_notices(family, tx, session, now)
        await family.services.audit.record(
            tx,
            actor_id=facilitator_id,
            action="family.session_schedule",
            subject_user_id=client_id,
            session_id=session_id,
        )
    return session


async def change(
    family: Family,
    session_id: int,
    *,
    facilitator_id: int,
    facilitator_name: str,
    start: datetime | None,
    duration: int | None,
    place: str | None,
    cancel: bool = False,
) -> FamilySession:
    """Reschedule (new version, fresh notices) or cancel; old pending notices are cancelled."""
    now = family.now()
    async with family.services.db.transaction() as tx:
        session = await family.sessions.get_in(tx, session_id)
        if session is None:
            raise UserError(f"There is no family session #{session_id}.")
        if session.is_cancelled:
            raise UserError(f"Session #{session_id} is already cancelled.")
        if session.starts_at <= now:
            raise UserError(f"Session #{session_id} has already started.")
        if cancel:
            await family.sessions.cancel(tx, session_id, now)
        else:
            await family.sessions.change(
                tx,
                session_id,
                starts_at=start or session.starts_at,
                duration_minutes=duration or session.duration_minutes,
                place=place or session.place,
                facilitator_id=facilitator_id,
                facilitator_name=facilitator_name,
                now=now,
            )
        await family.services.outbox.cancel(
            tx, kind=NOTICE_KIND, key_prefix=f"family:{session_id}:"
        )
        updated = await family.sessions.get_in(tx, session_id)
        assert updated is not None  # noqa: S101 - it exists in this transaction
        await queue_session_notices(family, tx, updated, now)
        await family.services.audit.record(
            tx,
            actor_id=facilitator_id,
            action="family.session_cancel" if cancel else "family.session_reschedule",
            subject_user_id=session.client_id,
            session_id=session_id,
        )
    return updated
