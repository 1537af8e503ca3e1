"""A year of program data for 5,000 clients, written fast into the migrated schema.

The schema comes from the real migrations (``bot.db.migrate``); rows go in with
``executemany`` on a plain ``sqlite3`` connection in one transaction per table (no
per-row round trips). Worst case on purpose: every client was enrolled for the whole
year and checked in on about 90 % of the days (an IOP keeps people 2-12 weeks; a year per
client is 5 to 25 times the real volume per person).

Tables filled: clients, prompt_schedules, checkins, prompt_periods, outbox (sent prompts;
the outbox keeps 90 days, ``retention.outbox_days``), cohorts, cohort_members,
session_templates, session_occurrences, attendance, hours_ledger, sobriety_records,
milestones, alerts, audit_log. A table that no migration has created yet is skipped and
named in ``DatasetInfo.skipped``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

COHORT_SIZE = 12
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles")
GROUP_DAYS = (0, 2, 3)  # Monday, Wednesday, Thursday at 18:00, 3 hours
PROGRAM_ZONE = ZoneInfo("America/New_York")
CHECKIN_RATE = 0.9
OUTBOX_DAYS = 90  # RetentionSettings.outbox_days
# The last day of data and "now" for the queries: a Friday evening in New York.
LAST_DAY = date(2026, 3, 6)
NOW = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
FACILITATOR_ID = 900_000_000_000_000_001


@dataclass
class DatasetInfo:
    clients: int
    days: int
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    size_mb: float = 0.0


def ts(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def local_at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@functools.cache
def stamp(day: date, hour: int, minute: int, zone: ZoneInfo) -> str:
    """``ts(local_at(...))``, cached: millions of rows share a few thousand instants."""
    return ts(local_at(day, hour, minute, zone))


async def migrate_schema(path: Path) -> None:
    from bot.db.database import Database
    from bot.db.migrate import migrate

    db = Database(path)
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.close()


def build(
    path: Path, *, clients: int, days: int, user_ids: list[int], seed: int = 9
) -> DatasetInfo:
    """Migrate a fresh database at ``path`` and fill it; ``user_ids`` are the clients."""
    started = time.perf_counter()
    asyncio.run(migrate_schema(path))
    info = DatasetInfo(clients=clients, days=days)
    fill(path, info, user_ids, seed)
    info.seconds = time.perf_counter() - started
    info.size_mb = path.stat().st_size / 1e6
    return info


def fill(path: Path, info: DatasetInfo, user_ids: list[int], seed: int) -> None:
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    first = LAST_DAY - timedelta(days=info.days - 1)
    zones = {uid: ZoneInfo(ZONES[n % len(ZONES)]) for n, uid in enumerate(user_ids)}

    def put(table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
        if table not in tables:
            info.skipped.append(table)
            return
        marks = ",".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})"  # noqa: S608
        con.execute("BEGIN")
        cursor = con.executemany(sql, rows)
        con.execute("COMMIT")
        info.rows[table] = info.rows.get(table, 0) + max(cursor.rowcount, 0)

    enrolled = stamp(first, 10, 0, PROGRAM_ZONE)
    put(
        "clients",
        (
            "user_id",
            "guild_id",
            "display_name",
            "timezone",
            "program_start",
            "status",
            "enrolled_by",
            "enrolled_at",
            "updated_at",
        ),
        (
            (uid, 1, f"Client {n:04d}", zones[uid].key, first.isoformat(), "active",
             FACILITATOR_ID, enrolled, enrolled)
            for n, uid in enumerate(user_ids)
        ),
    )  # fmt: skip
    put(
        "prompt_schedules",
        ("user_id", "schedule", "local_time", "planned_zone", "next_at", "updated_at"),
        (
            (uid, "checkin", None, zones[uid].key,
             stamp(LAST_DAY + timedelta(days=1), 9, 0, zones[uid]), enrolled)
            for uid in user_ids
        ),
    )  # fmt: skip
    put(
        "checkins",
        (
            "user_id",
            "local_date",
            "mood",
            "craving",
            "used",
            "sleep_hours",
            "note",
            "submitted_at",
            "created_at",
        ),
        _checkin_rows(rng, user_ids, zones, first, info.days),
    )
    put(
        "prompt_periods",
        ("user_id", "schedule", "period", "local_date", "status", "planned_at", "queued_at"),
        (
            (uid, "checkin", d.isoformat(), d.isoformat(), "queued", at, at)
            for uid in user_ids
            for d, at in _prompt_days(first, info.days, zones[uid])
        ),
    )
    # Sent rows are purged after retention.outbox_days (90): that much history is kept.
    outbox_days = min(info.days, OUTBOX_DAYS)
    outbox_first = LAST_DAY - timedelta(days=outbox_days - 1)
    payload = json.dumps(
        {"content": "Your daily check-in is open.", "embeds": [],
         "buttons": [{"label": "Check in", "custom_id": "iop:checkin:open", "style": "primary"}],
         "mention_user_ids": [], "mention_role_ids": [], "meta": {}},
        separators=(",", ":"),
    )  # fmt: skip
    put(
        "outbox",
        (
            "dedupe_key",
            "kind",
            "target_type",
            "target_id",
            "subject_user_id",
            "payload",
            "due_at",
            "status",
            "attempts",
            "message_id",
            "sent_at",
            "created_at",
            "updated_at",
        ),
        (
            (f"checkin:{uid}:{d.isoformat()}", "checkin_prompt", "dm", uid, uid, payload,
             at, "sent", 1, 10**18 + i, at, at, at)
            for i, (uid, d, at) in enumerate(
                (uid, d, at)
                for uid in user_ids
                for d, at in _prompt_days(outbox_first, outbox_days, zones[uid])
            )
        ),
    )  # fmt: skip
    _groups(put, user_ids, first, info.days)
    _milestones(put, user_ids, first, zones)
    put(
        "alerts",
        ("subject_user_id", "rule", "label", "severity", "source", "created_at",
         "acknowledged_by", "acknowledged_at"),
        (
            (uid, "craving_high", "High craving", "normal", "check-in",
             stamp(first + timedelta(days=d), 9, 30, zones[uid]), FACILITATOR_ID,
             stamp(first + timedelta(days=d), 10, 0, zones[uid]))
            for uid in user_ids for d in range(7, info.days, 60)
        ),
    )  # fmt: skip
    put(
        "audit_log",
        ("at", "actor_id", "action", "subject_user_id", "detail"),
        (
            (stamp(first + timedelta(days=d), 11, 0, PROGRAM_ZONE), FACILITATOR_ID,
             "checkin.view", uid, "{}")
            for uid in user_ids for d in range(0, info.days, 30)
        ),
    )  # fmt: skip
    con.execute("PRAGMA optimize")
    con.close()


def _checkin_rows(
    rng: random.Random,
    user_ids: list[int],
    zones: dict[int, ZoneInfo],
    first: date,
    days: int,
) -> Iterator[tuple[Any, ...]]:
    used = ("no",) * 18 + ("yes", "prefer_not")
    for uid in user_ids:
        zone = zones[uid]
        for offset in range(days):
            if rng.random() >= CHECKIN_RATE:
                continue
            d = first + timedelta(days=offset)
            at = stamp(d, 9, rng.randrange(0, 59), zone)
            yield (uid, d.isoformat(), rng.randint(3, 9), rng.randint(0, 6), rng.choice(used),
                   rng.choice((5.5, 6.0, 6.5, 7.0, 7.5, 8.0)), None, at, at)  # fmt: skip


def _prompt_days(first: date, days: int, zone: ZoneInfo) -> Iterator[tuple[date, str]]:
    for d in range(days):
        day = first + timedelta(days=d)
        yield day, stamp(day, 9, 0, zone)


def _groups(put: Any, user_ids: list[int], first: date, days: int) -> None:
    cohorts = [user_ids[i : i + COHORT_SIZE] for i in range(0, len(user_ids), COHORT_SIZE)]
    created = stamp(first, 9, 0, PROGRAM_ZONE)
    put(
        "cohorts",
        ("id", "guild_id", "name", "channel_id", "created_by", "created_at"),
        ((c + 1, 1, f"Cohort {c + 1:03d}", 800_000_000_000_000_000 + c, FACILITATOR_ID, created)
         for c in range(len(cohorts))),
    )  # fmt: skip
    put(
        "cohort_members",
        ("cohort_id", "user_id", "joined_at", "added_by"),
        ((c + 1, uid, created, FACILITATOR_ID) for c, members in enumerate(cohorts)
         for uid in members),
    )  # fmt: skip
    put(
        "session_templates",
        ("id", "cohort_id", "weekday", "start_local", "duration_minutes", "created_by",
         "created_at"),
        ((c * 3 + k + 1, c + 1, wd, "18:00", 180, FACILITATOR_ID, created)
         for c in range(len(cohorts)) for k, wd in enumerate(GROUP_DAYS)),
    )  # fmt: skip
    sessions = [
        (first + timedelta(days=d)) for d in range(days)
        if (first + timedelta(days=d)).weekday() in GROUP_DAYS
    ]  # fmt: skip

    def occurrences() -> Iterator[tuple[Any, ...]]:
        for c in range(len(cohorts)):
            for s, day in enumerate(sessions):
                start = local_at(day, 18, 0, PROGRAM_ZONE)
                template = c * 3 + GROUP_DAYS.index(day.weekday()) + 1
                yield (c * len(sessions) + s + 1, template, c + 1, day.isoformat(),
                       day.isoformat(), ts(start), ts(start + timedelta(hours=3)), "scheduled",
                       1, ts(start), ts(start + timedelta(hours=3)), created)  # fmt: skip

    put(
        "session_occurrences",
        ("id", "template_id", "cohort_id", "planned_date", "local_date", "starts_at", "ends_at",
         "status", "event_synced", "start_marked_at", "end_marked_at", "created_at"),
        occurrences(),
    )  # fmt: skip

    def attendance(ledger: bool) -> Iterator[tuple[Any, ...]]:
        for c, members in enumerate(cohorts):
            for s, day in enumerate(sessions):
                occurrence = c * len(sessions) + s + 1
                end = stamp(day, 21, 0, PROGRAM_ZONE)
                week = "{}-W{:02d}".format(*day.isocalendar()[:2])
                for uid in members:
                    if ledger:
                        yield (occurrence, uid, day.isoformat(), week, 3.0, end)
                    else:
                        yield (occurrence, uid, end, FACILITATOR_ID, end)

    put(
        "attendance",
        ("occurrence_id", "user_id", "here_at", "confirmed_by", "confirmed_at"),
        attendance(False),
    )
    put(
        "hours_ledger",
        ("occurrence_id", "user_id", "local_date", "iso_week", "hours", "recorded_at"),
        attendance(True),
    )


def _milestones(put: Any, user_ids: list[int], first: date, zones: dict[int, ZoneInfo]) -> None:
    updated = stamp(first, 9, 0, PROGRAM_ZONE)
    put(
        "sobriety_records",
        ("user_id", "streak_start", "streak_number", "public", "counting_since", "updated_at"),
        ((uid, first.isoformat(), 1, uid % 3 == 0, updated, updated) for uid in user_ids),
    )
    # What the bot itself would have recorded after a year under the default schemes
    # (cogs/milestones/_spec.py MilestoneSettings), so the planner's first run at start-up finds the
    # program up to date, as after any restart (545 days is not reached in a year).
    marks = [("sobriety", "days", n) for n in (1, 7, 14, 30, 60, 90, 180, 270, 365)]
    marks += [("program", "weeks", n) for n in (1, 4, 8, 12)]
    marks += [("program", "sessions", n) for n in (10, 20, 30)]

    def rows() -> Iterator[tuple[Any, ...]]:
        for uid in user_ids:
            for scheme, kind, n in marks:
                offset = {"days": n, "weeks": 7 * n, "sessions": n * 7 // 3}[kind]
                day = first + timedelta(days=min(offset, 364))
                at = stamp(day, 10, 0, zones[uid])
                yield (uid, scheme, kind, n, 1 if scheme == "sobriety" else 0, day.isoformat(),
                       at, "celebrated", at, at)  # fmt: skip

    put(
        "milestones",
        ("user_id", "scheme", "kind", "n", "streak", "due_date", "due_at", "status",
         "celebrated_at", "created_at"),
        rows(),
    )  # fmt: skip
