"""What the groups cogs share: repositories, cohort lookup, the agreement, channel access."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.db.repositories.attendance import AttendanceRepository
from bot.db.repositories.cohorts import Cohort, CohortRepository
from bot.db.repositories.groups_sessions import SessionRepository
from bot.services.container import Services
from bot.services.errors import UserError
from bot.services.screening import screening_notice
from cogs.groups._spec import SPEC

log = logging.getLogger("iopbot.groups")

MAX_NAME = 80


def channel_slug(name: str) -> str:
    """A Discord text-channel name: lower case, hyphens, at most 100 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "group")[:100]


@dataclass(slots=True)
class GroupsCore:
    services: Services
    cohorts: CohortRepository
    sessions: SessionRepository
    attendance: AttendanceRepository

    @classmethod
    def from_services(cls, services: Services) -> GroupsCore:
        db = services.db
        return cls(
            services=services,
            cohorts=CohortRepository(db),
            sessions=SessionRepository(db),
            attendance=AttendanceRepository(db),
        )

    @property
    def zone(self) -> ZoneInfo:
        return self.services.settings.program.timezone

    # ----- cohorts ----------------------------------------------------------------

    async def resolve_cohort(self, text: str) -> Cohort:
        """A cohort by name (case-insensitive) or id, or a :class:`UserError`."""
        cleaned = text.strip()
        if not cleaned or len(cleaned) > MAX_NAME:
            raise UserError("Please name an existing group (see /group list).")
        cohort = await self.cohorts.by_name(cleaned)
        if cohort is None and cleaned.isdigit():
            cohort = await self.cohorts.get(int(cleaned))
        if cohort is None:
            raise UserError(f"There is no group called '{cleaned}'. See /group list.")
        return cohort

    # ----- agreement ----------------------------------------------------------------

    def agreement_text(self) -> str:
        settings = self.services.settings
        return (
            f"{SPEC.section_of(settings).agreement}\n\n"
            f"This space is staffed {settings.program.staffed_hours}. Outside those hours "
            "nobody may be reading; for urgent help use /help-now or call or text 988.\n\n"
            f"{screening_notice(settings)}"
        )

    def agreement_version(self) -> str:
        return hashlib.sha256(self.agreement_text().encode()).hexdigest()[:16]

    # ----- channel access (Discord calls; never inside a transaction) --------------

    def guild(self, bot: discord.Client, cohort: Cohort) -> discord.Guild | None:
        return bot.get_guild(cohort.guild_id)

    async def grant_access(
        self, bot: discord.Client, cohort: Cohort, user_id: int, *, can_send: bool
    ) -> str | None:
        """Let ``user_id`` see the cohort channel (and post once they accepted).

        Returns a short problem description for the facilitator, or None on success.
        """
        guild = self.guild(bot, cohort)
        channel = guild.get_channel(cohort.channel_id) if guild else None
        member = guild.get_member(user_id) if guild else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            return "the group's channel no longer exists"
        if member is None:
            return "that member is not in the server"
        overwrite = discord.PermissionOverwrite(
            view_channel=True, read_message_history=True, send_messages=can_send
        )
        try:
            await channel.set_permissions(
                member, overwrite=overwrite, reason="iopbot: group membership"
            )
        except discord.Forbidden:
            return "I don't have permission to change that channel's access"
        except discord.HTTPException:
            log.warning("groups.grant_failed", extra={"user_id": user_id, "cohort_id": cohort.id})
            return "Discord did not accept the change; please try again"
        return None

    async def revoke_access(self, bot: discord.Client, cohort: Cohort, user_id: int) -> bool:
        """Remove the member's overwrite from the cohort channel; False if it failed."""
        try:
            await bot.http.delete_channel_permissions(
                cohort.channel_id, user_id, reason="iopbot: left the group"
            )
        except discord.NotFound:
            return True
        except discord.HTTPException:
            log.warning("groups.revoke_failed", extra={"user_id": user_id, "cohort_id": cohort.id})
            return False
        return True


def core_of(interaction: discord.Interaction[Any]) -> GroupsCore:
    services: Services = interaction.client.services
    return GroupsCore.from_services(services)


async def cohort_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    cohorts = await core_of(interaction).cohorts.list()
    needle = current.strip().lower()
    return [
        app_commands.Choice(name=c.name, value=c.name) for c in cohorts if needle in c.name.lower()
    ][:25]
