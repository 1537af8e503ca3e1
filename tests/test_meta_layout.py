"""The test tree's layout: a module named ``test_*`` holds tests; shared helpers are named
for what they hold (``tests/cogs/family_helpers.py``, ``tests/harness.py``), so pytest
does not collect them as test modules and a reader knows where the tests are."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def holds_tests(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name.lower().startswith("test")
        for node in tree.body
    )


def test_holds_tests_tells_a_helper_from_a_test_module(tmp_path):
    helper = tmp_path / "helper.py"
    helper.write_text("def enroll():\n    pass\n")
    module = tmp_path / "module.py"
    module.write_text("async def test_it():\n    pass\n")
    assert not holds_tests(helper)
    assert holds_tests(module)


def test_every_test_module_holds_tests():
    empty = [
        p.relative_to(TESTS).as_posix()
        for p in sorted(TESTS.rglob("test_*.py"))
        if not holds_tests(p)
    ]
    assert empty == [], "helpers without tests: name them for what they hold, not test_*"
