"""One person's data across every loaded cog: export it, delete it, purge old rows.

Each data-owning cog implements its part (``DataOwner.export_user_data`` /
``delete_user_data`` / ``purge_expired``); this module runs them all, adds the core
tables (outbox, audit trail, crisis events) and records each request in ``data_requests``
so that a deletion interrupted by a crash is finished by the next purge run.

A table belongs to whoever writes it: ``crisis_events`` is written by the core crisis path
(``bot/services/crisis.py``), which check-ins call with or without the safety cog, so it
is exported, deleted and purged here, whatever cogs are enabled.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from discord.ext import commands

from bot.db.database import Transaction
from bot.db.repositories.data import DataRequestRepository, UserRecordQueries
from bot.db.repositories.safety import SafetyRepository
from bot.services.container import Services
from bot.services.datarights import DataOwner, DeletionReport

log = logging.getLogger("iopbot.userdata")

EXPORT_FORMAT = "iopbot-export"
EXPORT_VERSION = 1

# What the program keeps after a deletion, and why (shown to the person, in DATA.md).
KEPT_AUDIT = (
    "the audit trail of staff actions on your record (who, what and when; never what you "
    "wrote) is kept 6 years, as the program's record-keeping rules require"
)
KEPT_REQUESTS = (
    "a record that you asked for this deletion and when (ids and counts only) is kept "
    "6 years, so the program can show it was done"
)


@dataclass(slots=True)
class DeletionOutcome:
    """A finished (or partly finished) deletion: merged report, request id, failures."""

    request_id: int
    report: DeletionReport
    failed_parts: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed_parts

    @property
    def removed_total(self) -> int:
        return sum(self.report.removed.values())


def data_cogs(bot: commands.Bot) -> list[DataOwner]:
    """Every loaded iopbot cog, in load order."""
    return [cog for cog in bot.cogs.values() if isinstance(cog, DataOwner)]


def _part_name(cog: DataOwner) -> str:
    module = type(cog).__module__.split(".")
    return module[1] if len(module) > 1 and module[0] == "cogs" else cog.qualified_name


# Keys a cog uses to explain a part of its export to the reader; not records themselves.
EXPLANATION_KEYS = frozenset({"why_not_included"})


def _has_content(part: Any) -> bool:
    """False for a cog that holds nothing about the person: ``{}``, ``{"alerts": []}``,
    and stubs of zero counts and explanations such as ``{"reports_about_you": 0}`` or
    ``{"count": 0, "why_not_included": "..."}``.

    Content is a non-empty list, a non-zero number, ``True``, or text (other than an
    explanation under a key in ``EXPLANATION_KEYS``), at any depth.
    """
    if isinstance(part, dict):
        return any(_has_content(v) for k, v in part.items() if k not in EXPLANATION_KEYS)
    if isinstance(part, list | tuple):
        return len(part) > 0
    if isinstance(part, bool):
        return part
    if isinstance(part, int | float):
        return part != 0
    if isinstance(part, str):
        return part != ""
    return part is not None


def requests_repo(services: Services) -> DataRequestRepository:
    return DataRequestRepository(services.db)


# ----- export -------------------------------------------------------------------------


async def gather_export(bot: commands.Bot, services: Services, user_id: int) -> dict[str, Any]:
    """Everything iopbot holds about ``user_id``, one section per cog, plus core records."""
    sections: dict[str, Any] = {}
    for cog in data_cogs(bot):
        part = await cog.export_user_data(user_id)
        if _has_content(part):
            sections[_part_name(cog)] = part
    queries = UserRecordQueries(services.db)
    notices = await queries.notices(user_id)
    audit = await queries.audit_trail(user_id)
    if notices:
        sections["notices"] = notices
    prompts = await services.prompts.export_all(user_id)
    if prompts:
        sections["prompts"] = prompts
    events = await SafetyRepository(services.db).events_for(user_id)
    if events:
        sections["crisis_events"] = [
            {"id": e.id, "source": e.source, "created_at": e.created_at.isoformat()} for e in events
        ]
    if audit:
        sections["audit_trail"] = audit
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "program": services.settings.program.name,
        "user_id": user_id,
        "generated_at": services.clock.now().isoformat(),
        "sections": sections,
    }


def has_records(document: dict[str, Any]) -> bool:
    return bool(document.get("sections"))


KEPT_SECTIONS = ("audit_trail", "data")


def removable_sections(document: dict[str, Any]) -> list[str]:
    """Sections of an export that a deletion would remove (not the kept records)."""
    return sorted(k for k in document.get("sections", {}) if k not in KEPT_SECTIONS)


def export_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2, sort_keys=True, default=str).encode("utf-8")


def export_filename(user_id: int, now: datetime) -> str:
    return f"iopbot-data-{user_id}-{now.strftime('%Y%m%d-%H%M%S')}.json"


async def record_export(services: Services, *, user_id: int, requested_by: int) -> int:
    async with services.db.transaction() as tx:
        request_id = await requests_repo(services).add(
            tx,
            user_id=user_id,
            kind="export",
            requested_by=requested_by,
            now=services.clock.now(),
            completed=True,
        )
        if requested_by != user_id:
            await services.audit.record(
                tx,
                actor_id=requested_by,
                action="client.export",
                subject_user_id=user_id,
                request_id=request_id,
            )
    return request_id


# ----- delete -------------------------------------------------------------------------


async def delete_everywhere(
    bot: commands.Bot,
    services: Services,
    user_id: int,
    *,
    requested_by: int,
    request_id: int | None = None,
    action: str = "data.delete",
) -> DeletionOutcome:
    """Run every cog's delete for ``user_id``, then the core outbox rows; record it.

    A part that fails is logged and named in ``failed_parts``; the request then stays
    open and the next purge run tries again (every cog's delete is idempotent).
    """
    repo = requests_repo(services)
    if request_id is None:
        async with services.db.transaction() as tx:
            request_id = await repo.add(
                tx,
                user_id=user_id,
                kind="delete",
                requested_by=requested_by,
                now=services.clock.now(),
            )
            await services.audit.record(
                tx,
                actor_id=requested_by,
                action=action,
                subject_user_id=user_id,
                request_id=request_id,
            )
    report = DeletionReport()
    failed: list[str] = []
    for cog in data_cogs(bot):
        try:
            report.merge(await cog.delete_user_data(user_id))
        except Exception:
            log.exception("data.delete_part_failed", extra={"cog": _part_name(cog)})
            failed.append(_part_name(cog))
    async with services.db.transaction() as tx:
        removed = await services.outbox_repo.delete_for_subject(tx, user_id)
        events = await SafetyRepository(services.db).delete_events_for(tx, user_id)
        schedules = await services.prompts.delete_all_for(tx, user_id)
        report.merge(
            DeletionReport(
                removed={"outbox": removed, "crisis_events": events, **schedules},
                kept={"audit_log": KEPT_AUDIT, "data_requests": KEPT_REQUESTS},
            )
        )
        if not failed:
            await repo.complete(
                tx,
                request_id,
                removed={t: n for t, n in report.removed.items() if n},
                kept=list(report.kept),
                now=services.clock.now(),
            )
    # The removed rows' old pages must not linger in the WAL (secure_delete clears the
    # database file itself).
    await services.db.checkpoint()
    log.info(
        "data.deleted",
        extra={"user_id": user_id, "request_id": request_id, "complete": not failed},
    )
    bot.dispatch("iop_user_data_deleted", user_id)
    return DeletionOutcome(request_id=request_id, report=report, failed_parts=failed)


def kept_lines(report: DeletionReport) -> list[str]:
    return [reason for _, reason in sorted(report.kept.items())]


# ----- discharge ----------------------------------------------------------------------


async def record_discharge(
    services: Services, tx: Transaction, *, user_id: int, requested_by: int, now: datetime
) -> int:
    """Write the discharge request in the caller's transaction (with the status change),
    so a crash can never leave a discharged client whose records are never purged."""
    return await requests_repo(services).add(
        tx,
        user_id=user_id,
        kind="discharge",
        requested_by=requested_by,
        now=now,
        completed=True,
    )


# ----- retention purge ----------------------------------------------------------------


async def purge_everything(bot: commands.Bot, services: Services) -> dict[str, int]:
    """One purge run: finish open deletions, expire discharged records, every cog's
    ``purge_expired``, old outbox rows, old audit rows and old data requests.

    Idempotent: a second run at the same instant removes nothing more.
    """
    retention = services.settings.retention
    now = services.clock.now()
    counts: dict[str, int] = {}

    def add(table: str, n: int) -> None:
        if n:
            counts[table] = counts.get(table, 0) + n

    repo = requests_repo(services)
    for open_request in await repo.unfinished_deletions():
        outcome = await delete_everywhere(
            bot,
            services,
            open_request.user_id,
            requested_by=open_request.requested_by,
            request_id=open_request.id,
        )
        for table, n in outcome.report.removed.items():
            add(table, n)
    discharge_cutoff = now - timedelta(days=retention.discharged_records_days)
    for discharge in await repo.discharges_before(discharge_cutoff):
        client = await services.clients.get(discharge.user_id)
        if client is not None and client.status != "discharged":
            continue  # re-enrolled since
        outcome = await delete_everywhere(
            bot,
            services,
            discharge.user_id,
            requested_by=discharge.requested_by,
            action="data.delete_after_discharge",
        )
        for table, n in outcome.report.removed.items():
            add(table, n)
    for cog in data_cogs(bot):
        try:
            for table, n in (await cog.purge_expired()).items():
                add(table, n)
        except Exception:
            log.exception("data.purge_part_failed", extra={"cog": _part_name(cog)})
    async with services.db.transaction() as tx:
        add(
            "outbox",
            await services.outbox_repo.purge_finished_before(
                tx, now - timedelta(days=retention.outbox_days)
            ),
        )
        add(
            "audit_log",
            await services.audit_repo.purge_before(
                tx, now - timedelta(days=retention.audit_days), now
            ),
        )
        add(
            "crisis_events",
            await SafetyRepository(services.db).purge_events_before(
                tx, now - timedelta(days=services.settings.safety.crisis_event_days)
            ),
        )
        add(
            "data_requests",
            await repo.purge_before(tx, now - timedelta(days=retention.audit_days)),
        )
    await services.db.checkpoint()
    return counts
