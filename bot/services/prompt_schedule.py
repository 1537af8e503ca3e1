"""What a cog declares for a recurring prompt (see :mod:`bot.services.prompts`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from bot.db.database import Transaction
from bot.db.repositories.clients import Client
from bot.db.repositories.outbox import OutboxRow
from bot.db.repositories.prompts import PeriodRecord
from bot.domain.localtime import at_local, parse_hhmm
from bot.domain.recurrence import Cadence, cutoff_for
from bot.services.notices import Notice


class Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = Keep()  # replan(local_time=KEEP, day=KEEP): leave the client's choice as is

# (occurrence local date, wall time, zone) -> the instant the period's prompt is skipped
CutoffRule = Callable[[date, time, ZoneInfo], datetime]


def cutoff_at(source: Callable[[], str], *, days_after: int = 0) -> CutoffRule:
    """A cut-off at local ``source()`` (HH:MM), ``days_after`` local days after the
    occurrence. On the day itself a cut-off at or before the prompt time means the end of
    that local day."""

    def rule(day: date, wall: time, zone: ZoneInfo) -> datetime:
        cutoff = parse_hhmm(source())
        if days_after == 0:
            return cutoff_for(day, wall, cutoff, zone)
        return at_local(day + timedelta(days=days_after), cutoff, zone)

    return rule


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One client's prompt for one period, as the hooks see it."""

    schedule: str
    client: Client
    local_date: date
    period: str
    wall: time
    planned_at: datetime
    cutoff: datetime
    status: Literal["queued", "late", "skipped"]
    now: datetime


DueHook = Callable[[Transaction, Occurrence], Awaitable[Notice | None]]
PeriodHook = Callable[[Transaction, Occurrence], Awaitable[None]]
ClosedHook = Callable[[Transaction, PeriodRecord, OutboxRow], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PromptSchedule:
    name: str
    kind: str
    cadence: Cadence
    default_time: Callable[[], str]
    late_cutoff: CutoffRule
    dedupe_key: Callable[[int, str], str]
    on_due: DueHook
    before_period: PeriodHook | None = None
    on_undeliverable: ClosedHook | None = None
    audience: Callable[[Client], bool] | None = None  # None: every active client
    job_id: str = ""  # "" -> "prompts:{name}"
    interval: timedelta = timedelta(minutes=1)
    catch_up: int = 4  # at most this many periods per client per run
    late_after: timedelta = timedelta(minutes=15)  # later than this: status "late"
    logger: str = "iopbot.prompts"
    log_name: str = ""  # "" -> name; events "{log_name}.prompt_queued" / "_skipped"

    @property
    def job(self) -> str:
        return self.job_id or f"prompts:{self.name}"

    @property
    def log_prefix(self) -> str:
        return self.log_name or self.name
