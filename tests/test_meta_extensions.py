"""The extension registry (bot/extensions.py) is the one list of cogs."""

from __future__ import annotations

from bot.config import CogSettings
from bot.extensions import (
    CORE_COGS,
    DEFAULT_ENABLED,
    DEMO_PARTS,
    EXTENSIONS,
    NOT_EXTENSIONS,
    registered,
    walk_extensions,
)
from bot.sandbox.scenarios import load_demo_part


def test_every_cogs_package_is_registered_or_explicitly_left_out():
    on_disk = set(walk_extensions())
    known = set(registered()) | set(NOT_EXTENSIONS)
    assert on_disk - known == set(), "register these in bot/extensions.py (or leave them out)"
    assert set(registered()) - on_disk == set(), "registered but missing under cogs/"


def test_names_are_unique_and_the_config_default_comes_from_the_registry():
    names = registered()
    assert len(names) == len(set(names))
    assert CogSettings().enabled == list(DEFAULT_ENABLED)
    assert set(CORE_COGS) <= set(names)


def test_every_demo_part_has_its_module():
    assert tuple(e.name for e in EXTENSIONS if e.demo) == DEMO_PARTS
    for part in DEMO_PARTS:
        assert load_demo_part(part) is not None, f"bot/sandbox/scenarios/demo_{part}.py"
