"""The planner job (``milestones:plan``): record due milestones once, celebrate each once.

Every run asks the database what is due *now* (by the injected clock), so running it
twice, or after a restart, does nothing new:

1. **record** — for each active client, every milestone whose local date has come is
   inserted once (``UNIQUE (user, scheme, kind, n, streak)``) with its celebration time
   (``celebration_time`` on the due date, in the client's zone);
2. **celebrate** — each recorded milestone whose celebration time has passed moves
   ``due → celebrated`` in the same transaction that queues its DM (and, for an opted-in
   client, the cohort post with a "Send congrats" button). One that fell before the client
   set this date or enrolled, or more than ``stale_after_days`` ago (the bot was down),
   is ``recorded_stale`` and not announced; one more than ``late_after_minutes`` late
   says so kindly;
3. **deliver congrats** — at the end of the client's local day of the celebration, the
   peers' congratulations go to the client as one DM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.milestones import MilestoneRepository, MilestoneRow, SobrietyRecord
from bot.domain import milestones as ms
from bot.domain.localtime import local_date, parse_hhmm
from bot.services.container import Services
from bot.services.notices import Button, Notice
from bot.services.outbox import DM, ChannelTarget
from cogs.milestones import _render as render
from cogs.milestones._sources import ProgramSources
from cogs.milestones._spec import SPEC, MilestoneSettings

log = logging.getLogger("iopbot.milestones")

KIND_DM = "milestone_dm"
KIND_POST = "milestone_post"
KIND_CONGRATS = "milestone_congrats"
CONGRATS_PREFIX = "iop:milestone:congrats:"


def schemes(settings: MilestoneSettings) -> tuple[ms.SobrietyScheme, ms.ProgramScheme]:
    return (
        ms.SobrietyScheme(
            days=tuple(settings.sobriety_days),
            every_year_after_days=settings.sobriety_every_year_after_days,
        ),
        ms.ProgramScheme(
            weeks=tuple(settings.program_weeks), sessions=tuple(settings.sessions_attended)
        ),
    )


def dedupe_suffix(m: MilestoneRow) -> str:
    """``{kind}:{n}``, plus the streak for a sobriety milestone after a chosen restart."""
    base = f"{m.kind}:{m.n}"
    return base if m.streak <= 1 else f"{base}:streak{m.streak}"


class Planner:
    def __init__(
        self,
        services: Services,
        repo: MilestoneRepository,
        sources: ProgramSources,
        member_name: Callable[[int], str | None],
    ) -> None:
        """``member_name(user_id)``: the member's display name in the program's server, or
        None (the cog reads it from Discord's member cache; nothing here calls Discord)."""
        self.services = services
        self.repo = repo
        self.sources = sources
        self.member_name = member_name

    @property
    def settings(self) -> MilestoneSettings:
        return SPEC.section_of(self.services.settings)

    async def run(self) -> None:
        now = self.services.clock.now()
        await self.record_all_due(now)
        await self.celebrate_all_due(now)
        for milestone_id in await self.repo.congrats_ready_ids(now):
            await self.deliver_congrats(milestone_id, now)

    # ----- 1. record -------------------------------------------------------------------

    async def record_all_due(self, now: datetime) -> int:
        """Record every active client's newly due milestones; return how many.

        Three reads for the whole program (recorded keys, sobriety records, sessions
        attended) and one transaction for the inserts: a run costs the same whether or
        not anything is due, and does not grow in queries with the number of clients.
        """
        clients = await self.services.clients.list_active()
        if not clients:
            return 0
        known = await self.repo.keys_by_client()
        records = await self.repo.all_records()
        sessions = await self.sources.sessions_attended_by_client()
        fresh: list[tuple[int, ms.Candidate, int, datetime]] = []
        wall = parse_hhmm(self.settings.celebration_time)
        scheme_pair = schemes(self.settings)
        for client in clients:
            uid = client.user_id
            found = self._due_for(
                client,
                now,
                known.get(uid, set()),
                records.get(uid),
                sessions.get(uid, 0),
                wall=wall,
                scheme_pair=scheme_pair,
            )
            fresh.extend((uid, c, streak, due_at) for c, streak, due_at in found)
        if not fresh:
            return 0
        async with self.services.db.transaction() as tx:
            # The records were read before the transaction: a streak reset or a new date
            # committed since would record a milestone for the old streak. Drop those
            # (the next run works them out from the new record).
            changed = await self._records_changed(
                tx, {uid for uid, c, _, _ in fresh if c.scheme == ms.SOBRIETY}, records
            )
            fresh = [
                item for item in fresh if not (item[1].scheme == ms.SOBRIETY and item[0] in changed)
            ]
            await self.repo.insert_many(
                tx,
                [
                    (user_id, c.scheme, c.kind, c.n, streak, c.due_date, due_at)
                    for user_id, c, streak, due_at in fresh
                ],
                now=now,
            )
        return len(fresh)

    async def _records_changed(
        self, tx: Transaction, user_ids: set[int], read: dict[int, SobrietyRecord]
    ) -> set[int]:
        changed = set()
        for uid in user_ids:
            current = await self.repo.record_in(tx, uid)
            before = read.get(uid)
            if (
                current is None
                or before is None
                or (current.streak_start, current.streak_number)
                != (before.streak_start, before.streak_number)
            ):
                changed.add(uid)
        return changed

    def _due_for(
        self,
        client: Client,
        now: datetime,
        known: set[tuple[str, str, int, int]],
        record: SobrietyRecord | None,
        sessions_attended: int,
        *,
        wall: time,
        scheme_pair: tuple[ms.SobrietyScheme, ms.ProgramScheme],
    ) -> list[tuple[ms.Candidate, int, datetime]]:
        """The client's milestones that are due by today and not yet recorded (pure)."""
        zone = client.timezone
        today = local_date(now, zone)
        sobriety, program = scheme_pair
        # Drop what is already recorded before working out any celebration time: most
        # runs find nothing new, and at_local over a client's whole history is the cost.
        dated: list[tuple[ms.Candidate, int]] = []
        if record is not None and record.streak_start is not None:
            dated += [
                (c, record.streak_number)
                for c in ms.sobriety_candidates(record.streak_start, sobriety, until=today)
            ]
        dated += [
            (c, 0) for c in ms.program_week_candidates(client.program_start, program, until=today)
        ]
        found = [
            (c, streak, ms.celebration_at(c.due_date, wall, zone))
            for c, streak in dated
            if (c.scheme, c.kind, c.n, streak) not in known
        ]
        new_sessions = [
            n
            for n in ms.session_thresholds_reached(sessions_attended, program)
            if (ms.PROGRAM, ms.SESSIONS, n, 0) not in known
        ]
        if new_sessions:
            due_date, due_at = ms.next_celebration(now, wall, zone)
            for n in new_sessions:
                found.append((ms.Candidate(ms.PROGRAM, ms.SESSIONS, n, due_date), 0, due_at))
        return found

    # ----- 2. celebrate ----------------------------------------------------------------

    async def celebrate_all_due(self, now: datetime) -> None:
        """Celebrate what is due; record the ones not to announce (stale, or before the
        date was set) in one transaction, since a catch-up can hold thousands of them."""
        due = await self.repo.due_rows(now)
        if not due:
            return
        clients = {c.user_id: c for c in await self.services.clients.list_all()}
        records = await self.repo.all_records()
        quiet: list[int] = []
        for m in due:
            client = clients.get(m.user_id)
            if self._timing(m, client, records.get(m.user_id), now) in ("prior", "stale"):
                quiet.append(m.id)
            else:
                await self.celebrate(m.id, now)
        if quiet:
            async with self.services.db.transaction() as tx:
                await self.repo.mark_stale_many(tx, quiet)
            log.info("milestone.recorded_stale", extra={"milestones": len(quiet)})

    async def celebrate(self, milestone_id: int, now: datetime) -> None:
        m = await self.repo.get(milestone_id)
        if m is None or m.status != "due":
            return
        client = await self.services.clients.get(m.user_id)
        record = await self.repo.record(m.user_id)
        timing = self._timing(m, client, record, now)
        public = bool(record and record.public)
        channel_id = await self.sources.cohort_channel(m.user_id) if public else None
        async with self.services.db.transaction() as tx:
            if client is None or timing in ("prior", "stale"):
                if await self.repo.mark_stale(tx, m.id):
                    log.info(
                        "milestone.recorded_stale",
                        extra={
                            "person": self.services.key.pseudonym(m.user_id),
                            "milestone_id": m.id,
                            "timing": timing,
                        },
                    )
                return
            posting = channel_id is not None
            congrats_due_at = (
                ms.congrats_delivery_at(
                    now, parse_hhmm(self.settings.congrats_time), client.timezone
                )
                if posting
                else None
            )
            late = timing == "late"
            if not await self.repo.mark_celebrated(
                tx, m.id, now=now, late=late, public=posting, congrats_due_at=congrats_due_at
            ):
                return
            await self.services.outbox.enqueue(
                tx,
                dedupe_key=f"milestone:{m.user_id}:{dedupe_suffix(m)}",
                kind=KIND_DM,
                target=DM(m.user_id),
                notice=Notice(
                    content=render.celebration_dm(
                        name=client.display_name,
                        kind=m.kind,
                        n=m.n,
                        program=self.services.settings.program.name,
                        term=SPEC.section_of(self.services.settings).streak_term,
                        late=late,
                        due_date=m.due_date,
                        shared=posting,
                        opted_in=public,
                    )
                ),
                subject_user_id=m.user_id,
            )
            if channel_id is not None:
                await self.services.outbox.enqueue(
                    tx,
                    dedupe_key=f"milestone_post:{m.user_id}:{dedupe_suffix(m)}",
                    kind=KIND_POST,
                    target=ChannelTarget(channel_id),
                    notice=Notice(
                        content=render.cohort_post(
                            name=client.display_name,
                            kind=m.kind,
                            n=m.n,
                            late=late,
                            term=SPEC.section_of(self.services.settings).streak_term,
                        ),
                        buttons=(
                            Button(render.CONGRATS_LABEL, f"{CONGRATS_PREFIX}{m.id}", "success"),
                        ),
                    ),
                    subject_user_id=m.user_id,
                )
        log.info(
            "milestone.celebrated",
            extra={
                "person": self.services.key.pseudonym(m.user_id),
                "milestone_id": m.id,
                "late": late,
                "public": posting,
            },
        )

    def _timing(
        self,
        m: MilestoneRow,
        client: Client | None,
        record: SobrietyRecord | None,
        now: datetime,
    ) -> ms.Timing:
        return self.timing_for(m.scheme, m.streak, m.due_at, client, record, now)

    def timing_for(
        self,
        scheme: str,
        streak: int,
        due_at: datetime,
        client: Client | None,
        record: SobrietyRecord | None,
        now: datetime,
    ) -> ms.Timing:
        """How a milestone celebrated at ``due_at`` will be treated ("prior" and "stale"
        ones are recorded but never announced)."""
        if client is None:
            return "stale"
        if scheme == ms.SOBRIETY:
            if record is None or record.streak_start is None or record.streak_number != streak:
                return "prior"  # the date was removed or a new streak began: not announced
            not_before = record.counting_since
        else:
            not_before = client.enrolled_at
        return ms.classify(
            due_at,
            now,
            not_before=not_before,
            stale_after=timedelta(days=self.settings.stale_after_days),
            late_after=timedelta(minutes=self.settings.late_after_minutes),
        )

    # ----- 3. congratulations ----------------------------------------------------------

    async def deliver_congrats(self, milestone_id: int, now: datetime) -> None:
        m = await self.repo.get(milestone_id)
        if m is None or m.congrats_sent_at is not None:
            return
        names = [self._peer_name(c.from_user_id) for c in await self.repo.congrats_for(m.id)]
        async with self.services.db.transaction() as tx:
            if not await self.repo.mark_congrats_sent(tx, m.id, now):
                return
            if names:
                await self.services.outbox.enqueue(
                    tx,
                    dedupe_key=f"milestone_congrats:{m.id}",
                    kind=KIND_CONGRATS,
                    target=DM(m.user_id),
                    notice=Notice(
                        content=render.congrats_dm(
                            kind=m.kind,
                            n=m.n,
                            names=names,
                            term=SPEC.section_of(self.services.settings).streak_term,
                        )
                    ),
                    subject_user_id=m.user_id,
                )
        log.info(
            "milestone.congrats",
            extra={"person": self.services.key.pseudonym(m.user_id), "milestone_id": m.id},
        )

    def _peer_name(self, user_id: int) -> str:
        return self.member_name(user_id) or "a member of your group"
