"""Every sentence milestones can show: warm, person-first, never stigmatizing.

A test renders all of them for every scheme and checks them with ``find_stigma``.
Public wording carries a display name and the milestone only: never a substance, a
check-in answer, or (for a private client) a day count.
"""

from __future__ import annotations

from datetime import date

from bot.domain.milestones import COMPLETION, DAYS, SESSIONS, STEPDOWN, WEEKS, YEARS
from bot.domain.text import shown_name

CONGRATS_LABEL = "Send congrats"
LATE_OPENING = "A little late, but…"


# The word for the client's own streak is the program's choice (milestones.streak_term):
# "recovery" by default, since many clients on medication treatment don't call it sobriety.
DEFAULT_TERM = "recovery"


def days_label(kind: str, n: int) -> str:
    if kind == YEARS or (kind == DAYS and n == 365):
        years = 1 if kind == DAYS else n
        return "1 year" if years == 1 else f"{years} years"
    return "1 day" if n == 1 else f"{n} days"


def milestone_label(kind: str, n: int, *, term: str = DEFAULT_TERM) -> str:
    """What the milestone is, in a phrase that fits after "on" or "reached"."""
    if kind in (DAYS, YEARS):
        return f"{days_label(kind, n)} of {term}"
    if kind == WEEKS:
        return "the first week in the program" if n == 1 else f"{n} weeks in the program"
    if kind == SESSIONS:
        return f"{n} group sessions attended"
    if kind == STEPDOWN:
        return "stepping down to the next level of care"
    if kind == COMPLETION:
        return "completing the program"
    raise ValueError(f"unknown milestone kind {kind!r}")


def _achievement(kind: str, n: int, program: str, *, late: bool, when: str, term: str) -> str:
    """The sentence after "Congratulations, Alex!"."""
    label = milestone_label(kind, n, term=term)
    if kind in (DAYS, YEARS, WEEKS):
        what = "your first week in the program" if kind == WEEKS and n == 1 else label
        return f"On {when} you reached {what}." if late else f"Today marks {what}."
    if kind == SESSIONS:
        return f"You've now attended {n} group sessions."
    if kind == STEPDOWN:
        return "You've stepped down to the next level of care."
    return f"You've completed {program}."


_ENCOURAGEMENT = {
    DAYS: "Every one of those days took courage, and we're proud of you.",
    YEARS: "That's a lot of days you chose for yourself. We're proud of you.",
    WEEKS: "Showing up for yourself matters, and you're doing it.",
    SESSIONS: "Thank you for showing up for yourself and for your group.",
    STEPDOWN: "It's a real sign of the work you've put in.",
    COMPLETION: "This is a big achievement, and your recovery keeps going. We're cheering for you.",
}


def friendly_date(value: date) -> str:
    return f"{value:%A}, {value:%B} {value.day}"


def celebration_dm(
    *,
    name: str,
    kind: str,
    n: int,
    program: str,
    late: bool,
    due_date: date,
    shared: bool,
    opted_in: bool,
    term: str = DEFAULT_TERM,
) -> str:
    """The DM every milestone gets. ``shared``: a cohort post was queued too."""
    emoji = "🎓" if kind == COMPLETION else "🎉"
    opening = f"{emoji} {LATE_OPENING} congratulations" if late else f"{emoji} Congratulations"
    lines = [
        f"{opening}, {shown_name(name)}! "
        f"{_achievement(kind, n, program, late=late, when=friendly_date(due_date), term=term)} "
        f"{_ENCOURAGEMENT[kind]}"
    ]
    if shared:
        lines.append(
            "You chose to share celebrations, so your group is invited to celebrate with you. "
            "Their congratulations will reach you at the end of your day."
        )
    elif not opted_in:
        lines.append(
            "Only you see this. If you'd ever like to share celebrations with your group, "
            "use /milestones public on."
        )
    return "\n".join(lines)


def cohort_post(*, name: str, kind: str, n: int, late: bool, term: str = DEFAULT_TERM) -> str:
    """The cohort-channel post (opted-in clients only): display name and milestone only."""
    prefix = f"{LATE_OPENING} please" if late else "🎉 Please"
    return (
        f"{prefix} join us in congratulating **{shown_name(name)}** on "
        f"{milestone_label(kind, n, term=term)}! Press {CONGRATS_LABEL} to send your good wishes."
    )


def _names(names: list[str]) -> str:
    shown = [shown_name(n) for n in names]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" and {shown[-1]}"


def congrats_dm(*, kind: str, n: int, names: list[str], term: str = DEFAULT_TERM) -> str:
    """The one end-of-day DM carrying peers' congratulations."""
    label = milestone_label(kind, n, term=term)
    if len(names) == 1:
        who = f"{_names(names)} sent you congratulations"
    else:
        who = f"{len(names)} people in your group sent you congratulations: {_names(names)}"
    return f"💌 On {label}, {who}. They're glad you're here, and so are we."


# ----- replies to commands and buttons ------------------------------------------------

PRIVATE_NOTE = (
    "Only you see this. Celebrations come to you by DM; to share them with your group, "
    "use /milestones public on."
)


def counts_text(*, current: int, since: date, longest: int, cumulative: int) -> str:
    now = "starting today" if current == 0 else days_label(DAYS, current)
    return (
        f"Current: {now} (since {since.isoformat()})\n"
        f"Longest streak: {days_label(DAYS, longest)}\n"
        f"Cumulative days: {cumulative}"
    )


def next_text(kind: str, n: int, due: date, *, term: str = DEFAULT_TERM) -> str:
    return f"Your next milestone: {milestone_label(kind, n, term=term)} on {due.isoformat()}."


def set_reply(
    *, start: date, days: int, next_line: str | None, public: bool, term: str = DEFAULT_TERM
) -> str:
    lines = [f"Your {term} date is {start.isoformat()}: that's {days_label(DAYS, days)}."]
    if next_line:
        lines.append(next_line)
    lines.append(
        "Your group sees your celebrations (display name and milestone only)."
        if public
        else PRIVATE_NOTE
    )
    return "\n".join(lines)


def no_date(term: str = DEFAULT_TERM) -> str:
    return (
        f"You haven't set a {term} date. It's optional and private: "
        "/sobriety set lets you add one whenever you like."
    )


USE_REPORTED_NOTE = (
    "You mentioned some use in a recent check-in. Thank you for being honest about it. "
    "If you'd like, /sobriety reset lets you choose whether your counter restarts or "
    "stays as it is. There's no wrong answer, and your cumulative days and longest "
    "streak are always kept."
)

RESET_PROMPT = (
    "Thank you for letting me know. Whatever brought you here, the work you've done still "
    "counts: your {cumulative} cumulative days and your longest streak of {longest} "
    "stay with you.\nWould you like your counter to restart today, or stay as it is? "
    "Either choice is okay, and only you see this."
)
RESTART_LABEL = "Restart my counter today"
KEEP_LABEL = "Keep my counter as it is"
RESTARTED = (
    "Your counter restarts today. Your {cumulative} cumulative days and your longest "
    "streak of {longest} are kept. Be gentle with yourself. A facilitator is here if you'd "
    "like to talk, and the SAMHSA helpline (1-800-662-4357) is free and open 24/7."
)
KEPT = (
    "Your counter stays as it is: {current}. Thank you for checking in with yourself. "
    "A facilitator is here if you'd like to talk."
)

PUBLIC_ON = (
    "Your celebrations will be shared with your group: your display name and the "
    "milestone only, never anything from your check-ins. You'll still get a DM each time. "
    "Use /milestones public off any time to keep them private."
)
PUBLIC_OFF = "Your celebrations are private again: they come to you by DM only."

CONGRATS_THANKS = "Thank you! Your congratulations will reach {name} at the end of their day."
CONGRATS_ALREADY = "You've already sent your congratulations for this one. Thank you!"
CONGRATS_SELF = (
    "This is your celebration: congratulations! Your group's good wishes will reach you "
    "by DM at the end of your day."
)
CONGRATS_CLOSED = (
    "Thank you! This celebration's congratulations were already delivered, but your "
    "kindness is noticed."
)
CONGRATS_GONE = "This celebration isn't available anymore."
CONGRATS_NOT_PEER = "Congratulations on this celebration come from members of the same group."


def upcoming_line(*, day: date, name: str, what: str) -> str:
    return f"• {day:%a} {day.isoformat()}: {shown_name(name)}: {what}"


def private_milestone(term: str = DEFAULT_TERM) -> str:
    return f"a private {term} milestone"
