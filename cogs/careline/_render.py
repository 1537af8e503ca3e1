"""What the care line says, to clients (by DM) and in the staff threads. No Discord calls.

DMs get the neutral first line from the sender (program.dm_preview); nothing here adds it.
Nothing shown in a staff thread is anything the client didn't write, apart from the ids
and enrollment facts in the thread's first message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.db.repositories.clients import Client
from bot.domain.careline import FileVerdict, size_text
from bot.domain.names import plain_name
from bot.domain.text import shown_name

# Pieces of relayed text stay well under Discord's 2,000 characters (with a name line
# and the DM's first line added).
PIECE_LIMIT = 1700


def name_of(client: Client) -> str:
    """The client's name as shown in messages (hidden characters gone, markdown and
    mentions escaped)."""
    return shown_name(client.display_name)


def _staff(name: str) -> str:
    return shown_name(name)


def program_week(client: Client, today: date) -> int:
    return max(1, (today - client.program_start).days // 7 + 1)


def thread_header(client: Client, today: date, note_prefix: str) -> str:
    name = name_of(client)
    return "\n".join(
        [
            f"**Care line: {name}** (<@{client.user_id}>, user id {client.user_id})",
            f"Enrolled {client.program_start.isoformat()}; program week "
            f"{program_week(client, today)}; status {client.status.replace('_', ' ')}.",
            "",
            f"What {name} sends the bot by DM appears here. Only facilitators see this channel.",
            f"• Reply: a plain message here (or `/careline reply`); {name} gets it by DM.",
            f"• Note for staff only: start the message with `{note_prefix}` "
            "(or `/careline note`); it is never sent.",
            f"• `/careline close` ends the conversation ({name} is told); their next "
            "message opens a new one.",
        ]
    )


def relayed_in(name: str, piece: str, *, first: bool) -> str:
    head = f"**{name}:**" if first else f"**{name} (continued):**"
    return f"{head}\n{piece}" if piece else head


def _file_name(name: str) -> str:
    return plain_name(name, fallback="file", limit=80).replace("`", "'")


def file_lines(verdicts: Iterable[FileVerdict]) -> list[str]:
    return [
        f"📎 {v.kind} `{_file_name(v.file.name)}` ({size_text(v.file.size)}): {v.file.url}"
        for v in verdicts
        if v.passed
    ]


def refused_files_for_staff(name: str, count: int, reasons: set[str]) -> str:
    what = "a file" if count == 1 else f"{count} files"
    return (
        f"{name} also sent {what} that I did not pass on (the care line takes "
        f"{'; '.join(sorted(reasons))}). They were told."
    )


def refused_files_for_client(count: int, reasons: set[str], *, text_sent: bool) -> str:
    what = "your file" if count == 1 else f"{count} of your files"
    after = (
        " The rest of your message was passed on."
        if text_sent
        else " Nothing else was in the message, so nothing was passed on."
    )
    return (
        f"I couldn't pass on {what} to your care team: the care line takes "
        f"{'; '.join(sorted(reasons))}.{after}"
    )


def refused_files_in_thread(count: int, reasons: set[str], *, text_sent: bool) -> str:
    what = "The file" if count == 1 else f"{count} files"
    after = " The text was sent." if text_sent else " Nothing was sent."
    return (
        f"{what} in that reply did not go to the client: the care line takes "
        f"{'; '.join(sorted(reasons))}.{after}"
    )


def auto_reply(
    *,
    team_name: str,
    staffed_hours: str,
    answer_time: str,
    resources: Iterable[tuple[str, str]],
    staffed_now: bool | None = None,
) -> str:
    when = f"They read them {staffed_hours}; expect an answer {answer_time}."
    if staffed_now is False:
        when += " It is outside those hours right now, so nobody may read this until then."
    lines = [
        "Thanks for your message. It went to your care team, privately: only the "
        "program's facilitators read these messages, and they answer here.",
        when,
        "",
        "This line is not watched around the clock. If you are in crisis or thinking about "
        "harming yourself, please don't wait for an answer here; reach out now:",
    ]
    lines += [f"• **{name}**: {contact}" for name, contact in resources]
    lines += ["", f"— {team_name}"]
    return "\n".join(lines)


def staff_reply(signature: str, piece: str, *, first: bool) -> str:
    head = f"**{signature}:**" if first else f"**{signature} (continued):**"
    return f"{head}\n{piece}" if piece else head


def signature_for(style: str, staff_name: str, team_name: str) -> str:
    if style == "team":
        return team_name
    return f"{_staff(staff_name)} ({team_name.lower()})"


def closed_for_client(team_name: str) -> str:
    return (
        f"{team_name} has closed this conversation. If you want to talk again, just send "
        "a message here any time."
    )


def closed_in_thread(staff_name: str, name: str) -> str:
    return (
        f"🔒 Conversation closed by {_staff(staff_name)}. "
        f"{name} was told; their next message opens a new one."
    )


def opened_in_thread(conversation_id: int) -> str:
    return f"— New conversation (#{conversation_id}) —"


def command_reply_in_thread(staff_name: str, piece: str, *, first: bool) -> str:
    who = _staff(staff_name)
    head = f"**{who}** replied (`/careline reply`):" if first else f"**{who}** (continued):"
    return f"{head}\n{piece}"


def note_in_thread(staff_name: str, piece: str) -> str:
    who = _staff(staff_name)
    return f"📝 Note by **{who}** (not sent to the client):\n{piece}"


def dm_closed_in_thread(name: str) -> str:
    return (
        f"⚠️ Not delivered: {name}'s DMs are closed (or they no longer share the server "
        "with the bot), so they did not get that message. Please reach them another way."
    )


def not_client_in_thread(name: str) -> str:
    return f"{name} is no longer an active client, so nothing was sent to them."


def slow_down() -> str:
    return (
        "You've sent a lot of messages in a short time, so this one wasn't passed on. "
        "Please wait a few minutes and send it again; your care team has the earlier ones. "
        "If you need help right now, /help-now lists people you can reach any time."
    )


def unavailable() -> str:
    return (
        "Sorry, your message couldn't be passed on to your care team just now. Please try "
        "again a little later. If you need help right now, /help-now lists people you can "
        "reach any time."
    )


def for_family() -> str:
    return (
        "Hi! This bot sends you notices about family sessions you have been invited to "
        "(date, time and place). It can't pass on messages, so please contact the program "
        "directly. If you or someone else needs help right now, /help-now lists people "
        "you can reach any time."
    )


def for_staff() -> str:
    return (
        "Hi! Clients' messages to this bot go to their care-line threads in the staff-only "
        "care-line channel; answer them there (a message in the thread, or /careline reply)."
    )


def for_others() -> str:
    return (
        "Hi! Messages sent to this bot aren't read by anyone here. If you or someone else "
        "needs help right now, /help-now lists people you can reach any time."
    )
