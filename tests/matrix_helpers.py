"""Shared pieces of the permission matrix and the bad-input catalogue: a populated world
(three enrolled clients in a cohort, a session, a warning case, a family contact with
spare link codes, a family session, an auditor), plausible valid arguments for every
command, and ``invoke*`` helpers that run a slash command, a message context-menu command
or the check-in form as someone and classify the outcome.

"Refused" means the central error handler answered (a NotAllowed or a UserError, from a
command, a button or a form); a "Something went wrong" reply is a ``crash``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands

import bot.services.errors as errors_module
from bot.cogspec import EVERYONE, ROLES, STAFF, Access, Example
from bot.extensions import specs
from bot.sandbox.runner import available_cogs
from bot.services.errors import UserError, handle_interaction_error
from tests.harness import World, program_world

__all__ = ["EVERYONE", "ROLES", "STAFF"]

C, FA, F, A, S = ROLES

# The check-in form's answers a client would give on an ordinary day.
GOOD_CHECKIN = {"mood": "6", "craving": "2", "used": "no", "safety": "no", "note": ""}


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
    sam_contact: int = 0  # a family contact of Sam's (set by the bad-input catalogue)

    @property
    def alex(self) -> Any:
        return self.w.clients[0]

    @property
    def sam(self) -> Any:
        return self.w.clients[1]

    @property
    def riley(self) -> Any:
        return self.w.clients[2]

    @property
    def family(self) -> Any:
        return self.w.family

    @property
    def facilitator(self) -> Any:
        return self.w.facilitator

    @property
    def stranger(self) -> Any:
        return self.w.stranger

    @property
    def day(self) -> str:
        """A valid date nine days ahead (ISO)."""
        return (self.w.clock.now().date() + timedelta(days=9)).isoformat()

    @property
    def role_mention(self) -> str:
        return f"<@&{self.w.roles['Facilitator'].id}>"

    @property
    def user_mention(self) -> str:
        return f"<@{self.sam.id}>"


def declared_access() -> dict[str, Access]:
    """Every command's expected roles, as the cogs declare them (``_spec.py``)."""
    rows: dict[str, Access] = {}
    for spec in specs():
        for name, access in spec.access.items():
            assert name not in rows, f"{name}: declared by two cogs"
            rows[name] = access
    return rows


def declared_examples() -> dict[str, Example]:
    """Every command's valid example arguments, as the cogs declare them."""
    found: dict[str, Example] = {}
    for spec in specs():
        found.update(spec.examples)
    return found


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


def menu_commands(w: World) -> list[app_commands.ContextMenu]:
    """Every message context-menu command ("Report to facilitator", ...)."""
    found = w.bot.tree.get_commands(
        guild=discord.Object(w.guild.id), type=discord.AppCommandType.message
    )
    return [c for c in found if isinstance(c, app_commands.ContextMenu)]


def declared_expectation(command: Any) -> frozenset[str] | None:
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
        # Buttons and forms (guarded, IopModal, IopView) call the module-level handler.
        errors_module.handle_interaction_error = recording_handler  # type: ignore[assignment]
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
        cast = Cast(
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
        try:
            yield cast
        finally:
            errors_module.handle_interaction_error = handle_interaction_error


def valid_args(cast: Cast, command: str, role: str) -> dict[str, Any]:
    """Plausible, valid arguments for ``command`` when ``role`` runs it: its cog's declared
    example, or arguments guessed from its parameters."""
    declared = declared_examples()
    if command in declared:
        return declared[command](cast, role)
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


async def classify(cast: Cast, act: Callable[[], Awaitable[Any]]) -> Outcome:
    """Run one interaction (``act``) and say how the bot answered it."""
    before = len(cast.errors)
    # Let the bot's send limiter refill on simcord's virtual clock first: a command that
    # sends at once (/mod warn) would otherwise wait on a timer simcord can't advance
    # while the interaction is open.
    await cast.w.env.advance_time(1.0)
    result = await act()
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


async def invoke(cast: Cast, actor: Any, command: str, args: dict[str, Any]) -> Outcome:
    """``/command`` with ``args`` as ``actor`` in the lobby."""
    return await classify(cast, lambda: actor.slash(cast.lobby, command, **args))


async def invoke_menu(
    cast: Cast, actor: Any, name: str, message: Any, channel: Any = None
) -> Outcome:
    """The message context-menu command ``name`` on ``message`` as ``actor`` (in
    ``channel``, the message's channel; the lobby by default)."""
    where = cast.lobby if channel is None else channel
    return await classify(cast, lambda: actor.context_menu(where, name, message))


async def lobby_post(cast: Cast, author: Any, text: str = "a message in the lobby") -> Any:
    """A fresh message by ``author`` in the lobby (a context-menu target)."""
    posted = await author.send(cast.lobby, text)
    await cast.w.env.settle()
    return posted


async def submit_checkin(cast: Cast, actor: Any, values: dict[str, str]) -> Outcome:
    """``/checkin today`` as ``actor``, then the form submitted with ``values``."""
    shown = await actor.slash(cast.lobby, "checkin today")
    await cast.w.env.settle()
    if shown.modal is None:
        return Outcome(False, "refused", reply_text(shown))

    async def submit() -> Any:
        return await actor.submit_modal(shown, {**GOOD_CHECKIN, **values})

    return await classify(cast, submit)


async def submit_safetyplan(cast: Cast, actor: Any, values: dict[str, str]) -> Outcome:
    """``/safetyplan edit`` as ``actor``, then its first step submitted with ``values``.

    Discord's app enforces each input's ``max_length``; a modified client need not, so
    the limit is lifted here and the bot's own check is what refuses over-long text.
    """
    shown = await actor.slash(cast.lobby, "safetyplan edit")
    await cast.w.env.settle()
    if shown.modal is None:
        return Outcome(False, "refused", reply_text(shown))
    for row in shown._interaction.modal["components"]:
        row["components"][0].pop("max_length", None)
    fields = [row["components"][0]["custom_id"] for row in shown.modal["components"]]

    async def submit() -> Any:
        return await actor.submit_modal(shown, {**dict.fromkeys(fields, "a walk"), **values})

    return await classify(cast, submit)


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
