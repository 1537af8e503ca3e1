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

from bot.cogspec import EVERYONE_PING, FORM_PREFIX, HUGE, MENU_PREFIX, BadInput
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


def declared_cases(cast: Cast) -> list[Case]:
    """The bad inputs each cog declares (``bad_inputs`` in ``cogs/<name>/_spec.py``)."""
    found: list[Case] = []
    for spec in specs():
        if spec.bad_inputs is not None:
            found.extend(spec.bad_inputs(cast))
    return found


def catalogue(cast: Cast) -> list[Case]:
    return local_cases(cast) + declared_cases(cast)


def local_cases(cast: Cast) -> list[Case]:
    """The cases of cogs that do not declare their bad inputs yet."""
    sam_contact = cast.sam_contact
    role_mention = cast.role_mention
    user_mention = cast.user_mention
    contact = cast.contact_id
    session = cast.family_session_id
    cohort = cast.cohort_name
    date = cast.session_date
    failures = frozenset({"family_link_failures"})
    c, fa, f, s = "client", "family", "facilitator", "stranger"
    report, delete = MENU + "Report to facilitator", MENU + "Delete message (mod)"
    return [
        # time zones
        Case(c, "me timezone", {"zone": "Mars/Olympus_Mons"}),
        Case(c, "me timezone", {"zone": "../../etc/passwd"}),
        Case(c, "me timezone", {"zone": HUGE}),
        Case(c, "me timezone", {"zone": EVERYONE_PING}),
        Case(c, "me timezone", {"zone": f"**{role_mention}**"}),
        Case(c, "checkin settings", {"timezone": "Not/AZone"}),
        Case(f, "client enroll", {"member": cast.sam, "timezone": "UTC+25"}),
        # wall-clock times
        Case(c, "checkin settings", {"time": "25:00"}),
        Case(c, "checkin settings", {"time": "9am"}),
        Case(c, "checkin settings", {"time": user_mention}),
        Case(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "24:61", "duration": 60},
        ),
        Case(f, "session move", {"cohort": cohort, "date": date, "new_start": "99:99"}),
        # dates: malformed, impossible, far past, far future
        Case(c, "checkin pause", {"until_date": "2026-02-30"}),
        Case(c, "checkin pause", {"until_date": "1999-01-01"}),
        Case(c, "checkin pause", {"until_date": "9999-12-31"}),
        Case(c, "checkin pause", {"until_date": "tomorrow"}),
        Case(c, "sobriety set", {"date": "3000-01-01"}),
        Case(c, "sobriety set", {"date": "1899-12-31"}),  # the bound: before 1900
        Case(c, "sobriety set", {"date": "2026-13-01"}),
        Case(c, "sobriety set", {"date": EVERYONE_PING}),
        Case(c, "sobriety set", {"date": "2026-01-31'; DROP TABLE checkins; --"}),
        Case(f, "client enroll", {"member": cast.sam, "start_date": "1990-01-01"}),
        Case(f, "client enroll", {"member": cast.sam, "start_date": "2099-01-01"}),
        Case(f, "session cancel", {"cohort": cohort, "date": "2026-02-30"}),
        Case(f, "session cancel", {"cohort": cohort, "date": "2031-01-01"}),
        Case(
            f,
            "family session schedule",
            {"client": cast.alex, "start": "2020-01-01 10:00", "duration": 60, "place": "Room 2"},
        ),
        Case(
            f,
            "family session schedule",
            {"client": cast.alex, "start": "soon", "duration": 60, "place": "Room 2"},
        ),
        Case(c, "family consent grant", {"contact": contact, "expires_on": "2020-01-01"}),
        Case(c, "family consent grant", {"contact": contact, "expires_on": "2099-01-01"}),
        # out-of-range numbers
        Case(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "10:00", "duration": 0},
        ),
        Case(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Monday", "start": "10:00", "duration": 100000},
        ),
        Case(
            f,
            "session schedule",
            {"cohort": cohort, "weekday": "Funday", "start": "10:00", "duration": 60},
        ),
        Case(f, "mod slowmode", {"seconds": 99999, "channel": cast.lobby}),
        Case(f, "mod slowmode", {"seconds": -1, "channel": cast.lobby}),
        Case(f, "mod timeout", {"member": cast.sam, "duration": "29d", "reason": "x"}),
        Case(f, "mod timeout", {"member": cast.sam, "duration": "forever", "reason": "x"}),
        Case(f, "mod timeout", {"member": cast.sam, "duration": "-5m", "reason": "x"}),
        Case(
            f,
            "family session schedule",
            {"client": cast.alex, "start": "2026-03-20 10:00", "duration": 5, "place": "Room 2"},
        ),
        # huge or empty text
        Case(f, "mod warn", {"member": cast.sam, "reason": "x" * 501}),
        Case(f, "mod warn", {"member": cast.sam, "reason": "   "}),
        Case(f, "mod note", {"member": cast.sam, "text": "y" * 1001}),
        Case(f, "group create", {"name": HUGE}),
        Case(
            f,
            "family session schedule",
            {"client": cast.alex, "start": "2026-03-20 10:00", "duration": 60, "place": HUGE},
        ),
        # mentions and markdown injection where an id or a code is expected
        Case(fa, "family link", {"code": EVERYONE_PING}, failures),
        Case(fa, "family link", {"code": role_mention}, failures),
        Case(fa, "family link", {"code": "AAAA-AAAA"}, failures),
        Case(f, "mod delete", {"message": f"[link](https://evil.example/{EVERYONE_PING})"}),
        Case(f, "mod delete", {"message": "not a message link"}),
        # unknown and foreign ids
        Case(c, "family consent grant", {"contact": 999_999}),
        Case(c, "family consent revoke", {"contact": -5}),
        Case(f, "mod case", {"case_id": 999_999}),
        Case(f, "mod delete", {"message": "https://discord.com/channels/1/2/3"}),
        Case(f, "family session reschedule", {"session": 999_999, "place": "Room 9"}),
        Case(f, "family session cancel", {"session": -1}),
        Case(f, "group add", {"member": cast.alex, "cohort": "No Such Group"}),
        Case(f, "hours report", {"cohort": "No Such Group"}),
        Case(f, "session list", {"cohort": f"{EVERYONE_PING} {role_mention}"}),
        # another client's records
        Case(c, "family consent grant", {"contact": sam_contact}),
        Case(c, "family consent revoke", {"contact": sam_contact}),
        # people who aren't what the command needs
        Case(f, "client enroll", {"member": cast.w.facilitator}),
        Case(f, "client enroll", {"member": cast.w.family}),
        Case(f, "client info", {"member": cast.w.stranger}),
        Case(f, "client discharge", {"member": cast.w.stranger}),
        Case(f, "group add", {"member": cast.w.stranger, "cohort": cohort}),
        Case(f, "checkin view", {"member": cast.w.stranger}),
        Case(
            f, "family invite", {"client": cast.w.stranger, "name": "Pat", "relationship": "parent"}
        ),
        Case(f, "program stepdown", {"member": cast.w.stranger}),
        Case(f, "family session reschedule", {"session": session, "start": "2020-01-01 10:00"}),
        # the check-in form: wrong types and out-of-range answers
        Case(c, FORM, {"mood": "11"}),
        Case(c, FORM, {"mood": "0"}),
        Case(c, FORM, {"mood": "seven"}),
        Case(c, FORM, {"mood": "@here"}),
        Case(c, FORM, {"craving": "-1"}),
        Case(c, FORM, {"craving": "1e3"}),
        Case(c, FORM, {"craving": "7.5"}),
        # "used" and the safety item are choices: a client cannot send anything else (a
        # forged submission is refused: tests/cogs/test_checkins_form_handler.py).
        Case(fa, FORM, {}),
        # the safety plan: over-long parts (the bot's own limit, not only Discord's)
        Case(c, PLAN_FORM, {"coping": "y" * 801}),
        Case(c, PLAN_FORM, {"warning_signs": HUGE, "distraction": HUGE}),
        Case(fa, PLAN_FORM, {}),
        Case(s, PLAN_FORM, {"coping": "a walk"}),
        Case(f, "safetyplan view", {"member": cast.w.stranger}),
        Case(c, "safetyplan view", {"member": cast.sam}),
        Case(s, "safetyplan show", {}),
        Case(fa, "safetyplan edit", {}),
        # message context menus: one's own message, a bot's message, staff-only deletion
        Case(c, report, {"target": "own"}),
        Case(f, report, {"target": "bot"}),
        Case(c, delete, {"target": "sam"}),
        Case(s, delete, {"target": "sam"}),
        # /client, /me, /hours, /program, /group, /session: people and groups that don't fit
        Case(f, "client export", {"member": cast.w.stranger}),
        Case(f, "client info", {"member": cast.w.family}),
        Case(fa, "me timezone", {"zone": "America/Chicago"}),
        Case(f, "hours export", {"cohort": "No Such Group"}),
        Case(f, "hours report", {"cohort": HUGE}),
        Case(c, "hours report", {"cohort": cohort}),
        Case(f, "program complete", {"member": cast.w.stranger}),
        Case(f, "group remove", {"member": cast.w.stranger}),
        Case(f, "session attendance", {"cohort": cohort, "date": "2031-01-01"}),
        Case(
            f,
            "session attendance",
            {"cohort": cohort, "date": date, "action": "add", "member": cast.w.stranger},
        ),
        Case(
            f,
            "session move",
            {"cohort": cohort, "date": date, "new_start": "19:00", "new_date": "2020-01-01"},
        ),
        # /checkin (staff side), /sobriety, /milestones: not a client, or someone else's
        Case(f, "checkin export", {"member": cast.w.stranger}),
        Case(fa, "sobriety set", {"date": "2026-01-31"}),
        Case(s, "sobriety show", {}),
        Case(c, "milestones upcoming", {}),
        Case(fa, "milestones public", {"choice": "on"}),
        # /mod and /automod: staff-only tools tried by others, impossible targets
        Case(f, "mod untimeout", {"member": cast.w.stranger}),
        Case(f, "mod case", {"case_id": -1}),
        Case(c, "mod note", {"member": cast.sam, "text": EVERYONE_PING}),
        Case(c, "automod install", {}),
        Case(s, "automod status", {}),
        # /iopbot status: staff-only health view tried by a client and a family member
        Case(c, "iopbot status", {}),
        Case(fa, "iopbot status", {}),
        # /alerts: staff-only status tried by a client
        Case(c, "alerts status", {}),
        # /family: someone else's records
        Case(f, "family disclosures-export", {"client": cast.w.stranger}),
        Case(f, "family contacts", {"client": cast.w.stranger}),
        Case(s, "family consent grant", {"contact": contact}),
        # /mydata and /audit
        Case(s, "mydata delete", {}),
        Case(f, "audit client", {"member": cast.alex}),
        Case(c, "audit client", {"member": cast.sam}),
    ]


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
