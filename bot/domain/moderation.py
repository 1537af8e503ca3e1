"""Pure moderation rules: durations, limits and message links."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.domain.errors import DomainError

MAX_TIMEOUT = timedelta(days=28)
MAX_SLOWMODE_SECONDS = 21600
MAX_REASON = 500
MAX_NOTE = 1000

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+)\s*([smhdw])")
_WHOLE = re.compile(r"^(\s*\d+\s*[smhdw]\s*)+$")
_LINK = re.compile(
    r"^https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(\d+|@me)/(\d+)/(\d+)/?$"
)


class BadInput(DomainError):
    """The input can't be used; the message says why and how to fix it."""


def parse_duration(text: str) -> timedelta:
    """``30m``, ``2h``, ``3d``, ``1w``, ``1h30m`` → a timedelta in (0, 28 days]."""
    cleaned = text.strip().lower()
    if not _WHOLE.match(cleaned):
        raise BadInput(
            f"I couldn't read {text.strip()[:30]!r} as a duration. Use a number and a unit, "
            "e.g. 30m, 2h, 3d or 1h30m (s, m, h, d, w)."
        )
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    if seconds <= 0:
        raise BadInput("The duration must be longer than zero.")
    duration = timedelta(seconds=seconds)
    if duration > MAX_TIMEOUT:
        raise BadInput("Discord allows timeouts of at most 28 days.")
    return duration


def describe_duration(duration: timedelta) -> str:
    """``2d 3h``, ``45m``: the largest units, for replies and the mod log."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts) or "0s"


def check_text(text: str, *, what: str, limit: int) -> str:
    """Stripped ``text`` if it is not empty and at most ``limit`` characters."""
    cleaned = text.strip()
    if not cleaned:
        raise BadInput(f"The {what} can't be empty.")
    if len(cleaned) > limit:
        raise BadInput(
            f"The {what} is {len(cleaned)} characters; please keep it to {limit} or fewer."
        )
    return cleaned


def check_slowmode(seconds: int) -> int:
    if not 0 <= seconds <= MAX_SLOWMODE_SECONDS:
        raise BadInput(
            f"Slowmode must be between 0 (off) and {MAX_SLOWMODE_SECONDS} seconds (6 hours)."
        )
    return seconds


def parse_message_ref(text: str) -> tuple[int | None, int]:
    """A message link → (channel id, message id); a bare id → (None, message id)."""
    cleaned = text.strip().strip("<>")
    if cleaned.isdigit():
        return None, int(cleaned)
    match = _LINK.match(cleaned)
    if match is None:
        raise BadInput(
            "Please give a message link (right-click the message → Copy Message Link) "
            "or a message id."
        )
    return int(match.group(2)), int(match.group(3))


# The AutoMod presets' names: /automod install finds its rules by these.
AUTOMOD_CRISIS_RULE = "iopbot: crisis language (alert only)"
AUTOMOD_SOURCING_RULE = "iopbot: drug sourcing (blocked)"
AUTOMOD_MENTION_RULE = "iopbot: mention spam"

_MAX_KEYWORDS = 1000
_MAX_KEYWORD_LENGTH = 60
# Config phrases are written without apostrophes (the detector ignores them); Discord's
# keyword filter doesn't, so the written forms are added too.
_CONTRACTIONS = {
    "dont": "don't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "cant": "can't",
    "im": "i'm",
    "whos": "who's",
}


def automod_keywords(phrases: list[str]) -> list[str]:
    """Discord keyword-filter entries for ``phrases``: lower-case, with apostrophe forms."""
    found: list[str] = []
    for phrase in phrases:
        base = " ".join(phrase.lower().split())
        if not base or len(base) > _MAX_KEYWORD_LENGTH:
            continue
        variants = [base]
        words = base.split(" ")
        written = " ".join(_CONTRACTIONS.get(w, w) for w in words)
        plain = " ".join(w.replace("'", "") for w in words)
        variants += [written, plain]
        for variant in variants:
            if variant not in found:
                found.append(variant)
    return found[:_MAX_KEYWORDS]
