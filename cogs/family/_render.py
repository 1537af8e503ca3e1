"""Text for people: the consent summary, session lists, the accounting and its CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import discord

from bot.db.repositories.family_sessions import Disclosure, FamilySession, Response
from bot.domain.consent import ConsentTerms, summary_lines
from bot.domain.family_notices import discord_time
from bot.domain.text import shown_name

ANSWERS = {"confirm": "will be there", "cant": "can't make it"}


def consent_summary_embed(
    terms: ConsentTerms, *, client_name: str, signed_on: date, name_recorded: bool = True
) -> discord.Embed:
    embed = discord.Embed(
        title="Your consent for family-session notices",
        description=(
            "Please read this carefully. Nothing is saved until you press **Confirm**. "
            "You can change your mind at any time."
        ),
    )
    rows = summary_lines(
        terms, client_name=client_name, signed_on=signed_on, name_recorded=name_recorded
    )
    for label, text in rows:
        embed.add_field(name=label, value=text, inline=False)
    return embed


def session_line(session: FamilySession, names: dict[int, str], responses: list[Response]) -> str:
    status = {"scheduled": "", "rescheduled": " (changed)", "cancelled": " (cancelled)"}
    answers = ", ".join(
        f"{names.get(r.responder_id, f'<@{r.responder_id}>')} {ANSWERS[r.answer]}"
        for r in responses
    )
    return (
        f"**#{session.id}** {names.get(session.client_id, f'<@{session.client_id}>')} · "
        f"{discord_time(session.starts_at, 'f')} · {session.duration_minutes} min · "
        f"{session.place} · with {session.facilitator_name}{status[session.status]}\n"
        f"  Answers: {answers or 'none yet'}"
    )


_STAGE_WORDS = {
    "scheduled": "the session was scheduled",
    "changed": "the session was changed",
    "rescheduled": "the session was changed",
    "cancelled": "the session was cancelled",
}
_REMINDER = re.compile(r"^remind(\d+(?:\.\d+)?)h$")


def stage_words(stage_key: str) -> str:
    """A notice's stage key ("remind24h-v1-c3") in plain words ("reminder 24 hours before")."""
    stage = stage_key.split("-")[0]
    reminder = _REMINDER.match(stage)
    if reminder:
        hours = float(reminder.group(1))
        if hours < 1:
            return f"reminder {round(hours * 60)} minutes before"
        return f"reminder {hours:g} hour{'' if hours == 1 else 's'} before"
    return _STAGE_WORDS.get(stage, "session notice")


def disclosure_line(disclosure: Disclosure) -> str:
    return (
        f"{discord_time(disclosure.disclosed_at, 'f')} · to "
        f"{shown_name(disclosure.recipient_name)} · "
        f"session #{disclosure.session_id}: {stage_words(disclosure.stage)} · "
        f"under consent {disclosure.consent_id}"
    )


CSV_COLUMNS = (
    "disclosure_id",
    "disclosed_at_utc",
    "client_id",
    "recipient_name",
    "recipient_contact_id",
    "recipient_user_id",
    "what",
    "purpose",
    "consent_id",
    "sender",
    "session_id",
    "notice",
    "outbox_id",
)


def _cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def disclosures_csv(disclosures: list[Disclosure]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for d in disclosures:
        writer.writerow(
            _cell(value)
            for value in (
                d.id,
                d.disclosed_at.isoformat(),
                d.client_id,
                d.recipient_name,
                d.recipient_contact_id,
                d.recipient_user_id,
                d.category,
                d.purpose,
                d.consent_id,
                d.sender,
                d.session_id,
                d.stage,
                d.outbox_id,
            )
        )
    return buffer.getvalue().encode("utf-8")
