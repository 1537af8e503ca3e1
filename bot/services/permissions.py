"""Who may do what, checked in code (Discord's command permissions are only a hint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.config import RoleSettings
from bot.services.errors import NotAllowed

T = TypeVar("T")


class Permissions:
    def __init__(self, roles: RoleSettings, guild_id: int | None) -> None:
        self.roles = roles
        self.guild_id = guild_id

    def member_of(self, client: discord.Client, user: discord.abc.User) -> discord.Member | None:
        """``user`` as a member of the program's server (works for DM interactions too)."""
        if isinstance(user, discord.Member) and (
            self.guild_id is None or user.guild.id == self.guild_id
        ):
            return user
        guild = client.get_guild(self.guild_id) if self.guild_id else None
        return guild.get_member(user.id) if guild else None

    @staticmethod
    def _has(member: discord.Member | None, role_id: int | None) -> bool:
        if member is None or role_id is None:
            return False
        return any(role.id == role_id for role in member.roles)

    def is_facilitator(self, member: discord.Member | None) -> bool:
        return self._has(member, self.roles.facilitator)

    def is_client_role(self, member: discord.Member | None) -> bool:
        return self._has(member, self.roles.client)

    def is_family(self, member: discord.Member | None) -> bool:
        return self._has(member, self.roles.family)

    def is_auditor(self, member: discord.Member | None) -> bool:
        return self._has(member, self.roles.auditor)

    def require_facilitator(self, interaction: discord.Interaction[Any]) -> discord.Member:
        member = self.member_of(interaction.client, interaction.user)
        if member is None or not self.is_facilitator(member):
            raise NotAllowed("This is only for facilitators.")
        return member

    def require_auditor(self, interaction: discord.Interaction[Any]) -> discord.Member:
        member = self.member_of(interaction.client, interaction.user)
        if member is None or not self.is_auditor(member):
            raise NotAllowed("This is only for staff with the audit role.")
        return member


def permissions_of(interaction: discord.Interaction[Any]) -> Permissions:
    services = getattr(interaction.client, "services", None)
    perms = getattr(services, "perms", None)
    if not isinstance(perms, Permissions):
        raise RuntimeError("the bot has no permissions service")
    return perms


def facilitator_only() -> Callable[[T], T]:
    """An app-command check: refuse anyone without the facilitator role, in code."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        permissions_of(interaction).require_facilitator(interaction)
        return True

    return app_commands.check(predicate)


def auditor_only() -> Callable[[T], T]:
    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        permissions_of(interaction).require_auditor(interaction)
        return True

    return app_commands.check(predicate)
