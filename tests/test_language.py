"""Every user-facing string is person-first (NIDA "Words Matter"): no stigmatizing words.

Scans every string literal (and f-string text) in the cogs and the user-facing services
and domain renderers; docstrings, comments, identifiers and SQL are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.domain.language import find_stigma

ROOT = Path(__file__).resolve().parents[1]
SCANNED = [
    *sorted((ROOT / "cogs").rglob("*.py")),
    *sorted((ROOT / "bot" / "services").rglob("*.py")),
    *sorted((ROOT / "bot" / "domain").rglob("*.py")),
    ROOT / "config.example.toml",
]
# The crisis detector's patterns match what clients write (including words like "clean");
# they are never shown to anyone. Its reply text (resources.py) is still scanned.
EXCLUDED = {ROOT / "bot" / "domain" / "language.py"} | {
    p for p in (ROOT / "bot" / "domain" / "crisis").glob("*.py") if p.name != "resources.py"
}
# Strings that are not shown to people (log event names, SQL, custom ids).
NOT_SHOWN_PREFIXES = ("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "iop:")


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def user_facing_strings(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".toml":
        return [
            (n, line)
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if not line.lstrip().startswith("#")
        ]
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if " " in text and not text.lstrip().upper().startswith(NOT_SHOWN_PREFIXES):
                found.append((node.lineno, text))
    return found


@pytest.mark.parametrize(
    "path", [p for p in SCANNED if p not in EXCLUDED], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_stigmatizing_words(path):
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {words} in {text[:80]!r}"
        for line, text in user_facing_strings(path)
        if (words := find_stigma(text))
    ]
    assert problems == []


def test_the_lint_catches_stigma():
    assert find_stigma("Stay clean, addict") == ["clean", "addict"]
    assert find_stigma("A person in recovery returned to use") == []
    assert find_stigma("cleaning up the channel") == []
    assert find_stigma("the nightly clean-up removes it") == []
    assert find_stigma("30 days clean") == ["clean"]
