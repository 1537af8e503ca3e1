"""The weekly report's grouped queries give exactly what the per-client reads gave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.alerts import AlertRepository
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.checkins_report import CheckinReportRepository, WeekTotals, WeekWindow
from bot.db.repositories.clients import ClientRepository
from bot.domain.localtime import local_date
from cogs.checkins._history import report_clients, report_rows
from cogs.checkins._render import ReportRow, report_text

# Thursday 2026-03-05 03:30 UTC: still Wednesday in New York and Los Angeles, Thursday
# in Berlin and Tokyo, so the clients' weeks end on different local dates.
NOW = datetime(2026, 3, 5, 3, 30, tzinfo=UTC)
ZONES = ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles")
COHORT_CHANNEL = 900


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "report.sqlite3")
    await database.connect()
    await migrate(database)
    yield database
    await database.close()


async def seed(db: Database) -> None:
    """12 clients in four zones, program starts before and inside the week, a year of
    check-ins with gaps, reported use, open and acknowledged alerts, two inactive
    clients, one cohort with a member who left and a discharged member."""
    ts = NOW.isoformat()
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO cohorts (id, guild_id, name, channel_id, created_by, created_at) "
            "VALUES (1, 1, 'Cohort A', ?, 1, ?)",
            (COHORT_CHANNEL, ts),
        )
        for n in range(12):
            user_id = 100 + n
            start = date(2026, 3, 4) if n % 5 == 0 else date(2025, 3, 1)
            status = "discharged" if n in (3, 10) else ("stepped_down" if n == 7 else "active")
            await tx.execute(
                "INSERT INTO clients (user_id, guild_id, display_name, timezone, program_start, "
                "status, enrolled_by, enrolled_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, 1, ?, ?)",
                (user_id, f"Client {11 - n:02d}", ZONES[n % 4], start.isoformat(), status, ts, ts),
            )
            for offset in range(-400, 3):
                d = date(2026, 3, 5) + timedelta(days=offset)
                if (offset + n) % 3 == 0 or n == 11:
                    continue  # gaps; client 111 never checked in
                used = "yes" if (offset + n) % 4 == 0 else ("prefer_not" if n == 2 else "no")
                await tx.execute(
                    "INSERT INTO checkins (user_id, local_date, mood, craving, used, "
                    "sleep_hours, safety, submitted_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, 7, ?, ?, ?)",
                    (
                        user_id,
                        d.isoformat(),
                        1 + (offset + n) % 10,
                        (offset * n) % 11,
                        used,
                        ("yes" if (offset + n) % 5 == 0 else "no") if n != 3 else None,
                        ts,
                        ts,
                    ),
                )
            if n < 8:
                left = ts if n == 4 else None
                await tx.execute(
                    "INSERT INTO cohort_members (cohort_id, user_id, joined_at, added_by, left_at) "
                    "VALUES (1, ?, ?, 1, ?)",
                    (user_id, ts, left),
                )
            for k in range(n % 3):
                await tx.execute(
                    "INSERT INTO alerts (subject_user_id, rule, label, severity, source, "
                    "created_at, acknowledged_at) VALUES (?, 'craving_high', 'High craving', "
                    "'normal', 'check-in', ?, ?)",
                    (user_id, ts, ts if k == 1 else None),
                )


def services(db: Database) -> SimpleNamespace:
    from zoneinfo import ZoneInfo

    return SimpleNamespace(
        db=db,
        clock=SimpleNamespace(now=lambda: NOW),
        clients=ClientRepository(db),
        alert_repo=AlertRepository(db),
        settings=SimpleNamespace(program=SimpleNamespace(timezone=ZoneInfo("America/New_York"))),
    )


async def reference_report(db: Database, clients, title: str) -> tuple[list[ReportRow], str]:  # type: ignore[no-untyped-def]
    """The report as it was computed before: one ``between`` query per client, the
    answers as lists, and the text formatted from those lists."""
    repo = CheckinRepository(db)
    open_alerts = await AlertRepository(db).open_for([c.user_id for c in clients])
    rows = []
    lines = [
        f"**{title}, week 2026-W10** (each client's local days so far this week)",
        "```",
        f"{'Client':<18} {'Check-ins':>9} {'Mood':>5} {'Craving':>7} {'Use':>3} "
        f"{'Safety':>6} {'Alerts':>6}",
    ]

    def average(values: list[int]) -> str:
        return f"{sum(values) / len(values):.1f}" if values else "-"

    for client in clients:
        today = local_date(NOW, client.timezone)
        first = max(today - timedelta(days=today.weekday()), client.program_start)
        checkins = await repo.between(client.user_id, first, today)
        moods = [c.mood for c in checkins]
        cravings = [c.craving for c in checkins]
        row = ReportRow(
            name=client.display_name,
            checkins=len(checkins),
            expected_days=max(0, (today - first).days + 1),
            mood_total=sum(moods),
            craving_total=sum(cravings),
            use_reported=sum(1 for c in checkins if c.used == "yes"),
            safety_yes=sum(1 for c in checkins if c.safety == "yes"),
            open_alerts=sum(1 for a in open_alerts if a.subject_user_id == client.user_id),
        )
        rows.append(row)
        lines.append(
            f"{row.name[:18]:<18} {f'{row.checkins}/{row.expected_days}':>9} "
            f"{average(moods):>5} {average(cravings):>7} {row.use_reported:>3} "
            f"{row.safety_yes:>6} {row.open_alerts:>6}"
        )
    lines += [
        "```",
        "Use: days a return to use was reported. Safety: days the safety question was "
        "answered yes. Alerts: open (not acknowledged).",
    ]
    return rows, "\n".join(lines)


async def test_all_clients_report_matches_the_per_client_reads(db):
    await seed(db)
    svc = services(db)
    title, clients = await report_clients(svc, None)  # type: ignore[arg-type]
    assert title == "All active clients"
    assert clients == await ClientRepository(db).list_active()
    week, rows = await report_rows(svc, clients)  # type: ignore[arg-type]
    assert week == "2026-W10"
    expected_rows, expected_text = await reference_report(db, clients, title)
    assert rows == expected_rows
    assert report_text(title, week, rows) == expected_text
    assert len(rows) == 10
    # the fixture covers what matters: empty weeks, late starts, use, open alerts
    assert any(r.checkins == 0 for r in rows) and any(r.use_reported for r in rows)
    assert {r.expected_days for r in rows} >= {1, 2, 3, 4}
    assert any(r.open_alerts == 1 for r in rows)


async def test_cohort_report_reads_only_its_current_active_members(db):
    await seed(db)
    svc = services(db)
    channel = SimpleNamespace(id=COHORT_CHANNEL, name="cohort-a")
    title, clients = await report_clients(svc, channel)  # type: ignore[arg-type]
    assert title == "Cohort Cohort A"
    everyone = await ClientRepository(db).list_active()
    # members 100-107 minus the one who left (104) and the discharged one (103)
    wanted = {100, 101, 102, 105, 106, 107}
    assert clients == [c for c in everyone if c.user_id in wanted]
    week, rows = await report_rows(svc, clients)  # type: ignore[arg-type]
    expected_rows, expected_text = await reference_report(db, clients, title)
    assert rows == expected_rows
    assert report_text(title, week, rows) == expected_text


async def test_week_totals_empty_and_reversed_windows(db):
    await seed(db)
    repo = CheckinReportRepository(db)
    assert await repo.week_totals([]) == {}
    # a program that starts after today: an empty window, nothing read
    assert await repo.week_totals([WeekWindow(101, date(2026, 3, 6), date(2026, 3, 5))]) == {}
    first, last = date(2026, 3, 2), date(2026, 3, 4)
    got = await repo.week_totals([WeekWindow(101, first, last), WeekWindow(111, first, last)])
    checkins = await CheckinRepository(db).between(101, first, last)
    assert got == {  # 111 never checked in
        101: WeekTotals(
            checkins=len(checkins),
            mood_total=sum(c.mood for c in checkins),
            craving_total=sum(c.craving for c in checkins),
            use_reported=sum(c.used == "yes" for c in checkins),
            safety_yes=sum(c.safety == "yes" for c in checkins),
        )
    }
