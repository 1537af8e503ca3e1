"""The bad-input catalogue: malformed and hostile inputs across the commands, each of
which must get a clear ephemeral error (never "Something went wrong") and leave every
table exactly as it was.

Inputs are what a Discord client lets a user send (it enforces option types and
declared ranges itself): unparseable dates and times, out-of-range numbers, huge text,
mentions and markdown injection, invalid time zones, dates far in the past or future,
unknown or foreign ids and another client's records. Besides slash commands it covers
the check-in form (a modal: out-of-range and wrong-type answers), the safety plan form
(over-long parts, past the limit Discord's app enforces) and the message
context-menu commands ("Report to facilitator", "Delete message (mod)"). A test at the
end checks the catalogue reaches every command group the bot has.
"""

from __future__ import annotations

from typing import Any

from bot.cogspec import FORM_PREFIX, MENU_PREFIX, BadInput
from bot.extensions import specs
from tests.matrix_helpers import (
    Cast,
    Outcome,
    invoke,
    invoke_menu,
    leaf_commands,
    lobby_post,
    menu_commands,
    populated_world,
    submit_checkin,
    submit_safetyplan,
)

FORM = FORM_PREFIX + "checkin"  # the check-in modal (args: the answers)
PLAN_FORM = FORM_PREFIX + "safetyplan"  # the safety plan's first step (args: the parts' text)
FORMS = (FORM, PLAN_FORM)
MENU = MENU_PREFIX  # + a context-menu name (args: {"target": "own" | "bot" | "sam"})
Case = BadInput


def catalogue(cast: Cast) -> list[Case]:
    """The bad inputs each cog declares (``bad_inputs`` in ``cogs/<name>/_spec.py``)."""
    found: list[Case] = []
    for spec in specs():
        if spec.bad_inputs is not None:
            found.extend(spec.bad_inputs(cast))
    return found


async def menu_target(cast: Cast, case: Case) -> tuple[Any, Any] | None:
    """The (message, channel) a context-menu case acts on; posted before the snapshot."""
    if not case.command.startswith(MENU):
        return None
    which = case.args["target"]
    if which == "bot":
        return cast.w.messages(cast.w.mod_log)[-1], cast.w.mod_log
    author = cast.actors[case.role] if which == "own" else cast.sam
    return await lobby_post(cast, author, "a message for the catalogue"), cast.lobby


async def run_case(cast: Cast, case: Case, target: tuple[Any, Any] | None) -> Outcome:
    actor = cast.actors[case.role]
    if case.command == FORM:
        return await submit_checkin(cast, actor, case.args)
    if case.command == PLAN_FORM:
        return await submit_safetyplan(cast, actor, case.args)
    if target is not None:
        message, channel = target
        return await invoke_menu(cast, actor, case.command[len(MENU) :], message, channel)
    return await invoke(cast, actor, case.command, case.args)


def describe_args(args: dict[str, Any]) -> str:
    def one(value: Any) -> str:
        if isinstance(value, str):
            return repr(value[:40])
        name = getattr(value, "name", None)
        return f"@{name}" if isinstance(name, str) else repr(value)

    return "{" + ", ".join(f"{k}: {one(v)}" for k, v in args.items()) + "}"


async def valid_controls_are_accepted(cast: Cast) -> None:
    """The same paths with valid input are accepted, so the refusals above are real."""
    form = await submit_checkin(cast, cast.alex, {})
    assert form.allowed, form
    plan = await submit_safetyplan(cast, cast.alex, {"coping": "y" * 800})
    assert plan.allowed, plan
    target = await lobby_post(cast, cast.sam, "a message to report")
    report = await invoke_menu(cast, cast.alex, "Report to facilitator", target)
    assert report.allowed, report
    delete = await invoke_menu(cast, cast.w.facilitator, "Delete message (mod)", target)
    assert delete.allowed, delete


def covered_groups(cases: list[Case]) -> set[str]:
    found = set()
    for case in cases:
        if case.command.startswith(FORM_PREFIX):
            found.add(case.command[len(FORM_PREFIX) :])
        elif case.command.startswith(MENU):
            found.add(case.command)
        else:
            found.add(case.command.split()[0])
    return found


async def test_bad_inputs_are_refused_clearly_and_change_nothing(tmp_path):
    async with populated_world(tmp_path) as cast:
        w = cast.w
        await w.facilitator.slash(
            cast.lobby, "family invite", client=cast.sam, name="Robin", relationship="parent"
        )
        cast.sam_contact = int(
            await w.count("SELECT MAX(id) FROM family_contacts WHERE client_id = ?", (cast.sam.id,))
        )
        cases = catalogue(cast)
        bypasses: list[str] = []
        known: list[str] = []
        for case in cases:
            found: list[str] = []
            target = await menu_target(cast, case)
            before = await w.table_snapshot()
            outcome = await run_case(cast, case, target)
            after = await w.table_snapshot()
            changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
            changed = [t for t in changed if t not in case.may_write]
            label = f"/{case.command} {describe_args(case.args)} as {case.role}"
            if outcome.kind == "crash":
                found.append(f"{label}: 'Something went wrong'")
            elif outcome.allowed:
                found.append(f"{label}: accepted: {outcome.text[:120]!r}")
            elif outcome.kind not in ("input", "refused"):
                found.append(f"{label}: {outcome.kind}")
            elif case.command in FORMS and case.role == "client" and outcome.kind != "input":
                found.append(f"{label}: the form was not shown and checked: {outcome.text!r}")
            if changed:
                found.append(f"{label}: changed {changed}")
            if outcome.pinged:
                found.append(f"{label}: the reply pinged {outcome.pinged}")
            if found and case.known:
                known.append(f"{label}: {case.known}")
            else:
                bypasses.extend(found)
        print(
            f"\ninputs tried {len(cases)}, bypasses {len(bypasses)}"
            + (f" (plus {len(known)} known and reported)" if known else "")
        )
        for line in bypasses + known:
            print("  " + line)
        roots = {c.qualified_name.split()[0] for c in leaf_commands(w)}
        menus = {MENU + m.name for m in menu_commands(w)}
        # help-now takes nothing and refuses no one: there is no bad input to send it.
        missing = sorted((roots | menus) - {"help-now"} - covered_groups(cases))
        print(f"command groups covered {len(roots | menus) - 1 - len(missing)}")
        assert missing == [], f"no bad input tried for: {missing}"
        assert len(cases) >= 50
        assert bypasses == []
        await valid_controls_are_accepted(cast)
