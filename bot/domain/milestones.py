"""Milestones, as pure date arithmetic (no I/O).

Two schemes (shared/DOMAIN.md):

* **sobriety** — from the client's own date: the configured day counts (1, 7, 14, 30, …,
  545), then every yearly anniversary after ``every_year_after_days``. Day counts are
  calendar days between local dates in the client's zone, so DST never adds or loses a
  day: on the sobriety date itself the count is 0, the next local day it is 1.
* **program** — from enrollment and attendance: weeks in the program (week *n* is due
  ``7 * n`` days after the program start), sessions attended, step-down and completion.

A reported use never erases history: :func:`restart_streak` banks the current streak in
the cumulative days and the longest streak, and is only ever called when the client
chooses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.dates import BadDate
from bot.domain.localtime import at_local, local_date, require_utc

SOBRIETY = "sobriety"
PROGRAM = "program"

DAYS = "days"
YEARS = "years"
WEEKS = "weeks"
SESSIONS = "sessions"
STEPDOWN = "stepdown"
COMPLETION = "completion"

SOBRIETY_KINDS = (DAYS, YEARS)
PROGRAM_KINDS = (WEEKS, SESSIONS, STEPDOWN, COMPLETION)
EARLIEST_SOBRIETY_DATE = date(1900, 1, 1)

Timing = Literal["prior", "stale", "late", "on_time"]


@dataclass(frozen=True, slots=True)
class SobrietyScheme:
    days: tuple[int, ...] = (1, 7, 14, 30, 60, 90, 180, 270, 365, 545)
    every_year_after_days: int | None = 545


@dataclass(frozen=True, slots=True)
class ProgramScheme:
    weeks: tuple[int, ...] = (1, 4, 8, 12)
    sessions: tuple[int, ...] = (10, 20, 30)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A milestone as the scheme defines it: which one, and the local date it falls on."""

    scheme: str
    kind: str
    n: int
    due_date: date


# ----- day counts --------------------------------------------------------------------


def days_since(start: date, today: date) -> int:
    """Whole local days from ``start`` to ``today`` (0 on the day itself, never negative)."""
    return max(0, (today - start).days)


def days_at(start: date, instant: datetime, zone: ZoneInfo) -> int:
    """The day count at ``instant`` for a client in ``zone`` whose date is ``start``."""
    return days_since(start, local_date(instant, zone))


def check_sobriety_date(value: date, *, today: date) -> date:
    """Refuse a date in the future (in the client's zone) or before 1900."""
    if value > today:
        raise BadDate(
            f"Your sobriety date can't be in the future: today is {today.isoformat()} "
            "where you are. Please give today's date or an earlier one."
        )
    if value < EARLIEST_SOBRIETY_DATE:
        raise BadDate("Please give a date from 1900-01-01 onwards, as YYYY-MM-DD.")
    return value


def anniversary(start: date, years: int) -> date:
    """The calendar anniversary ``years`` after ``start`` (29 February → 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# ----- which milestones are due -------------------------------------------------------


def sobriety_candidates(start: date, scheme: SobrietyScheme, *, until: date) -> list[Candidate]:
    """Every sobriety milestone of a streak starting ``start`` falling on or before ``until``."""
    found = [
        Candidate(SOBRIETY, DAYS, n, start + timedelta(days=n))
        for n in sorted(set(scheme.days))
        if n > 0 and start + timedelta(days=n) <= until
    ]
    if scheme.every_year_after_days is not None:
        threshold = start + timedelta(days=scheme.every_year_after_days)
        day_dates = {c.due_date for c in found} | {start + timedelta(days=n) for n in scheme.days}
        years = 1
        while (due := anniversary(start, years)) <= until:
            if due > threshold and due not in day_dates:
                found.append(Candidate(SOBRIETY, YEARS, years, due))
            years += 1
    return sorted(found, key=lambda c: (c.due_date, c.kind, c.n))


def program_week_candidates(
    program_start: date, scheme: ProgramScheme, *, until: date
) -> list[Candidate]:
    """Weeks in the program: week ``n`` falls ``7 * n`` days after the start."""
    return [
        Candidate(PROGRAM, WEEKS, n, program_start + timedelta(weeks=n))
        for n in sorted(set(scheme.weeks))
        if n > 0 and program_start + timedelta(weeks=n) <= until
    ]


def session_thresholds_reached(attended: int, scheme: ProgramScheme) -> list[int]:
    """The session counts (10, 20, 30 …) reached with ``attended`` sessions."""
    return [n for n in sorted(set(scheme.sessions)) if 0 < n <= attended]


def within(candidates: Iterable[Candidate], first: date, last: date) -> list[Candidate]:
    """The candidates falling on local dates ``first`` … ``last`` (inclusive)."""
    return [c for c in candidates if first <= c.due_date <= last]


# ----- when to celebrate --------------------------------------------------------------


def celebration_at(due_date: date, wall: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the celebration: ``wall`` (e.g. 09:00) on the local due date."""
    return at_local(due_date, wall, zone)


def next_celebration(now: datetime, wall: time, zone: ZoneInfo) -> tuple[date, datetime]:
    """For a milestone that happens now (a session, a step-down): today's celebration time
    if it is still ahead, else tomorrow's. Returns the local date and the UTC instant."""
    today = local_date(now, zone)
    for day in (today, today + timedelta(days=1)):
        instant = at_local(day, wall, zone)
        if instant >= require_utc(now):
            return day, instant
    day = today + timedelta(days=2)
    return day, at_local(day, wall, zone)


def classify(
    due_at: datetime,
    now: datetime,
    *,
    not_before: datetime | None,
    stale_after: timedelta,
    late_after: timedelta,
) -> Timing:
    """How to treat a milestone whose celebration time ``due_at`` has come.

    * ``prior``: it fell before ``not_before`` (before the client set this date, or was
      enrolled) — recorded, not announced;
    * ``stale``: more than ``stale_after`` ago (the bot was down) — recorded, not announced;
    * ``late``: more than ``late_after`` ago — celebrated once, saying so kindly;
    * ``on_time``.
    """
    if not_before is not None and due_at < not_before:
        return "prior"
    overdue = require_utc(now) - require_utc(due_at)
    if overdue > stale_after:
        return "stale"
    if overdue > late_after:
        return "late"
    return "on_time"


def congrats_delivery_at(celebrated_at: datetime, wall: time, zone: ZoneInfo) -> datetime:
    """End of the client's local day of the celebration (``wall``, e.g. 20:00); if the
    celebration happened after that, the next local day's."""
    day = local_date(celebrated_at, zone)
    instant = at_local(day, wall, zone)
    if instant <= require_utc(celebrated_at):
        instant = at_local(day + timedelta(days=1), wall, zone)
    return instant


# ----- streaks ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """A client's sobriety numbers. ``longest_days`` and ``banked_days`` cover earlier
    streaks only; the current streak is added when shown."""

    streak_start: date
    longest_days: int = 0
    banked_days: int = 0
    streak: int = 1

    def current_days(self, today: date) -> int:
        return days_since(self.streak_start, today)

    def longest(self, today: date) -> int:
        return max(self.longest_days, self.current_days(today))

    def cumulative(self, today: date) -> int:
        return self.banked_days + self.current_days(today)


def restart_streak(tally: Tally, today: date) -> Tally:
    """The client chose to restart their counter today: bank the current streak (cumulative
    days and longest streak are kept) and start a new one."""
    current = tally.current_days(today)
    return Tally(
        streak_start=today,
        longest_days=max(tally.longest_days, current),
        banked_days=tally.banked_days + current,
        streak=tally.streak + 1,
    )


def correct_start(tally: Tally, new_start: date) -> Tally:
    """The client corrected the date of their current streak (nothing is banked)."""
    return replace(tally, streak_start=new_start)
