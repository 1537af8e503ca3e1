"""The one error handler: friendly ephemeral replies, never exception text.

Domain errors (:class:`UserError`) and permission refusals (:class:`NotAllowed`) show
their message. Anything unexpected shows "Something went wrong (ref 7F3A)" and logs the
traceback under the same ref. Views, modals and dynamic items route here too.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import discord
from discord import app_commands

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


async def handle_interaction_error(
    interaction: discord.Interaction[Any], error: BaseException
) -> None:
    message = describe(error)
    if message is None:
        ref = secrets.token_hex(2).upper()
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
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
        message = (
            f"Something went wrong (ref {ref}). Nothing you entered was shared. "
            "Please try again, or tell a facilitator the ref."
        )
    try:
        await reply_ephemeral(interaction, message)
    except discord.HTTPException:
        log.warning("interaction.error_reply_failed", extra={"interaction_id": interaction.id})


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
