"""Text for the private views of check-ins: history table, one check-in, report, CSV.

Everything here is shown only ephemerally (to the client themself, or to a facilitator)
or sent as an ephemeral file. Pure functions; no I/O.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.db.repositories.checkins import Checkin
from bot.domain.checkins import SAFETY_LABELS, USED_LABELS
from bot.domain.text import shown_name

TABLE_DAYS = 7


@dataclass(frozen=True, slots=True)
class History:
    name: str
    today: date
    since: date  # program start: earlier days are not "missed"
    days: list[date]
    checkins: list[Checkin]
    missed: list[date]
    streak: int

    @property
    def points(self) -> dict[date, tuple[int, int]]:
        return {c.local_date: (c.mood, c.craving) for c in self.checkins}


def _sleep(hours: float | None) -> str:
    return "-" if hours is None else f"{hours:g}"


def _safety(checkin: Checkin) -> str:
    return "not asked" if checkin.safety is None else SAFETY_LABELS[checkin.safety]


def _average(values: Sequence[float]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "-"


def _mean(total: int, count: int) -> str:
    """What ``_average`` shows for ``count`` values adding up to ``total``."""
    return f"{total / count:.1f}" if count else "-"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def history_text(history: History, *, own: bool) -> str:
    """A short summary and the last week as a table (code block)."""
    by_day = {c.local_date: c for c in history.checkins}
    count = len(history.checkins)
    whose = "Your" if own else f"{shown_name(history.name)}'s"
    lines = [
        f"**{whose} last {len(history.days)} days**: {_count(count, 'check-in')}, "
        f"{_count(len(history.missed), 'day')} with no check-in. "
        f"Check-in streak: {_count(history.streak, 'day')}.",
        f"Average mood {_average([c.mood for c in history.checkins])}, "
        f"average craving {_average([c.craving for c in history.checkins])}.",
        "```",
        f"{'Date':<10}  {'Mood':>4}  {'Craving':>7}  {'Used':<14}  {'Sleep':>5}",
    ]
    for day in [d for d in history.days if d >= history.since][-TABLE_DAYS:]:
        checkin = by_day.get(day)
        if checkin is None:
            marker = "(today)" if day == history.today else "no check-in"
            lines.append(f"{day.isoformat():<10}  {marker}")
            continue
        lines.append(
            f"{day.isoformat():<10}  {checkin.mood:>4}  {checkin.craving:>7}  "
            f"{USED_LABELS[checkin.used]:<14}  {_sleep(checkin.sleep_hours):>5}"
        )
    lines.append("```")
    said_yes = [c.local_date.isoformat() for c in history.checkins if c.safety == "yes"]
    if said_yes and not own:
        lines.append(
            "Safety question (thoughts of ending their life) answered **yes** on: "
            + ", ".join(said_yes)
            + "."
        )
    return "\n".join(lines)


def checkin_text(name: str, checkin: Checkin) -> str:
    """One check-in's answers, for a facilitator's ephemeral "View check-in"."""
    replaced = (
        f" (updated {checkin.replaced} time{'s' if checkin.replaced != 1 else ''} that day)"
        if checkin.replaced
        else ""
    )
    submitted = f"<t:{int(checkin.submitted_at.timestamp())}:f>"
    lines = [
        f"**Check-in #{checkin.id}** from {name}, local date {checkin.local_date.isoformat()}"
        f"{replaced}, submitted {submitted}.",
        f"• Mood: {checkin.mood}/10",
        f"• Craving: {checkin.craving}/10",
        f"• Used since the last check-in: {USED_LABELS[checkin.used]}",
        f"• Thoughts of ending their life since the last check-in: {_safety(checkin)}",
        f"• Sleep: {_sleep(checkin.sleep_hours)} hours"
        if checkin.sleep_hours is not None
        else "• Sleep: (not asked)",
        f"• Note: {checkin.note}" if checkin.note else "• Note: (none)",
        "",
        "Only you can see this. Viewing it was recorded in the audit log.",
    ]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ReportRow:
    name: str
    checkins: int
    expected_days: int
    mood_total: int  # sums over ``checkins`` days (the report shows the averages)
    craving_total: int
    use_reported: int
    open_alerts: int
    safety_yes: int = 0  # days the safety question was answered yes


def report_text(title: str, week: str, rows: Sequence[ReportRow]) -> str:
    if not rows:
        return f"**{title}, week {week}**: no active clients."
    lines = [
        f"**{title}, week {week}** (each client's local days so far this week)",
        "```",
        f"{'Client':<18} {'Check-ins':>9} {'Mood':>5} {'Craving':>7} {'Use':>3} "
        f"{'Safety':>6} {'Alerts':>6}",
    ]
    for row in rows:
        lines.append(
            f"{row.name[:18]:<18} {f'{row.checkins}/{row.expected_days}':>9} "
            f"{_mean(row.mood_total, row.checkins):>5} "
            f"{_mean(row.craving_total, row.checkins):>7} {row.use_reported:>3} "
            f"{row.safety_yes:>6} {row.open_alerts:>6}"
        )
    lines += [
        "```",
        "Use: days a return to use was reported. Safety: days the safety question was "
        "answered yes. Alerts: open (not acknowledged).",
    ]
    return "\n".join(lines)


def report_message(
    title: str, week: str, rows: Sequence[ReportRow], *, limit: int = 2000
) -> tuple[str, bytes | None]:
    """The reply: the table itself, or (past Discord's 2,000 characters, about 35 clients)
    a one-line summary with the whole table as an attached text file."""
    text = report_text(title, week, rows)
    if len(text) <= limit:
        return text, None
    table = text.replace("```\n", "").replace("\n```", "")
    summary = (
        f"**{title}, week {week}**: {len(rows)} clients; the table is attached "
        "(too long for one message)."
    )
    return summary, table.encode("utf-8")


CSV_FIELDS = (
    "local_date",
    "mood",
    "craving",
    "used",
    "sleep_hours",
    "safety_thoughts",
    "note",
    "submitted_at",
    "replaced",
)


def checkins_csv(checkins: Sequence[Checkin]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for c in checkins:
        note = c.note or ""
        if note[:1] in ("=", "+", "-", "@", "\t", "\r"):
            note = "'" + note  # keep spreadsheets from reading a note as a formula
        writer.writerow(
            (
                c.local_date.isoformat(),
                c.mood,
                c.craving,
                USED_LABELS[c.used],
                _sleep(c.sleep_hours),
                _safety(c),
                note,
                c.submitted_at.isoformat(),
                c.replaced,
            )
        )
    return buffer.getvalue().encode("utf-8")
