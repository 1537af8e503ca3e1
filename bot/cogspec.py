"""What a feature cog declares about itself, next to its code (``cogs/<name>/_spec.py``).

A cog's ``_spec.py`` defines ``SPEC = CogSpec(...)``: its settings section (a pydantic
model and the section name), its retention classes, which roles may run each of its
commands (the permission matrix), valid example arguments for them, and its bad inputs
(the bad-input catalogue). ``bot/extensions.py`` collects the specs of the registered
cogs (:func:`bot.extensions.specs`); ``bot/config.py`` builds ``Settings`` and
``RetentionSettings`` from them, and the meta-tests and the test catalogues read them.

This module and every ``_spec.py`` import neither discord nor the cog itself, so the
configuration can be loaded (``iopbot check-config``) without the Discord stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_hhmm(value: str) -> str:
    if not _HHMM.match(value):
        raise ValueError("must be a 24-hour time HH:MM, e.g. 09:00")
    return value


class Section(BaseModel):
    """Base of every settings section: unknown keys refused, input never echoed, frozen."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, frozen=True)


# ----- permission expectations -------------------------------------------------------

# The roles the permission matrix runs every command as (tests/matrix_helpers.py).
CLIENT, FAMILY, FACILITATOR, AUDITOR, STRANGER = (
    "client",
    "family",
    "facilitator",
    "auditor",
    "stranger",
)
ROLES: tuple[str, ...] = (CLIENT, FAMILY, FACILITATOR, AUDITOR, STRANGER)
EVERYONE: frozenset[str] = frozenset(ROLES)
STAFF: frozenset[str] = frozenset({FACILITATOR})
CLIENTS: frozenset[str] = frozenset({CLIENT})
AUDITORS: frozenset[str] = frozenset({AUDITOR})

# When the matrix runs a command (state carries over between rows): ordinary commands
# first, then those that change someone's standing (discharge), then those that change
# the caller's own state for good (a deletion).
NORMAL, CHANGES_OTHERS, CHANGES_CALLER = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Access:
    """Who may run one command: the exact set of matrix roles it allows."""

    roles: frozenset[str]
    stage: int = NORMAL  # NORMAL, CHANGES_OTHERS or CHANGES_CALLER (run order)


# ``world`` in the two callables below is the test's populated world
# (``tests.matrix_helpers.Cast``): members ``alex``, ``sam``, ``riley`` (enrolled clients),
# ``family``, ``facilitator``, ``stranger``; ``lobby`` (a text channel); ``cohort_name``,
# ``session_date``, ``day`` (a valid future date), ``case_id``, ``contact_id``,
# ``sam_contact``, ``family_session_id``, ``message_link``, ``codes`` (spare link codes),
# ``role_mention`` and ``user_mention``. The spec never imports the tests.
Example = Callable[[Any, str], dict[str, Any]]  # (world, role) -> valid arguments

HUGE = "x" * 3000
EVERYONE_PING = "@everyone"

FORM_PREFIX = "form:"  # BadInput.command for a modal: "form:checkin", "form:safetyplan"
MENU_PREFIX = "menu:"  # BadInput.command for a message context-menu command


@dataclass(frozen=True)
class BadInput:
    """One case of the bad-input catalogue: it must be refused clearly, changing nothing."""

    role: str  # who sends it (a matrix role)
    # a slash command path; FORM_PREFIX + a form; or MENU_PREFIX + a context-menu name
    command: str
    args: dict[str, Any]
    # tables a refused attempt may legitimately write (e.g. failed-code counters)
    may_write: frozenset[str] = field(default_factory=frozenset)
    # a bypass found by the catalogue and reported to the owning cog, not yet fixed
    known: str | None = None


# ----- retention ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetentionClass:
    """How long some of a cog's rows are kept, and the setting that says so.

    ``section="retention"`` (the default) adds ``setting`` to ``[retention]`` with
    ``default_days`` and ``minimum_days``; any other section names a field the cog's (or a
    core) section already has (e.g. ``family.code_ttl_days``). A meta-test checks that
    the setting exists and is in config.example.toml and docs/DATA.md, and that each table
    is the cog's own and documented.
    """

    setting: str  # e.g. "careline_days"
    default_days: int
    tables: tuple[str, ...]  # the tables (or the rows of them) this class covers
    minimum_days: int = 1
    section: str = "retention"
    doc: str = ""  # one line: what is kept (the field's description)

    @property
    def key(self) -> str:
        """The dotted setting, as docs and errors name it: ``retention.careline_days``."""
        return f"{self.section}.{self.setting}"

    def days(self, settings: Any) -> int:
        """The configured number of days in ``settings`` (a ``bot.config.Settings``)."""
        value = getattr(getattr(settings, self.section), self.setting)
        if not isinstance(value, int):
            raise TypeError(f"{self.key} is not a whole number of days")
        return value


# ----- the declaration ---------------------------------------------------------------

S = TypeVar("S", bound=Section)


@dataclass(frozen=True)
class CogSpec(Generic[S]):
    """Everything a cog declares about itself (see the module docstring).

    ``settings`` is the model of the cog's own ``[section]`` (default: the cog's name);
    a cog reads it typed with :meth:`section_of`. A section that code outside the cog
    reads (a service, the CLI) stays a core section in ``bot/config.py``: services may not
    import cogs.
    """

    name: str  # the package under cogs/
    settings: type[S] | None = None
    section: str = ""  # default: ``name``
    retention: tuple[RetentionClass, ...] = ()
    access: Mapping[str, Access] = field(default_factory=dict)  # command → who may run it
    examples: Mapping[str, Example] = field(default_factory=dict)  # command → valid args
    bad_inputs: Callable[[Any], Sequence[BadInput]] | None = None  # world → cases

    @property
    def section_name(self) -> str:
        return self.section or self.name

    def section_of(self, settings: Any) -> S:
        """This cog's section of ``settings`` (a ``bot.config.Settings``), typed."""
        if self.settings is None:
            raise LookupError(f"cog {self.name} declares no settings section")
        value = getattr(settings, self.section_name)
        if isinstance(value, self.settings):
            return value
        # Reloading an extension re-imports its _spec module: the settings, built once,
        # hold an instance of the model class as it was first imported. Same name, same
        # fields: it is that section.
        if _qualified(type(value)) != _qualified(self.settings):
            raise TypeError(f"settings.{self.section_name} is not a {self.settings.__name__}")
        return cast(S, value)


def _qualified(kind: type[Any]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"
