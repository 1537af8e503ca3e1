"""The slices of a cog package (docs/ARCHITECTURE.md, "Inside a cog package").

Modules named after the Discord-free slices (``_planner``, ``_submit``, ``_render``,
``_history``, ``_chart``, ``_hooks``, ``_common``) never talk to Discord: the only things
they may take from ``discord`` are message values (``Embed``, ``Colour``), and at run time
they import no module of their package that uses more of ``discord`` than that (an import
needed for annotations only sits under ``if TYPE_CHECKING:``). Read from the source, so a
new module with one of these names is checked as soon as it exists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COGS = ROOT / "cogs"
DISCORD_FREE = (
    "_planner",
    "_submit",
    "_render",
    "_history",
    "_chart",
    "_hooks",
    "_common",
    "_spec",
)
VALUES = frozenset({"Embed", "Colour", "Color"})


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement outside ``if TYPE_CHECKING:`` blocks (functions included)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    walk(other)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            walk(child)

    walk(tree)
    return found


def discord_beyond_values(tree: ast.Module) -> list[str]:
    """What the module uses of ``discord`` other than the message values (empty: none)."""
    extra: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "discord":
                    continue
                if alias.name != "discord" or alias.asname not in (None, "discord"):
                    extra.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "discord":
            if node.module != "discord":
                extra.append(f"from {node.module} import …")
            extra += [f"discord.{a.name}" for a in node.names if a.name not in VALUES]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "discord"
            and node.attr not in VALUES
        ):
            extra.append(f"discord.{node.attr}")
    return sorted(set(extra))


def sibling_imports(tree: ast.Module, package: str) -> set[str]:
    """Modules of ``cogs.<package>`` imported at run time (``_x`` names)."""
    prefix = f"cogs.{package}"
    names: set[str] = set()
    for node in _runtime_imports(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(prefix + "."):
                    names.add(alias.name.split(".")[2])
        elif node.module == prefix:
            names |= {a.name for a in node.names}
        elif (node.module or "").startswith(prefix + "."):
            names.add((node.module or "").split(".")[2])
    return names


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def slice_modules() -> list[Path]:
    return sorted(p for p in COGS.glob("*/_*.py") if p.stem in DISCORD_FREE)


def test_the_scan_sees_discord_use_and_run_time_imports():
    # The scan itself: a planner that takes a client, and a render that only builds embeds.
    talks = ast.parse("import discord\ndef f(c: discord.Client) -> discord.Embed: ...")
    values = ast.parse("import discord\nE = discord.Embed(colour=discord.Colour.teal())")
    assert discord_beyond_values(talks) == ["discord.Client"]
    assert discord_beyond_values(values) == []
    assert discord_beyond_values(ast.parse("from discord import ui")) == ["discord.ui"]
    hidden = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cogs.x._core import C\n"
        "from cogs.x import _render\n"
    )
    assert sibling_imports(hidden, "x") == {"_render"}
    names = {p.stem for p in slice_modules()}
    assert {"_planner", "_submit", "_render", "_history", "_chart", "_hooks"} <= names


@pytest.mark.parametrize("path", slice_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_discord_free_slices_do_not_talk_to_discord(path: Path):
    assert discord_beyond_values(parse(path)) == [], (
        f"{path.relative_to(ROOT)} talks to Discord: move that part to the cog's "
        "_cog/_views/_modal (or another Discord-side module), or inject what it needs"
    )


@pytest.mark.parametrize("path", slice_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_discord_free_slices_import_no_discord_side_sibling(path: Path):
    package = path.parent.name
    talking = {
        sibling.stem
        for sibling in path.parent.glob("*.py")
        if discord_beyond_values(parse(sibling))
    }
    imported = sibling_imports(parse(path), package)
    assert imported & talking == set(), (
        f"{path.relative_to(ROOT)} imports a Discord-side module at run time "
        "(annotations only: import it under `if TYPE_CHECKING:`)"
    )
