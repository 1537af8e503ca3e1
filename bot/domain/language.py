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

# "clean-up" and "clean up" are housekeeping, not a description of a person.
_EXCEPTIONS = {"clean": r"(?![-\s]?up\b)"}
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(w) + r"\b" + _EXCEPTIONS.get(w, "") for w in STIGMA_WORDS) + r")",
    re.I,
)


def find_stigma(text: str) -> list[str]:
    """The stigmatizing words in ``text`` (lower-cased), in order of appearance."""
    return [m.group(1).lower() for m in _PATTERN.finditer(text)]
