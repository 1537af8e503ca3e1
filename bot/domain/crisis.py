"""Crisis language detection and the private resources reply.

Detection is deliberately simple and explainable: normalized text is matched against the
program's configured phrases on word boundaries, with a short list of idioms that must
not fire ("killing it", "dying to see"). It errs toward alerting a human; it never acts
on its own beyond a private reply and a staff alert.

Normalization (applied to the text, the phrases and the idioms alike): Unicode NFKC,
case-folding, apostrophes dropped ("don't" = "dont", "I'm" = "im"), digits inside words
read as letters ("su1c1de" = "suicide", "k1ll" = "kill"), punctuation as spaces. A phrase
ending in ``*`` matches any word starting with it ("unaliv*" matches "unaliving").
The measured precision and recall on a synthetic corpus are printed by
``tests/domain/test_crisis.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

# Idioms that contain crisis words but are not crisis language. They are removed from
# the text before the phrases are matched, so "dead tired but I want to die" still fires.
DEFAULT_IDIOMS = (
    "killing it",
    "killed it",
    "dying to",
    "to die for",
    "dead tired",
    "dead serious",
    "die laughing",
    "died laughing",
    "suicide squad",
    "suicide prevention",
    "suicide awareness",
    # negations of the phrases themselves
    "not suicidal",
    "never suicidal",
    "dont want to die",
    "do not want to die",
    "didnt want to die",
    "not going to kill myself",
    "wont kill myself",
    "would never kill myself",
    "would never hurt myself",
    # everyday sentences that share words with coded phrases
    "wake up late",
    "wake up in time",
    "wake up on time",
    "wake up early",
    "die my hair",
    "dye my hair",
)

# "5 kms" is a distance, not "kill myself".
_DISTANCE = re.compile(r"\b\d+ kms\b")
_SPACE = re.compile(r"\s+")
_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_NOT_WORD = re.compile(r"[^\w ]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_MIXED_TOKEN = re.compile(r"[\w@]*[a-z][\w@]*")


def _deleet(match: re.Match[str]) -> str:
    token = match.group(0)
    if any(c.isdigit() or c == "@" for c in token) and any(c.isalpha() for c in token):
        return token.translate(_LEET)
    return token


def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _APOSTROPHES.sub("", folded)
    folded = _MIXED_TOKEN.sub(_deleet, folded)
    folded = _NOT_WORD.sub(" ", folded)
    return _SPACE.sub(" ", folded).strip()


Severity = Literal["urgent", "concern"]


@dataclass(frozen=True, slots=True)
class CrisisMatch:
    phrase: str
    severity: Severity = "urgent"
    category: str = "active_ideation"


def _pattern(phrase: str) -> re.Pattern[str] | None:
    prefix = phrase.rstrip().endswith("*")
    wanted = normalize(phrase.rstrip().rstrip("*"))
    if not wanted:
        return None
    tail = r"\w*\b" if prefix else r"\b"
    return re.compile(rf"\b{re.escape(wanted)}{tail}")


def detect_crisis(
    text: str, phrases: Iterable[str], idioms: Sequence[str] = DEFAULT_IDIOMS
) -> CrisisMatch | None:
    """The first configured phrase found in ``text`` (outside the idioms), or None."""
    clean = normalize(text)
    if not clean:
        return None
    clean = _DISTANCE.sub(" ", clean)
    for idiom in idioms:
        wanted = normalize(idiom)
        if wanted:
            clean = re.sub(rf"\b{re.escape(wanted)}\b", " ", clean)
    for phrase in phrases:
        pattern = _pattern(phrase)
        if pattern is not None and pattern.search(clean):
            return CrisisMatch(phrase)
    return None


def resources_text(
    resources: Iterable[tuple[str, str]],
    staffed_hours: str,
    *,
    facilitator_told: bool = True,
    staffed_now: bool | None = None,
) -> str:
    """The private crisis reply: resources, then when staff are here.

    ``facilitator_told=False`` (e.g. ``/help-now``, which alerts nobody) leaves out the
    sentences about the alert. ``staffed_now=False`` says plainly that staff may not see
    the alert until staffed hours begin; None (unknown) says only when the space is staffed.
    A DM's neutral first line (``program.dm_preview``) is added by the sender.
    """
    lines = [
        "You matter, and you don't have to go through this alone. If you are thinking about "
        "harming yourself or are in crisis, please reach out now:",
        "",
    ]
    lines += [f"• **{name}**: {contact}" for name, contact in resources]
    notice = (
        f"This space is staffed {staffed_hours}. Outside those hours nobody may see messages "
        "here right away: iopbot is not a crisis service."
    )
    if facilitator_told and staffed_now is False:
        notice += (
            " A facilitator has been told privately, but it is outside staffed hours right "
            "now, so staff may not see it until later. Please use the resources above now."
        )
    elif facilitator_told:
        notice += " A facilitator has been told privately so someone can check in with you."
    lines += ["", notice]
    return "\n".join(lines)
