"""The one registry of feature cogs (like python-discord's ``walk_extensions``).

Everything that needs the list of cogs reads it here: the config's default ``[cogs]
enabled`` list, the core cogs that always load, the sandbox's cogs and the demo's parts
(in story order), and the meta-test that fails when a package under ``cogs/`` is neither
registered nor explicitly left out. A new feature cog adds one line to
:data:`EXTENSIONS` (docs/ARCHITECTURE.md, "Adding a feature cog").

:func:`specs` reads each registered cog's declaration (``cogs/<name>/_spec.py``, see
``bot/cogspec.py``): its settings section, retention classes and test expectations.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.cogspec import CogSpec


@dataclass(frozen=True, slots=True)
class Extension:
    """A package under ``cogs/``."""

    name: str
    core: bool = False  # loaded whatever ``[cogs] enabled`` says
    enabled_by_default: bool = True  # in the default ``[cogs] enabled`` list
    demo: bool = True  # has a part in the sandbox demo: scenarios/demo_<name>.py


# Load order, and the order of the demo's story.
EXTENSIONS: tuple[Extension, ...] = (
    Extension("clients", core=True),
    Extension("alerts", core=True, enabled_by_default=False, demo=False),
    Extension("status", core=True, enabled_by_default=False, demo=False),
    Extension("groups"),
    Extension("moderation", demo=False),  # its steps are part of the safety story
    Extension("safety"),
    Extension("safetyplan"),
    Extension("careline"),
    Extension("checkins"),
    Extension("survey"),
    Extension("milestones"),
    Extension("family"),
    Extension("data"),
)

# Packages under cogs/ that are deliberately not extensions, with the reason.
NOT_EXTENSIONS: dict[str, str] = {}

CORE_COGS: tuple[str, ...] = tuple(e.name for e in EXTENSIONS if e.core)
DEFAULT_ENABLED: tuple[str, ...] = tuple(e.name for e in EXTENSIONS if e.enabled_by_default)
DEMO_PARTS: tuple[str, ...] = tuple(e.name for e in EXTENSIONS if e.demo)


def registered() -> list[str]:
    return [e.name for e in EXTENSIONS]


def walk_extensions() -> list[str]:
    """The packages that exist under ``cogs/`` (found on disk, not imported)."""
    spec = importlib.util.find_spec("cogs")
    if spec is None or not spec.submodule_search_locations:
        return []
    paths = [str(Path(p)) for p in spec.submodule_search_locations]
    return sorted(info.name for info in pkgutil.iter_modules(paths) if info.ispkg)


def installed(names: tuple[str, ...] | list[str]) -> list[str]:
    """Those of ``names`` whose package is installed."""
    return [n for n in names if importlib.util.find_spec(f"cogs.{n}") is not None]


def spec_of(name: str) -> CogSpec[Any]:
    """The declaration in ``cogs/<name>/_spec.py`` (an empty one if the cog has none)."""
    module_name = f"cogs.{name}._spec"
    if importlib.util.find_spec(f"cogs.{name}") is None or (
        importlib.util.find_spec(module_name) is None
    ):
        return CogSpec(name=name)
    declared = getattr(importlib.import_module(module_name), "SPEC", None)
    if not isinstance(declared, CogSpec) or declared.name != name:
        raise TypeError(f"{module_name}.SPEC must be a CogSpec named {name!r}")
    return declared


@cache
def specs() -> tuple[CogSpec[Any], ...]:
    """The declarations of every registered cog, in registry order (imported once)."""
    return tuple(spec_of(e.name) for e in EXTENSIONS)
