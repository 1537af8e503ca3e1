"""The /mydata delete confirmation: two persistent buttons bound to the person and a deadline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.services.components import PartsButton
from bot.services.container import Services
from bot.services.errors import UserError, guarded, reply_ephemeral
from bot.services.userdata import delete_everywhere
from cogs.data._render import deletion_result


def confirm_view(user_id: int, until: datetime) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmDeleteButton(user_id, int(until.timestamp())))
    view.add_item(KeepDataButton(user_id))
    return view


def _owner_check(interaction: discord.Interaction[Any], user_id: int) -> None:
    if interaction.user.id != user_id:
        raise UserError("This button belongs to someone else's request.")


def confirmation_problem(services: Services, until: int) -> str | None:
    """Why a Delete button whose id says ``until`` (epoch seconds) can't be used now."""
    now = services.clock.now()
    longest = timedelta(minutes=services.settings.retention.delete_confirm_minutes)
    if until > (now + longest).timestamp():
        # Only a crafted button id can carry this: /mydata delete never offers it.
        return "This confirmation isn't valid and nothing was deleted. Run /mydata delete again."
    if now > datetime.fromtimestamp(until, UTC):
        return "This confirmation has expired and nothing was deleted. Run /mydata delete again."
    return None


class ConfirmDeleteButton(
    PartsButton,
    template=r"iop:data:delete:(?P<user>\d+):(?P<until>\d+)",
):
    def __init__(self, user_id: int, until: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete my data",
                style=discord.ButtonStyle.danger,
                custom_id=f"iop:data:delete:{user_id}:{until}",
            )
        )
        self.user_id = user_id
        self.until = until

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ConfirmDeleteButton:
        return cls(int(match["user"]), int(match["until"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        _owner_check(interaction, self.user_id)
        services: Services = interaction.client.services
        problem = confirmation_problem(services, self.until)
        if problem is not None:
            raise UserError(problem)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await delete_everywhere(
            interaction.client,
            services,
            self.user_id,
            requested_by=self.user_id,
        )
        await reply_ephemeral(
            interaction, deletion_result(outcome.report, complete=outcome.complete)
        )


class KeepDataButton(PartsButton, template=r"iop:data:keep:(?P<user>\d+)"):
    def __init__(self, user_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Keep my data",
                style=discord.ButtonStyle.secondary,
                custom_id=f"iop:data:keep:{user_id}",
            )
        )
        self.user_id = user_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> KeepDataButton:
        return cls(int(match["user"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        _owner_check(interaction, self.user_id)
        await reply_ephemeral(interaction, "Nothing was deleted. Your data stays as it was.")
