"""Fitting text into Discord's limits without cutting a line in half."""

from __future__ import annotations

from discord.utils import escape_markdown, escape_mentions

from bot.domain.names import plain_name

MESSAGE_LIMIT = 2000


def fit_lines(lines: list[str], *, limit: int = MESSAGE_LIMIT, more: str = "…") -> str:
    """Join ``lines``; if that is over ``limit``, drop whole lines from the middle of the
    end and say so with ``more``, keeping the first line and the last (the call to act)."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    head, body, tail = lines[0], lines[1:-1], lines[-1]
    kept: list[str] = []
    budget = limit - len(head) - len(tail) - len(more) - 3
    for line in body:
        if len(line) + 1 > budget:
            break
        kept.append(line)
        budget -= len(line) + 1
    return "\n".join([head, *kept, more, tail])[:limit]


def with_preview(preview: str, content: str, *, limit: int = MESSAGE_LIMIT) -> str:
    """A DM's text: the neutral ``preview`` line first (what a locked phone shows), then the
    message itself after a line break. Stays within ``limit`` by shortening the message."""
    if not content:
        return preview
    text = f"{preview}\n{content}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_name(name: str) -> str:
    """A person's name as the bot shows it: invisible Unicode controls removed (a
    right-to-left override can't make it render as something else) and markdown and
    mentions escaped, so a display name like ``[Open chart](https://…)`` is shown as
    typed, never as a link."""
    return escape_mentions(escape_markdown(plain_name(name)))
