"""Literal prefilters for the detector's regular expressions.

For a pattern, :func:`required_literals` finds a few plain strings at least one of which
every match must contain ("kill" for ``\\bkill(?:ing|ed)?\\b``, {"pills", "tablets"} for
``\\b(?:pills|tablets)\\b``). A pattern none of whose strings is in a message cannot
match it, so the detector skips it: a substring test costs a fraction of a regex scan,
and most messages contain the words of few of the 300-odd rules and sayings.

The strings are read from the pattern's parse tree (the ``re`` module's own parser);
what it cannot read safely (case-insensitive parts, lookarounds, a branch with no usable
string) gives ``None``, and such a pattern always runs. A prefilter never changes what
matches, only how often a pattern is tried; ``tests/domain/test_crisis_prefilter.py``
checks both.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Strings shorter than this filter too little to be worth a test ("i", "my").
MIN_LENGTH = 3


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError:  # another Python's internals: no prefilter, every pattern runs
        return None


_PARSER: Any = _module("re._parser")
_C: Any = _module("re._constants")  # the op codes of the parse tree


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which is in every match of ``pattern``, or None when unknown."""
    if _PARSER is None or _C is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return _sequence(list(_PARSER.parse(pattern.pattern, pattern.flags)))
    except Exception:  # internals another Python reshaped: the pattern runs unfiltered
        return None


def _usable(found: frozenset[str] | None) -> bool:
    return bool(found) and all(len(s) >= MIN_LENGTH for s in found or ())


def _better(found: frozenset[str], best: frozenset[str] | None) -> bool:
    """Longer shortest string first (rarer), then fewer strings."""
    if best is None:
        return True
    return (min(map(len, found)), -len(found)) > (min(map(len, best)), -len(best))


def _sequence(items: Sequence[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best string set among the parts every match of the sequence goes through."""
    best: frozenset[str] | None = None
    run: list[str] = []
    candidates: list[frozenset[str] | None] = []
    for op, av in items:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        candidates.append(_part(op, av))
    if run:
        candidates.append(frozenset({"".join(run)}))
    for found in candidates:
        if found is not None and _usable(found) and _better(found, best):
            best = found
    return best


def _part(op: Any, av: Any) -> frozenset[str] | None:
    """What one non-literal part of a sequence guarantees (None: nothing usable)."""
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & re.IGNORECASE else _sequence(list(sub))
    if op is _C.BRANCH:
        return _branch(av[1])
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    if op is getattr(_C, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    return None  # \b, classes, any character, lookarounds, back-references


def _branch(alternatives: Sequence[Any]) -> frozenset[str] | None:
    """Every alternative must give strings; the branch guarantees one of all of them."""
    out: set[str] = set()
    for alternative in alternatives:
        found = _sequence(list(alternative))
        if not _usable(found):
            return None
        out |= found or set()
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Filtered:
    """A compiled pattern and its prefilter (``literals`` None: always tried)."""

    pattern: re.Pattern[str]
    literals: frozenset[str] | None = field(default=None)

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Filtered:
        return cls(pattern, required_literals(pattern))

    def may_match(self, text: str) -> bool:
        literals = self.literals
        return literals is None or any(s in text for s in literals)
