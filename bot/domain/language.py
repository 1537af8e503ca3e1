"""Person-first, non-stigmatizing wording (NIDA "Words Matter").

Every user-facing string is linted against these words by a test. Matching is on whole
words, case-insensitive.
"""

from __future__ import annotations

import re

STIGMA_WORDS = (
    "addict",
    "addicts",
    "abuser",
    "abusers",
    "alcoholic",
    "alcoholics",
    "junkie",
    "junkies",
    "clean",
    "dirty",
    "relapsed",
    "failed",
    "failure",
    "substance abuse",
    "drug abuse",
    "druggie",
    "drug user",
    "drug users",
    "crackhead",
    "stoner",
    "drunk",
    "tweaker",
    "slip up",
)

_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in STIGMA_WORDS) + r")\b", re.I)


def find_stigma(text: str) -> list[str]:
    """The stigmatizing words in ``text`` (lower-cased), in order of appearance."""
    return [m.group(1).lower() for m in _PATTERN.finditer(text)]
