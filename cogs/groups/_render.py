"""Everything the groups feature says: notices, lists, the hours report and the CSV.

Wording is person-first and carries no health content: a session notice says only the
group's name, the date and time. Times are shown in the program timezone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db.repositories.attendance import AttendanceRow
from bot.db.repositories.cohorts import Cohort
from bot.db.repositories.groups_sessions import Occurrence, SessionTemplate
from bot.domain.hours import Band, BandStatus, format_hours
from bot.domain.sessions import WEEKDAYS, format_wall
from bot.services.notices import Button, Notice

WEEK_DONE_WORDS: dict[BandStatus, str] = {
    "under": "fewer than",
    "within": "within",
    "over": "more than",
}


def when(instant: datetime, zone: ZoneInfo) -> str:
    """``Tuesday 2026-03-10 18:00 (America/New_York)``."""
    local = instant.astimezone(zone)
    return f"{WEEKDAYS[local.weekday()]} {local.date().isoformat()} {local:%H:%M} ({zone.key})"


def clock_time(instant: datetime, zone: ZoneInfo) -> str:
    return f"{instant.astimezone(zone):%H:%M}"


def accept_id(cohort_id: int) -> str:
    return f"iop:group:accept:{cohort_id}"


def here_id(occurrence_id: int) -> str:
    return f"iop:group:here:{occurrence_id}"


def confirm_here_id(occurrence_id: int) -> str:
    return f"iop:group:confirmhere:{occurrence_id}"


# ----- notices ------------------------------------------------------------------------


def agreement_notice(cohort: Cohort, user_id: int, agreement: str) -> Notice:
    embed = {"title": f"{cohort.name}: group agreement", "description": agreement[:4000]}
    return Notice(
        content=(
            f"Welcome to {cohort.name}, <@{user_id}>. Please read the group agreement and "
            "press Accept; you can read along now and post once you have accepted."
        ),
        embeds=(embed,),
        buttons=(Button("Accept", accept_id(cohort.id), "success"),),
        mention_user_ids=(user_id,),
    )


def reminder_notice(cohort: Cohort, occ: Occurrence, zone: ZoneInfo, open_minutes: int) -> Notice:
    return Notice(
        content=(
            f"Reminder: {cohort.name} meets at {clock_time(occ.starts_at, zone)} today "
            f'({when(occ.starts_at, zone)}). "I\'m here" opens {open_minutes} minutes before '
            "the start."
        ),
        buttons=(Button("I'm here", here_id(occ.id), "primary"),),
    )


def start_notice(cohort: Cohort, occ: Occurrence, zone: ZoneInfo) -> Notice:
    return Notice(
        content=(
            f"{cohort.name}: the session has started ({clock_time(occ.starts_at, zone)} to "
            f'{clock_time(occ.ends_at, zone)}). Press "I\'m here" so your facilitator can '
            "confirm your attendance."
        ),
        buttons=(Button("I'm here", here_id(occ.id), "success"),),
    )


def end_notice(cohort: Cohort, occ: Occurrence, zone: ZoneInfo) -> Notice:
    return Notice(
        content=(
            f"{cohort.name}: the session has ended ({clock_time(occ.ends_at, zone)}). "
            "Thank you for being here."
        )
    )


def cancelled_notice(cohort: Cohort, occ: Occurrence, zone: ZoneInfo) -> Notice:
    return Notice(
        content=f"{cohort.name}: the session on {when(occ.starts_at, zone)} is cancelled."
    )


def moved_notice(cohort: Cohort, old_start: datetime, occ: Occurrence, zone: ZoneInfo) -> Notice:
    return Notice(
        content=(
            f"{cohort.name}: the session planned for {when(old_start, zone)} moves to "
            f"{when(occ.starts_at, zone)}."
        )
    )


# ----- facilitator views --------------------------------------------------------------


def template_line(template: SessionTemplate) -> str:
    return (
        f"{WEEKDAYS[template.weekday]}s at {format_wall(template.start_local)} "
        f"for {template.duration_minutes} minutes"
    )


def session_list(
    cohort: Cohort,
    templates: Sequence[SessionTemplate],
    upcoming: Sequence[Occurrence],
    zone: ZoneInfo,
) -> str:
    lines = [f"**{cohort.name}** (times in {zone.key})"]
    if not templates:
        lines.append("No weekly sessions yet. Add one with /session schedule.")
    else:
        lines.append("Weekly: " + "; ".join(template_line(t) for t in templates))
    if upcoming:
        lines.append("Coming up:")
        for occ in upcoming:
            status = "" if occ.status == "scheduled" else f" ({occ.status})"
            lines.append(f"- {when(occ.starts_at, zone)}{status}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class AttendeeLine:
    name: str
    row: AttendanceRow | None


def attendance_text(
    cohort: Cohort, occ: Occurrence, attendees: Sequence[AttendeeLine], zone: ZoneInfo
) -> str:
    lines = [f"**{cohort.name}**, {when(occ.starts_at, zone)}"]
    if occ.is_cancelled:
        lines.append("This session was cancelled.")
    if not attendees:
        lines.append("Nobody in this group yet.")
    for attendee in attendees:
        row = attendee.row
        if row is not None and row.confirmed:
            state = "confirmed"
        elif row is not None and row.removed_at is not None:
            state = "marked not attending"
        elif row is not None and row.here_at is not None:
            state = f'said "I\'m here" at {clock_time(row.here_at, zone)}, not yet confirmed'
        else:
            state = "no response"
        lines.append(f"- {attendee.name}: {state}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class HoursLine:
    user_id: int
    name: str
    hours: float
    status: BandStatus


def hours_report(
    cohort: Cohort, week: str, lines: Sequence[HoursLine], band: Band, *, settled: bool = True
) -> dict[str, object]:
    """An embed (as a dict) listing each client's hours this week against the band; before
    the week's last session has passed, nobody is flagged "under" yet (hours so far)."""
    rows = []
    for line in lines:
        flag = {"under": " ⚠ under", "over": " ⚠ over", "within": ""}[line.status]
        if not settled and line.status == "under":
            flag = ""
        rows.append(f"{line.name}: {format_hours(line.hours)} h{flag}")
    under = sum(1 for line in lines if line.status == "under") if settled else 0
    over = sum(1 for line in lines if line.status == "over")
    return {
        "title": f"{cohort.name}: hours for {week}" + ("" if settled else " (so far)"),
        "description": "\n".join(rows) or "No members in this group.",
        "fields": [
            {
                "name": "Band",
                "value": f"{format_hours(band.min_hours)}-{format_hours(band.max_hours)} h a week",
                "inline": True,
            },
            {
                "name": "Under",
                "value": str(under) if settled else "known after the week's last session",
                "inline": True,
            },
            {"name": "Over", "value": str(over), "inline": True},
        ],
    }


def my_hours(
    week: str, hours: float, total: float, sessions: int, band: Band, *, settled: bool
) -> str:
    """The client's own hours. Until the week's last session has passed (``settled``) the
    week reads "so far"; only then is it compared with the program's range."""
    program_range = f"{format_hours(band.min_hours)}-{format_hours(band.max_hours)} hours"
    if settled:
        week_line = (
            f"This week ({week}): {format_hours(hours)} hours of group sessions "
            f"({WEEK_DONE_WORDS[band.status(hours)]} the program's {program_range} a week)."
        )
    elif band.status(hours) == "over":  # hours only grow: "over" is already known
        week_line = (
            f"So far this week ({week}): {format_hours(hours)} hours of group sessions "
            f"(already more than the program's {program_range} a week)."
        )
    else:
        week_line = (
            f"So far this week ({week}): {format_hours(hours)} hours of group sessions. "
            f"The program plans {program_range} a week."
        )
    return (
        f"{week_line}\n"
        f"Program total: {format_hours(total)} hours over {sessions} confirmed sessions.\n"
        "Hours count once a facilitator confirms your attendance."
    )


@dataclass(frozen=True, slots=True)
class CsvRow:
    user_id: int
    name: str
    week: str
    sessions: int
    hours: float
    status: BandStatus


def hours_csv(rows: Sequence[CsvRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["iso_week", "user_id", "name", "sessions", "hours", "band_status"])
    for row in rows:
        writer.writerow(
            [
                row.week,
                row.user_id,
                _safe_cell(row.name),
                row.sessions,
                f"{row.hours:g}",
                row.status,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _safe_cell(text: str) -> str:
    """Stop spreadsheet formula injection through display names."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
