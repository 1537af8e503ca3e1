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


# Words that would reveal a treatment program where others can see them: channel and event
# names (member lists, notifications, screenshots; refused unless
# groups.allow_clinical_names) and the first line of a DM (a locked phone shows it).
CLINICAL_WORDS = (
    "addiction",
    "rehab",
    "detox",
    "drug",
    "drugs",
    "alcohol",
    "sober",
    "sobriety",
    "recovery",
    "substance",
    "sud",
    "opioid",
    "opioids",
    "narcotics",
    "iop",
    "therapy",
    "treatment",
    "counselor",
    "counseling",
    "clinic",
    "relapse",
    "overdose",
    "crisis",
    "suicide",
)
_CLINICAL = re.compile(r"\b(" + "|".join(CLINICAL_WORDS) + r")\b", re.IGNORECASE)


def clinical_words(text: str) -> list[str]:
    """The words of :data:`CLINICAL_WORDS` in ``text`` (lower-cased), in order."""
    return [m.group(1).lower() for m in _CLINICAL.finditer(text.replace("-", " "))]


def reveals_treatment(line: str, program_name: str) -> list[str]:
    """Why ``line`` would reveal treatment on a lock screen: clinical words, or the
    program's name (empty when it is neutral)."""
    found = clinical_words(line)
    if program_name.strip() and program_name.strip().casefold() in line.casefold():
        found.append(program_name.strip())
    return found
