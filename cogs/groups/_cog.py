"""Cohorts: private group channels, membership (one cohort at a time), the group agreement.

This cog owns every groups table (sessions and hours included), so the export/delete
contract for the whole feature lives here.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.cohorts import Cohort
from bot.domain.language import clinical_words
from bot.domain.names import check_group_name
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.outbox import ChannelTarget
from bot.services.permissions import facilitator_only
from cogs.groups._core import (
    MAX_NAME,
    GroupsCore,
    channel_slug,
    cohort_autocomplete,
)
from cogs.groups._render import agreement_notice
from cogs.groups._spec import SPEC
from cogs.groups._views import DYNAMIC_ITEMS

log = logging.getLogger("iopbot.groups")

GROUPS_TABLES = (
    "cohorts",
    "cohort_members",
    "agreement_acceptances",
    "session_templates",
    "session_occurrences",
    "attendance",
    "hours_ledger",
)

_END_ACTIONS = {"removed": "group.remove", "discharged": "group.discharge"}


class GroupsCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = GROUPS_TABLES
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        manage_channels=True,
        manage_roles=True,
        manage_events=True,
    )

    group = app_commands.Group(
        name="group",
        description="Peer-group cohorts and their private channels (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_roles=True),
    )

    def __init__(self, bot: commands.Bot, services: Services, core: GroupsCore) -> None:
        super().__init__(bot, services)
        self.core = core

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    # ----- /group create ------------------------------------------------------------

    @group.command(name="create", description="Create a cohort with its own private channel.")
    @app_commands.describe(name="The group's name (shown to its members), e.g. Tuesday Evening")
    @facilitator_only()
    async def create(self, interaction: discord.Interaction[Any], name: str) -> None:
        services = self.services
        cleaned = check_group_name(name)
        if not cleaned:
            raise UserError("Please give the group a name.")
        if len(cleaned) > MAX_NAME:
            raise UserError(f"Group names can be at most {MAX_NAME} characters.")
        words = clinical_words(cleaned)
        if words and not SPEC.section_of(services.settings).allow_clinical_names:
            raise UserError(
                f"Please choose a name without '{words[0]}': channel names are visible in "
                "notifications and member lists, so they shouldn't reveal a treatment "
                "program. (An admin can allow such names with groups.allow_clinical_names.)"
            )
        if await self.core.cohorts.by_name(cleaned) is not None:
            raise UserError(f"A group called '{cleaned}' already exists.")
        guild = interaction.guild
        if guild is None:
            raise UserError("This command works only in the program's server.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel = await guild.create_text_channel(
            channel_slug(cleaned),
            overwrites=self._private_overwrites(guild),
            category=self._category(guild),
            topic="Private group space. Press Accept on the group agreement to post.",
            reason=f"iopbot: /group create by {interaction.user.id}",
        )
        try:
            async with services.db.transaction() as tx:
                cohort_id = await self.core.cohorts.create(
                    tx,
                    guild_id=guild.id,
                    name=cleaned,
                    channel_id=channel.id,
                    created_by=interaction.user.id,
                    now=services.clock.now(),
                )
                await services.audit.record(
                    tx, actor_id=interaction.user.id, action="group.create", cohort_id=cohort_id
                )
        except Exception:
            await channel.delete(reason="iopbot: group could not be recorded")
            raise
        log.info("groups.created", extra={"cohort_id": cohort_id, "channel_id": channel.id})
        await reply_ephemeral(
            interaction,
            f"Created {cleaned} with the private channel {channel.mention}. "
            "Add clients with /group add.",
        )

    def _private_overwrites(
        self, guild: discord.Guild
    ) -> dict[discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite]:
        overwrites: dict[
            discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite
        ] = {guild.default_role: discord.PermissionOverwrite(view_channel=False)}
        staff = discord.PermissionOverwrite(
            view_channel=True, send_messages=True, read_message_history=True
        )
        role_id = self.services.settings.roles.facilitator
        role = guild.get_role(role_id) if role_id else None
        if role is not None:
            overwrites[role] = staff
        overwrites[guild.me] = discord.PermissionOverwrite(
            view_channel=True,
            send_messages=True,
            read_message_history=True,
            embed_links=True,
            attach_files=True,
        )
        return overwrites

    def _category(self, guild: discord.Guild) -> discord.CategoryChannel | None:
        category_id = self.services.settings.channels.cohort_category
        channel = guild.get_channel(category_id) if category_id else None
        return channel if isinstance(channel, discord.CategoryChannel) else None

    # ----- /group add, remove, list -------------------------------------------------

    @group.command(name="add", description="Add a client to a group (moving them if needed).")
    @app_commands.describe(member="The client", cohort="The group")
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    @facilitator_only()
    async def add(
        self, interaction: discord.Interaction[Any], member: discord.Member, cohort: str
    ) -> None:
        services, core = self.services, self.core
        target = await core.resolve_cohort(cohort)
        client = await services.clients.get(member.id)
        if client is None or not client.is_active:
            raise UserError(
                f"{shown_name(member.display_name)} is not an enrolled client. Enroll them first "
                "with "
                "/client enroll."
            )
        current = await core.cohorts.current_membership(member.id)
        if current is not None and current.cohort_id == target.id:
            raise UserError(f"{shown_name(member.display_name)} is already in {target.name}.")
        version = core.agreement_version()
        accepted = await core.cohorts.has_accepted(target.id, member.id, version)
        old: Cohort | None = None
        now = services.clock.now()
        async with services.db.transaction() as tx:
            if current is not None:
                await core.cohorts.leave(
                    tx, user_id=member.id, removed_by=interaction.user.id, reason="moved", now=now
                )
                await self._cancel_agreement(tx, current.cohort_id, member.id)
            membership_id = await core.cohorts.join(
                tx, cohort_id=target.id, user_id=member.id, added_by=interaction.user.id, now=now
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="group.move" if current else "group.add",
                subject_user_id=member.id,
                cohort_id=target.id,
                from_cohort_id=current.cohort_id if current else None,
            )
            if not accepted:
                await services.outbox.enqueue(
                    tx,
                    dedupe_key=f"group:{target.id}:agreement:{member.id}:{membership_id}",
                    kind="group_agreement",
                    target=ChannelTarget(target.channel_id),
                    notice=agreement_notice(target, member.id, core.agreement_text()),
                    subject_user_id=member.id,
                )
        await interaction.response.defer(ephemeral=True, thinking=True)
        notes = []
        if current is not None:
            old = await core.cohorts.get(current.cohort_id)
            if old is not None and not await core.revoke_access(self.bot, old, member.id):
                notes.append(f"I couldn't remove their access to {old.name}'s channel.")
        problem = await core.grant_access(self.bot, target, member.id, can_send=accepted)
        if problem is not None:
            notes.append(f"I couldn't open the channel for them: {problem}.")
        moved = f" (moved from {old.name})" if old is not None else ""
        agreement = (
            "They have already accepted the group agreement."
            if accepted
            else "They can read the channel and will post once they accept the group agreement."
        )
        await reply_ephemeral(
            interaction,
            f"Added {shown_name(member.display_name)} to {target.name}{moved}. {agreement}"
            + "".join(f"\n{n}" for n in notes),
        )

    async def _cancel_agreement(self, tx: Any, cohort_id: int, user_id: int) -> None:
        await self.services.outbox.cancel(
            tx, kind="group_agreement", key_prefix=f"group:{cohort_id}:agreement:{user_id}:"
        )

    @group.command(name="remove", description="Remove a client from their group.")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def remove(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        left = await self._end_membership(member.id, by=interaction.user.id, reason="removed")
        if left is None:
            raise UserError(f"{shown_name(member.display_name)} is not in a group.")
        await reply_ephemeral(
            interaction, f"Removed {shown_name(member.display_name)} from {left.name}."
        )

    async def _end_membership(self, user_id: int, *, by: int, reason: str) -> Cohort | None:
        services, core = self.services, self.core
        current = await core.cohorts.current_membership(user_id)
        if current is None:
            return None
        async with services.db.transaction() as tx:
            ended = await core.cohorts.leave(
                tx, user_id=user_id, removed_by=by, reason=reason, now=services.clock.now()
            )
            if ended is None:
                return None
            await self._cancel_agreement(tx, ended.cohort_id, user_id)
            await services.audit.record(
                tx,
                actor_id=by,
                action=_END_ACTIONS[reason],
                subject_user_id=user_id,
                cohort_id=ended.cohort_id,
            )
        cohort = await core.cohorts.get(current.cohort_id)
        if cohort is not None:
            await core.revoke_access(self.bot, cohort, user_id)
        return cohort

    @group.command(name="list", description="The groups, their channels and member counts.")
    @facilitator_only()
    async def list_groups(self, interaction: discord.Interaction[Any]) -> None:
        cohorts = await self.core.cohorts.list()
        if not cohorts:
            await reply_ephemeral(interaction, "No groups yet. Create one with /group create.")
            return
        counts = await self.core.cohorts.member_counts()
        lines = []
        for cohort in cohorts:
            weekly = len(await self.core.sessions.templates(cohort.id))
            lines.append(
                f"- {cohort.name}: <#{cohort.channel_id}>, {counts.get(cohort.id, 0)} member(s), "
                f"{weekly} weekly session(s)"
            )
        await reply_ephemeral(interaction, "Groups:\n" + "\n".join(lines))

    # ----- discharge (dispatched by the data-rights feature) -----------------------

    @commands.Cog.listener("on_iop_client_discharged")
    async def on_client_discharged(self, user_id: int) -> None:
        by = self.bot.user.id if self.bot.user else 0
        cohort = await self._end_membership(user_id, by=by, reason="discharged")
        if cohort is not None:
            log.info("groups.discharged", extra={"user_id": user_id, "cohort_id": cohort.id})

    # ----- data rights --------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        core = self.core
        names = {c.id: c.name for c in await core.cohorts.list()}
        memberships = await core.cohorts.history(user_id)
        acceptances = await core.cohorts.acceptances(user_id)
        attendance = await core.attendance.for_user(user_id)
        if not (memberships or acceptances or attendance):
            return {}
        occurrences = {
            a.occurrence_id: await core.sessions.get(a.occurrence_id) for a in attendance
        }

        def iso(value: Any) -> str | None:
            return None if value is None else str(value.isoformat())

        return {
            "group_memberships": [
                {
                    "group": names.get(m.cohort_id, str(m.cohort_id)),
                    "joined_at": iso(m.joined_at),
                    "left_at": iso(m.left_at),
                    "left_reason": m.left_reason,
                }
                for m in memberships
            ],
            "group_agreement_acceptances": [
                {
                    "group": names.get(a.cohort_id, str(a.cohort_id)),
                    "agreement_version": a.agreement_version,
                    "accepted_at": iso(a.accepted_at),
                }
                for a in acceptances
            ],
            "session_attendance": [
                {
                    "session_starts_at": iso(occ.starts_at) if occ else None,
                    "group": names.get(occ.cohort_id, "") if occ else "",
                    "said_here_at": iso(a.here_at),
                    "confirmed_at": iso(a.confirmed_at),
                    "marked_not_attending_at": iso(a.removed_at),
                }
                for a in attendance
                for occ in [occurrences.get(a.occurrence_id)]
            ],
            "hours_by_week": await core.attendance.hours_by_week(user_id),
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        core = self.core
        current = await core.cohorts.cohort_for_client(user_id)
        async with self.services.db.transaction() as tx:
            removed = await core.cohorts.delete_user(tx, user_id)
            removed.update(await core.attendance.delete_user(tx, user_id))
            await self.services.outbox.cancel(tx, kind="group_agreement", subject_user_id=user_id)
        if current is not None:
            await core.revoke_access(self.bot, current, user_id)
        return DeletionReport(
            removed=removed,
            kept={
                "session_occurrences": "your group's session calendar (dates and times, no "
                "names) stays for the other members; your attendance and hours are deleted "
                "here (the program's clinical record, outside this bot, keeps treatment hours)",
            },
        )

    async def purge_expired(self) -> dict[str, int]:
        """Nothing in the groups tables is time-limited: membership history, attendance and
        hours last as long as the client's enrollment (removed by delete_user_data)."""
        return {}
