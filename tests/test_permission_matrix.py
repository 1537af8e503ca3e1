"""The permission matrix: every slash command and every message context-menu command,
discovered from the bot's command tree, run as a client, a family member, a facilitator,
an auditor and a stranger, with plausible valid arguments. The allowed set per command is
asserted exactly against what its cog declares (``access`` in ``cogs/<name>/_spec.py``,
collected from the registry; valid arguments come from the spec's ``examples``, else
from the command's parameters). A declaration must agree with the command's own check
(facilitator_only / auditor_only) where it has one.

Discord's ``default_permissions`` is only a hint a server admin can change, so the test
first allows every command for @everyone: what is checked is the bot's own code. A
command that lands later is run too; if its cog declares no row for it, its expectation
comes from its check (facilitator_only / auditor_only), and a command with no check must
be declared in its cog's ``_spec.py``.

"Refused" means the central error handler answered (a NotAllowed or a UserError); a
"Something went wrong" reply fails the test. The populated world and the ``invoke``
helpers live in ``tests/matrix_helpers.py`` (shared with the bad-input catalogue).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.cogspec import Access
from tests.matrix_helpers import (
    ROLES,
    Cast,
    Outcome,
    declared_access,
    declared_expectation,
    grant_consent,
    invoke,
    invoke_menu,
    leaf_commands,
    lobby_post,
    menu_commands,
    populated_world,
    valid_args,
)

# Done just before an allowed role runs the command, so each allowed run has its subject.
PREPARE: dict[str, Callable[[Cast], Any]] = {
    "family consent revoke": grant_consent,
}


def expected_rows() -> dict[str, Access]:
    """Every declared row, in run order: by stage, then registry and declaration order."""
    rows = declared_access()
    ordered = sorted(enumerate(rows.items()), key=lambda item: (item[1][1].stage, item[0]))
    return {name: access for _, (name, access) in ordered}


# Command → who may run it. Row order is run order (state carries over between rows).
EXPECTED = expected_rows()


def run_order(names: list[str]) -> list[str]:
    order = {name: n for n, name in enumerate(EXPECTED)}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


async def run_cell(cast: Cast, name: str, role: str, menus: set[str]) -> Outcome:
    actor = cast.actors[role]
    if name in menus:
        target = await lobby_post(cast, cast.sam, f"matrix: {name} as {role}")
        return await invoke_menu(cast, actor, name, target)
    return await invoke(cast, actor, name, valid_args(cast, name, role))


def label(name: str, menus: set[str]) -> str:
    return f"[menu] {name}" if name in menus else f"/{name}"


async def test_permission_matrix(tmp_path):
    async with populated_world(tmp_path) as cast:
        commands: dict[str, Any] = {c.qualified_name: c for c in leaf_commands(cast.w)}
        menus = {m.name for m in menu_commands(cast.w)}
        assert menus >= {"Report to facilitator", "Delete message (mod)"}
        commands.update({m.name: m for m in menu_commands(cast.w)})
        expected: dict[str, frozenset[str]] = {}
        undeclared, contradicted = [], []
        for name, command in commands.items():
            declared = EXPECTED.get(name)
            checked = declared_expectation(command)
            if declared is None:
                if checked is None:
                    undeclared.append(name)
                else:
                    expected[name] = checked
                continue
            expected[name] = declared.roles
            if checked is not None and checked != declared.roles:
                contradicted.append(f"{name}: declared {sorted(declared.roles)}, checks {checked}")
        assert undeclared == [], (
            f"declare access in the cog's _spec.py (no check found): {undeclared}"
        )
        assert contradicted == [], (
            f"the declared roles contradict the command's check: {contradicted}"
        )
        stale = sorted(set(EXPECTED) - set(commands))
        assert stale == [], f"declared for commands the bot does not have: {stale}"

        got: dict[str, dict[str, Outcome]] = {}
        # Everyone who should be refused goes first, so a refusal never depends on
        # something an allowed run changed; then the allowed roles.
        for name in run_order(list(commands)):
            cells: dict[str, Outcome] = {}
            roles = sorted(ROLES, key=lambda r: (r in expected[name], ROLES.index(r)))
            for role in roles:
                if role in expected[name] and name in PREPARE:
                    await PREPARE[name](cast)
                cells[role] = await run_cell(cast, name, role, menus)
            got[name] = cells

        width = max(len(label(n, menus)) for n in got) + 2
        print("\nPermission matrix (Y allowed, - refused; * = differs from expected)")
        print("command".ljust(width) + "".join(r[:11].ljust(12) for r in ROLES))
        problems = []
        for name in run_order(list(got)):
            line = label(name, menus).ljust(width)
            for role in ROLES:
                outcome = got[name][role]
                want = role in expected[name]
                mark = "Y" if outcome.allowed else "-"
                if outcome.allowed != want or outcome.kind in ("crash", "silent"):
                    mark += "*"
                    problems.append(
                        f"{label(name, menus)} as {role}: {outcome.kind}: {outcome.text[:160]!r}"
                    )
                line += mark.ljust(12)
            print(line)
        slash = len(got) - len(menus)
        print(
            f"commands {len(got)} (slash {slash}, context menus {len(menus)}), "
            f"roles {len(ROLES)}, cells {len(got) * len(ROLES)}"
        )
        assert problems == [], "\n".join(problems)
