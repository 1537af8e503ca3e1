"""The permission matrix: every slash command, discovered from the bot's command tree, run
as a client, a family member, a facilitator, an auditor and a stranger, with plausible
valid arguments. The allowed set per command is asserted exactly against ``EXPECTED``.

Discord's ``default_permissions`` is only a hint a server admin can change, so the test
first allows every command for @everyone: what is checked is the bot's own code. A
command that lands later is run too; if it has no row in ``EXPECTED`` its expectation
comes from its declared check (facilitator_only / auditor_only), and a command with no
check must be added to ``EXPECTED`` explicitly.

"Refused" means the central error handler answered (a NotAllowed or a UserError); a
"Something went wrong" reply fails the test.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands

from bot.sandbox.runner import available_cogs
from bot.services.errors import UserError, handle_interaction_error
from tests.harness import World, program_world

ROLES = ("client", "family", "facilitator", "auditor", "stranger")
C, FA, F, A, S = ROLES
EVERYONE = frozenset(ROLES)
STAFF = frozenset({F})

# Command → the roles allowed. Row order is run order (state carries over between rows).
EXPECTED: dict[str, frozenset[str]] = {
    # anyone
    "help-now": EVERYONE,
    "mydata export": EVERYONE,
    # clients (enrolled and active)
    "me timezone": frozenset({C}),
    "checkin settings": frozenset({C}),
    "checkin today": frozenset({C}),
    "checkin history": frozenset({C}),
    "checkin pause": frozenset({C}),
    "checkin resume": frozenset({C}),
    "sobriety set": frozenset({C}),
    "sobriety show": frozenset({C}),
    "milestones public": frozenset({C}),
    "hours mine": frozenset({C}),
    # family members, or anyone the program gave a code (the code is the credential;
    # staff and client accounts can't link)
    # (an Auditor-only account is not a facilitator, so the family cog lets it link too)
    "family link": frozenset({FA, A, S}),
    "family consent grant": frozenset({C}),
    "family consent list": frozenset({C}),
    "family disclosures": frozenset({C}),
    # facilitators
    "client info": STAFF,
    "client export": STAFF,
    "client enroll": STAFF,
    "group list": STAFF,
    "group create": STAFF,
    "group add": STAFF,
    "session schedule": STAFF,
    "session list": STAFF,
    "session attendance": STAFF,
    "session move": STAFF,
    "session cancel": STAFF,
    "hours report": STAFF,
    "hours export": STAFF,
    "checkin view": STAFF,
    "checkin report": STAFF,
    "checkin export": STAFF,
    "milestones upcoming": STAFF,
    "mod warn": STAFF,
    "mod note": STAFF,
    "mod history": STAFF,
    "mod case": STAFF,
    "mod timeout": STAFF,
    "mod untimeout": STAFF,
    "mod slowmode": STAFF,
    "mod lock": STAFF,
    "mod unlock": STAFF,
    "mod delete": STAFF,
    "automod status": STAFF,
    "automod install": STAFF,
    "family invite": STAFF,
    "family contacts": STAFF,
    "family session schedule": STAFF,
    "family session list": STAFF,
    "family session reschedule": STAFF,
    "family session cancel": STAFF,
    "family disclosures-export": STAFF,
    "program stepdown": STAFF,
    "program complete": STAFF,
    "group remove": STAFF,
    "client discharge": STAFF,
    # the audit role
    "audit client": frozenset({A}),
    # last: these change the caller's own state for good
    # the client, or a facilitator on the client's behalf
    "family consent revoke": frozenset({C, F}),
    "sobriety reset": frozenset({C}),
    "mydata delete": EVERYONE,
}


@dataclass
class Cast:
    """The populated world the matrix and the bad-input catalogue run in."""

    w: World
    lobby: Any
    actors: dict[str, Any]
    cohort_name: str
    session_date: str
    case_id: int
    contact_id: int
    family_session_id: int
    message_link: str
    codes: list[str] = field(default_factory=list)
    errors: list[tuple[int, BaseException]] = field(default_factory=list)

    @property
    def alex(self) -> Any:
        return self.w.clients[0]

    @property
    def sam(self) -> Any:
        return self.w.clients[1]

    @property
    def riley(self) -> Any:
        return self.w.clients[2]


def leaf_commands(w: World) -> list[app_commands.Command[Any, Any, Any]]:
    """Every slash command (groups walked), as Discord lists them for the guild."""
    found: list[app_commands.Command[Any, Any, Any]] = []

    def walk(command: Any) -> None:
        if isinstance(command, app_commands.Group):
            for child in command.commands:
                walk(child)
        elif isinstance(command, app_commands.Command):
            found.append(command)

    for root in w.bot.tree.get_commands(
        guild=discord.Object(w.guild.id), type=discord.AppCommandType.chat_input
    ):
        walk(root)
    return found


def declared_expectation(command: app_commands.Command[Any, Any, Any]) -> frozenset[str] | None:
    names = {getattr(check, "__qualname__", "") for check in command.checks}
    if any(n.startswith("facilitator_only") for n in names):
        return STAFF
    if any(n.startswith("auditor_only") for n in names):
        return frozenset({A})
    return None


def reply_text(result: Any) -> str:
    parts = []
    if result.response is not None:
        parts.append(result.response.content or "")
        parts.extend(e.description or e.title or "" for e in result.response.embeds)
    parts.extend(f.content or "" for f in result.followups)
    return "\n".join(p for p in parts if p)


def _code_in(text: str) -> str:
    match = re.search(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*", text)
    assert match, f"no link code in {text!r}"
    return match[1]


@asynccontextmanager
async def populated_world(tmp_path: Any) -> AsyncIterator[Cast]:
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        errors: list[tuple[int, BaseException]] = []

        async def recording_handler(interaction: discord.Interaction[Any], error: Any) -> None:
            errors.append((interaction.id, error))
            await handle_interaction_error(interaction, error)

        w.bot.tree.on_error = recording_handler  # type: ignore[method-assign]
        lobby = w.guild.create_text_channel("lobby")
        auditor = w.guild.add_member(
            w.env.create_user("ava"),
            roles=[w.roles["Auditor"]],
            nick="Ava (auditor)",
        )
        await w.env.settle()
        for command in await w.bot.tree.fetch_commands(guild=discord.Object(w.guild.id)):
            w.guild.set_command_permissions(command.id, {w.guild.default_role: True})
        fac = w.facilitator
        for client in w.clients:
            await fac.slash(lobby, "client enroll", member=client)
        cohort_name = "Alpha"
        await fac.slash(lobby, "group create", name=cohort_name)
        for client in w.clients:
            await fac.slash(lobby, "group add", member=client, cohort=cohort_name)
        today = w.clock.now().date()
        await fac.slash(
            lobby,
            "session schedule",
            cohort=cohort_name,
            weekday=(today + timedelta(days=2)).strftime("%A"),
            start="18:00",
            duration=180,
        )
        await w.run_due_work()
        await w.env.advance_time(1.0)
        session_date = (today + timedelta(days=2)).isoformat()
        warned = await fac.slash(lobby, "mod warn", member=w.clients[1], reason="Matrix setup")
        case_id = int(re.search(r"#(\d+)", reply_text(warned))[1])  # type: ignore[index]
        invite = await fac.slash(
            lobby, "family invite", client=w.clients[0], name="Jordan", relationship="parent"
        )
        codes = [_code_in(reply_text(invite))]
        contact_id = int(
            await w.count(
                "SELECT MAX(id) FROM family_contacts WHERE client_id = ?", (w.clients[0].id,)
            )
        )
        # One more code per role that will try /family link (each code works once).
        for n in range(len(ROLES)):
            extra = await fac.slash(
                lobby, "family invite", client=w.clients[0], name=f"Kin {n}", relationship="sibling"
            )
            codes.append(_code_in(reply_text(extra)))
        scheduled = await fac.slash(
            lobby,
            "family session schedule",
            client=w.clients[0],
            start=f"{(today + timedelta(days=5)).isoformat()} 17:00",
            duration=60,
            place="Room 2",
        )
        assert "Something went wrong" not in reply_text(scheduled)
        family_session_id = int(await w.count("SELECT MAX(id) FROM family_sessions"))
        posted = await w.clients[1].send(w.cohort, "hello group")
        link = f"https://discord.com/channels/{w.guild.id}/{w.cohort.id}/{posted.id}"
        await w.run_due_work()
        errors.clear()
        yield Cast(
            w=w,
            lobby=lobby,
            actors={
                C: w.clients[0],
                FA: w.family,
                F: w.facilitator,
                A: auditor,
                S: w.stranger,
            },
            cohort_name=cohort_name,
            session_date=session_date,
            case_id=case_id,
            contact_id=contact_id,
            family_session_id=family_session_id,
            message_link=link,
            codes=codes,
            errors=errors,
        )


def valid_args(cast: Cast, command: str, role: str) -> dict[str, Any]:
    """Plausible, valid arguments for ``command`` when ``role`` runs it."""
    w = cast.w
    day = (w.clock.now().date() + timedelta(days=9)).isoformat()
    specific: dict[str, Callable[[], dict[str, Any]]] = {
        "me timezone": lambda: {"zone": "America/Chicago"},
        "checkin settings": lambda: {"time": "08:30"},
        "checkin pause": lambda: {"until_date": day},
        "sobriety set": lambda: {"date": "2026-01-31"},
        "milestones public": lambda: {"choice": "on"},
        "family consent grant": lambda: {"contact": cast.contact_id},
        "family consent revoke": lambda: {"contact": cast.contact_id},
        # Jordan (the family actor) uses the code made for Jordan; others get spare codes.
        "family link": lambda: {"code": cast.codes.pop(0 if role == FA else -1)},
        "client enroll": lambda: {"member": cast.riley},
        "group create": lambda: {"name": f"Beta {role}"},
        "group add": lambda: {"member": cast.riley, "cohort": f"Beta {role}"},
        "group remove": lambda: {"member": cast.riley},
        "session schedule": lambda: {
            "cohort": cast.cohort_name,
            "weekday": "Friday",
            "start": "10:00",
            "duration": 120,
        },
        "session attendance": lambda: {"cohort": cast.cohort_name, "date": cast.session_date},
        "session move": lambda: {
            "cohort": cast.cohort_name,
            "date": cast.session_date,
            "new_start": "19:00",
        },
        "session cancel": lambda: {"cohort": cast.cohort_name, "date": cast.session_date},
        "checkin report": lambda: {},
        "mod warn": lambda: {"member": cast.sam, "reason": "Please keep it kind."},
        "mod note": lambda: {"member": cast.sam, "text": "Talked after group."},
        "mod case": lambda: {"case_id": cast.case_id},
        "mod untimeout": lambda: {"member": cast.sam},
        "mod timeout": lambda: {"member": cast.sam, "duration": "10m", "reason": "Cool down"},
        "mod slowmode": lambda: {"seconds": 10, "channel": cast.lobby},
        "mod lock": lambda: {"channel": cast.lobby},
        "mod unlock": lambda: {"channel": cast.lobby},
        "mod delete": lambda: {"message": cast.message_link},
        "family invite": lambda: {"client": cast.alex, "name": "Casey", "relationship": "aunt"},
        "family contacts": lambda: {"client": cast.alex},
        "family session schedule": lambda: {
            "client": cast.alex,
            "start": f"{day} 17:00",
            "duration": 45,
            "place": "Room 3",
        },
        "family session list": lambda: {},
        "family session reschedule": lambda: {
            "session": cast.family_session_id,
            "start": f"{day} 18:00",
        },
        "family session cancel": lambda: {"session": cast.family_session_id},
        "family disclosures-export": lambda: {"client": cast.alex},
        "program stepdown": lambda: {"member": cast.riley},
        "program complete": lambda: {"member": cast.riley},
        "client discharge": lambda: {"member": cast.riley},
        "audit client": lambda: {"member": cast.alex},
    }
    if command in specific:
        return specific[command]()
    return generic_args(cast, command)


def generic_args(cast: Cast, command: str) -> dict[str, Any]:
    """Arguments for a command this file has no row for, from its parameters."""
    leaf = next(c for c in leaf_commands(cast.w) if c.qualified_name == command)
    args: dict[str, Any] = {}
    for p in leaf.parameters:
        if not p.required:
            continue
        if p.choices:
            args[p.name] = p.choices[0].value
        elif p.type == discord.AppCommandOptionType.user:
            args[p.name] = cast.alex
        elif p.type == discord.AppCommandOptionType.channel:
            args[p.name] = cast.lobby
        elif p.type in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number):
            args[p.name] = int(p.min_value or 1)
        elif p.type == discord.AppCommandOptionType.boolean:
            args[p.name] = True
        elif p.name in ("cohort", "group"):
            args[p.name] = cast.cohort_name
        elif "date" in p.name:
            args[p.name] = (cast.w.clock.now().date() + timedelta(days=3)).isoformat()
        elif p.name in ("time", "start", "at"):
            args[p.name] = "18:00"
        elif p.name in ("timezone", "zone"):
            args[p.name] = "America/Chicago"
        else:
            args[p.name] = "matrix"
    return args


@dataclass
class Outcome:
    allowed: bool
    kind: str  # ok | refused | input | crash | silent
    text: str
    pinged: list[str] = field(default_factory=list)


def pings(result: Any) -> list[str]:
    """Who the bot's replies actually notify (simcord applies allowed_mentions)."""
    found: list[str] = []
    replies = ([result.response] if result.response is not None else []) + result.followups
    for reply in replies:
        stored = reply._message
        if stored.mention_everyone:
            found.append("@everyone")
        found += [f"role {r}" for r in stored.ping_role_ids]
        found += [f"user {u}" for u in stored.ping_user_ids]
    return found


async def invoke(cast: Cast, actor: Any, command: str, args: dict[str, Any]) -> Outcome:
    before = len(cast.errors)
    # Let the bot's send limiter refill on simcord's virtual clock first: a command that
    # sends at once (/mod warn) would otherwise wait on a timer simcord can't advance
    # while the interaction is open.
    await cast.w.env.advance_time(1.0)
    result = await actor.slash(cast.lobby, command, **args)
    await cast.w.env.settle()
    text = reply_text(result)
    pinged = pings(result)
    if "Something went wrong" in text:
        return Outcome(False, "crash", text, pinged)
    if len(cast.errors) > before:
        error = cast.errors[-1][1]
        original = getattr(error, "original", error)
        kind = "input" if isinstance(original, UserError) else "refused"
        return Outcome(False, kind, text, pinged)
    if not result.acknowledged:
        return Outcome(False, "silent", text, pinged)
    return Outcome(True, "ok", text, pinged)


async def grant_consent(cast: Cast) -> None:
    """Alex gives consent for Jordan (the preview, then Confirm)."""
    preview = await cast.alex.slash(cast.lobby, "family consent grant", contact=cast.contact_id)
    buttons = [
        c.get("custom_id", "")
        for row in preview.response.components
        for c in row.get("components", [])
    ]
    confirm = next(b for b in buttons if b.startswith("iop:family:consent:ok:"))
    await cast.alex.click(preview.response, custom_id=confirm)
    await cast.w.env.settle()


# Done just before an allowed role runs the command, so each allowed run has its subject.
PREPARE: dict[str, Callable[[Cast], Any]] = {
    "family consent revoke": grant_consent,
}


def run_order(names: list[str]) -> list[str]:
    order = {name: n for n, name in enumerate(EXPECTED)}
    return sorted(names, key=lambda name: (order.get(name, len(order)), name))


async def test_permission_matrix(tmp_path):
    async with populated_world(tmp_path) as cast:
        commands = {c.qualified_name: c for c in leaf_commands(cast.w)}
        expected: dict[str, frozenset[str]] = {}
        unlisted = []
        for name, command in commands.items():
            row = EXPECTED.get(name) or declared_expectation(command)
            if row is None:
                unlisted.append(name)
            else:
                expected[name] = row
        assert unlisted == [], f"add these commands to EXPECTED (no role check found): {unlisted}"

        got: dict[str, dict[str, Outcome]] = {}
        # Everyone who should be refused goes first, so a refusal never depends on
        # something an allowed run changed; then the allowed roles.
        for name in run_order(list(commands)):
            cells: dict[str, Outcome] = {}
            roles = sorted(ROLES, key=lambda r: (r in expected[name], ROLES.index(r)))
            for role in roles:
                if role in expected[name] and name in PREPARE:
                    await PREPARE[name](cast)
                args = valid_args(cast, name, role)
                cells[role] = await invoke(cast, cast.actors[role], name, args)
            got[name] = cells

        width = max(len(n) for n in got) + 2
        print("\nPermission matrix (Y allowed, - refused; * = differs from expected)")
        print("/command".ljust(width) + "".join(r[:11].ljust(12) for r in ROLES))
        problems = []
        for name in run_order(list(got)):
            line = f"/{name}".ljust(width)
            for role in ROLES:
                outcome = got[name][role]
                want = role in expected[name]
                mark = "Y" if outcome.allowed else "-"
                if outcome.allowed != want or outcome.kind in ("crash", "silent"):
                    mark += "*"
                    problems.append(f"/{name} as {role}: {outcome.kind}: {outcome.text[:160]!r}")
                line += mark.ljust(12)
            print(line)
        print(f"commands {len(got)}, roles {len(ROLES)}, cells {len(got) * len(ROLES)}")
        assert problems == [], "\n".join(problems)
