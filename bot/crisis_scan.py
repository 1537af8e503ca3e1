"""``iopbot crisis-scan FILE``: run the live crisis detector over JSON lines.

Input: one JSON object per line with a string ``text`` (``-`` reads stdin); blank lines
are skipped. Output (stdout): the same objects, in the same order, each with
``"crisis": true|false``, ``"severity": "urgent"|"concern"|null`` and ``"category"``
(the detector's category id or null) added; every other field passes through. A line
that is not such an object stops the run before anything is written: the error names
the line and the exit code is 2.

If the input carries gold labels (``label`` = "crisis"|"safe", and optionally its own
``category``), per-category figures go to stderr: recall for each crisis category,
false-alarm rate for each safe category, and overall. The gold ``category`` is read
before the output's ``category`` (the detector's) replaces it.

The detector is called exactly as live messages call it: ``detect_crisis(text,
settings.safety.crisis_terms, settings.safety.crisis_idioms)``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.config import SafetySettings
from bot.domain.crisis import detect_crisis


class ScanError(Exception):
    """A bad input line; the message names it."""


@dataclass
class Figures:
    """Counts per gold (label, category): how many, and how many the detector flagged."""

    total: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    flagged: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, label: str, category: str, crisis: bool) -> None:
        self.total[(label, category)] += 1
        self.flagged[(label, category)] += int(crisis)

    def lines(self) -> list[str]:
        if not self.total:
            return []
        out = ["crisis-scan figures (gold labels from the input):"]
        sums = {"crisis": [0, 0], "safe": [0, 0]}
        for (label, category), count in sorted(self.total.items()):
            flagged = self.flagged[(label, category)]
            sums[label][0] += flagged
            sums[label][1] += count
            what = "recall" if label == "crisis" else "false alarms"
            out.append(f"  {label:6} {category:34} {what:12} {flagged / count:.3f}  (n={count})")
        for label, what in (("crisis", "recall"), ("safe", "false alarms")):
            flagged, count = sums[label]
            if count:
                out.append(f"  overall {label:6} {what:12} {flagged / count:.3f}  (n={count})")
        return out


def parse_lines(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The objects on ``lines``; raises ScanError naming the first bad line."""
    objects: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ScanError(f"line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(value, dict):
            raise ScanError(f"line {number}: expected a JSON object")
        if not isinstance(value.get("text"), str):
            raise ScanError(f'line {number}: missing a string "text" field')
        label = value.get("label")
        if label is not None and label not in ("crisis", "safe"):
            raise ScanError(f'line {number}: "label" must be "crisis" or "safe"')
        objects.append(value)
    return objects


def scan(objects: list[dict[str, Any]], safety: SafetySettings) -> tuple[list[str], Figures]:
    """Output lines and gold figures for already-parsed ``objects``."""
    figures = Figures()
    out: list[str] = []
    for value in objects:
        match = detect_crisis(value["text"], safety.crisis_terms, safety.crisis_idioms)
        label = value.get("label")
        if label is not None:
            gold = value.get("category")
            figures.add(label, str(gold) if gold is not None else "(none)", match is not None)
        value["crisis"] = match is not None
        value["severity"] = match.severity if match else None
        value["category"] = match.category if match else None
        out.append(json.dumps(value, ensure_ascii=False))
    return out, figures


def run(source: TextIO, safety: SafetySettings, stdout: TextIO, stderr: TextIO) -> int:
    try:
        objects = parse_lines(source)
    except ScanError as exc:
        print(f"crisis-scan: {exc}; nothing was written.", file=stderr)
        return 2
    out, figures = scan(objects, safety)
    for line in out:
        stdout.write(line + "\n")
    for line in figures.lines():
        print(line, file=stderr)
    return 0


def main(path: str, safety: SafetySettings) -> int:
    if path == "-":
        return run(sys.stdin, safety, sys.stdout, sys.stderr)
    try:
        with open(path, encoding="utf-8") as source:
            return run(source, safety, sys.stdout, sys.stderr)
    except OSError as exc:
        print(f"crisis-scan: can't read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"crisis-scan: {path} is not UTF-8 text", file=sys.stderr)
        return 2
