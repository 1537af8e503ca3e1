"""Crisis language detection and the private resources reply.

Detection is deliberately simple and explainable: normalized text is matched against the
program's configured phrases on word boundaries, with a short list of idioms that must
not fire ("killing it", "dying to see"). It errs toward alerting a human; it never acts
on its own beyond a private reply and a staff alert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Idioms that contain crisis words but are not crisis language.
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
)

_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    folded = re.sub(r"[^\w' ]+", " ", folded)
    return _SPACE.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class CrisisMatch:
    phrase: str


def detect_crisis(
    text: str, phrases: Iterable[str], idioms: Sequence[str] = DEFAULT_IDIOMS
) -> CrisisMatch | None:
    """The first configured phrase found in ``text`` (outside the idioms), or None."""
    clean = normalize(text)
    if not clean:
        return None
    for idiom in idioms:
        clean = re.sub(rf"\b{re.escape(normalize(idiom))}\b", " ", clean)
    for phrase in phrases:
        wanted = normalize(phrase)
        if wanted and re.search(rf"\b{re.escape(wanted)}\b", clean):
            return CrisisMatch(phrase)
    return None


def resources_text(resources: Iterable[tuple[str, str]], staffed_hours: str) -> str:
    """The private crisis reply: resources first, then when the space is staffed."""
    lines = [
        "You matter, and you don't have to go through this alone. If you are thinking about "
        "harming yourself or are in crisis, please reach out now:",
        "",
    ]
    lines += [f"• **{name}**: {contact}" for name, contact in resources]
    lines += [
        "",
        f"This space is staffed {staffed_hours}. Outside those hours nobody may see messages "
        "here right away: iopbot is not a crisis service. A facilitator has been let know "
        "privately so someone can check in with you.",
    ]
    return "\n".join(lines)
