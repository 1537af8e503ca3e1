"""The facilitator's CSV export: one row per check-in; notes never read as formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from bot.db.repositories.checkins import Checkin
from cogs.checkins._render import CSV_FIELDS, checkins_csv

AT = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def _checkin(note: str | None) -> Checkin:
    return Checkin(1, 7, date(2026, 3, 3), 6, 2, "no", 7.5, note, AT, AT, 0)


@pytest.mark.parametrize("note", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_notes_that_a_spreadsheet_would_run_are_quoted(note):
    rows = list(csv.reader(io.StringIO(checkins_csv([_checkin(note)]).decode())))
    assert rows[0] == list(CSV_FIELDS)
    assert rows[1][CSV_FIELDS.index("note")] == "'" + note


def test_plain_notes_and_no_note_are_kept_as_they_are():
    data = checkins_csv([_checkin("a good day"), _checkin(None)]).decode()
    rows = list(csv.reader(io.StringIO(data)))
    assert [r[CSV_FIELDS.index("note")] for r in rows[1:]] == ["a good day", ""]
    assert rows[1][CSV_FIELDS.index("used")] == "no"


def test_a_long_report_is_attached_instead_of_overflowing_one_message():
    from cogs.checkins._render import ReportRow, report_message

    rows = [ReportRow(f"Client {i:03d}", 3, 5, 18, 6, 0, 1) for i in range(120)]
    content, table = report_message("All active clients", "2026-W10", rows)
    assert table is not None and len(content) < 200
    text = table.decode()
    assert text.count("Client 1") + text.count("Client 0") == 120 and "```" not in text
    short, none = report_message("Cohort", "2026-W10", rows[:5])
    assert none is None and "Client 004" in short and len(short) <= 2000
