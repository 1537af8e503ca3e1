"""Names that people choose (display names, group names, family contacts), made safe to show.

A display name can carry invisible Unicode format characters: a right-to-left override
makes "Alex‮gnp.exe" render as something else, zero-width characters make two names look
identical. Wherever iopbot shows a name it first removes them (:func:`plain_name`); names a
facilitator types for a group are refused outright when they carry them, or mention or
link syntax (:func:`check_group_name`), with a message saying why.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.errors import DomainError

ZERO_WIDTH_JOINER = "\u200d"

# Mentions (<@1>, <@!1>, <@&1>, <#1>, @everyone, @here) and markdown links [text](url).
_MENTION = re.compile(r"<[@#][!&]?\d+>|@(everyone|here)\b", re.IGNORECASE)
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_SPACES = re.compile(r"\s+")


class BadName(DomainError):
    """A name that can't be used as given; the message says why, for the person."""


def _is_hidden(char: str) -> bool:
    """Format characters (bidi controls, zero-width spaces, BOM, soft hyphen...)."""
    return unicodedata.category(char) == "Cf"


def _keeps_joiner(text: str, index: int) -> bool:
    """A zero-width joiner between two symbols builds one emoji (👨‍👩‍👧): keep it."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return bool(before and after) and all(
        unicodedata.category(c).startswith("S") or c == "\ufe0f" for c in (before, after)
    )


def strip_hidden(text: str) -> str:
    """``text`` without invisible format characters (emoji joiners kept)."""
    return "".join(
        c
        for i, c in enumerate(text)
        if not _is_hidden(c) or (c == ZERO_WIDTH_JOINER and _keeps_joiner(text, i))
    )


def has_hidden(text: str) -> bool:
    return strip_hidden(text) != text


def plain_name(name: str, *, fallback: str = "a member", limit: int = 100) -> str:
    """A name as iopbot shows it: no hidden characters, single spaces, at most ``limit``."""
    cleaned = _SPACES.sub(" ", strip_hidden(unicodedata.normalize("NFC", name))).strip()
    return cleaned[:limit] or fallback


def check_group_name(name: str) -> str:
    """A cohort name a facilitator typed, or :class:`BadName` saying what to change."""
    if has_hidden(name):
        raise BadName(
            "That name contains invisible characters (for example direction or zero-width "
            "marks). Please type it again with plain letters."
        )
    if _MENTION.search(name):
        raise BadName("A group name can't contain mentions such as @everyone or <@…>.")
    if _LINK.search(name) or "://" in name:
        raise BadName("A group name can't contain links.")
    return _SPACES.sub(" ", name).strip()


def check_record_name(name: str) -> str:
    """A person's name as a facilitator typed it (a client's name for clinical documents,
    a family contact's name or relationship)."""
    if has_hidden(name) or _MENTION.search(name) or _LINK.search(name):
        raise BadName(
            "Please type the name with plain letters only (no mentions, links or "
            "invisible characters)."
        )
    cleaned = _SPACES.sub(" ", name).strip()
    if not cleaned:
        raise BadName("Please give the client's name.")
    return cleaned
