"""The one error handler: friendly ephemeral replies, never exception text.

Errors the person can fix (:class:`UserError`, and any
:class:`bot.domain.errors.DomainError` a domain function raised for bad input) and
permission refusals (:class:`NotAllowed`) show their message. Anything unexpected shows
"Something went wrong (ref 7F3A)" and logs the traceback under the same ref. Views,
modals and dynamic items route here too.

The reply tells the truth about what was saved: a handler that has done work records it
with :func:`note_done` ("Your consent is saved."), and whether the interaction's task
committed anything to the database is known (``Database.committed_in_current_task``), so
"Nothing was saved" is said only when nothing was. The handler itself never raises.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import discord
from discord import app_commands

from bot.domain.errors import DomainError

log = logging.getLogger("iopbot.errors")

NO_MENTIONS = discord.AllowedMentions.none()


class UserError(Exception):
    """Something the user can fix. The message is shown to them, ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(app_commands.CheckFailure):
    """The user may not do this (checked in code, whatever Discord's permissions say)."""

    def __init__(self, message: str = "This is only for facilitators.") -> None:
        super().__init__(message)
        self.message = message


async def reply_ephemeral(
    interaction: discord.Interaction[Any], content: str, **kwargs: Any
) -> None:
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


def describe(error: BaseException) -> str | None:
    """The friendly message for an expected error, or None for an unexpected one."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError | NotAllowed):
        return error.message
    if isinstance(error, DomainError):  # bad input the domain rejected: its text is for people
        return str(error)
    if isinstance(error, app_commands.TransformerError):
        kind = error.type.name.replace("_", " ")
        return f"I couldn't read one of the options as a {kind}. Please check it and try again."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works only in the program's server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Please wait {error.retry_after:.0f} seconds and try again."
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You don't have the role this command needs."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, discord.Forbidden) and error.code == 50013:
        return (
            "I don't have the Discord permission to do that here. Please ask the server "
            "admin to check my role."
        )
    return None


DONE_KEY = "iop_done"


def note_done(interaction: discord.Interaction[Any], what: str) -> None:
    """Record work this interaction has finished (a full sentence), for the error reply."""
    interaction.extras.setdefault(DONE_KEY, []).append(what)


def _saved_anything(interaction: discord.Interaction[Any]) -> bool | None:
    """True/False when the database can tell, None when it can't."""
    try:
        db = interaction.client.services.db
        return bool(db.committed_in_current_task())
    except Exception:  # not the iopbot client, or before set-up: unknown
        return None


def unexpected_error_text(interaction: discord.Interaction[Any], ref: str) -> str:
    done: list[str] = list(interaction.extras.get(DONE_KEY, []))
    if done:
        return (
            f"Something went wrong (ref {ref}) after this was done: {' '.join(done)} "
            "Please check before trying again, or tell a facilitator the ref."
        )
    saved = _saved_anything(interaction)
    if saved is False:
        return (
            f"Something went wrong (ref {ref}). Nothing was saved. Please try again, or "
            "tell a facilitator the ref."
        )
    return (
        f"Something went wrong (ref {ref}), and part of this may already be saved. "
        "Please check before trying again, or tell a facilitator the ref."
    )


async def handle_interaction_error(
    interaction: discord.Interaction[Any], error: BaseException
) -> None:
    """Reply and log; never raises (an error here must not become an unretrieved task)."""
    try:
        message = describe(error)
        if message is None:
            ref = secrets.token_hex(2).upper()
            original = (
                error.original if isinstance(error, app_commands.CommandInvokeError) else error
            )
            log.error(
                "interaction.error",
                exc_info=(type(original), original, original.__traceback__),
                extra={
                    "ref": ref,
                    "user_id": interaction.user.id if interaction.user else None,
                    "command": interaction.command.qualified_name if interaction.command else None,
                    "custom_id": cast(dict[str, Any], interaction.data or {}).get("custom_id"),
                },
            )
            message = unexpected_error_text(interaction, ref)
    except Exception as exc:
        log.error("interaction.error_handler_failed", extra={"error": type(exc).__name__})
        message = "Something went wrong. Please tell a facilitator."
    try:
        await reply_ephemeral(interaction, message)
    except Exception as exc:
        log.warning(
            "interaction.error_reply_failed",
            extra={"interaction_id": getattr(interaction, "id", None), "error": type(exc).__name__},
        )


P = ParamSpec("P")
S = TypeVar("S")


def guarded(
    func: Callable[Concatenate[S, discord.Interaction[Any], P], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[S, discord.Interaction[Any], P], Coroutine[Any, Any, None]]:
    """For component and modal callbacks: route any error through the central handler."""

    @functools.wraps(func)
    async def wrapper(
        self: S, interaction: discord.Interaction[Any], *args: P.args, **kwargs: P.kwargs
    ) -> None:
        try:
            await func(self, interaction, *args, **kwargs)
        except Exception as exc:
            await handle_interaction_error(interaction, exc)

    return cast(
        Callable[Concatenate[S, discord.Interaction[Any], P], Coroutine[Any, Any, None]], wrapper
    )


class IopModal(discord.ui.Modal):
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await handle_interaction_error(interaction, error)


class IopView(discord.ui.View):
    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
        /,
    ) -> None:
        await handle_interaction_error(interaction, error)
