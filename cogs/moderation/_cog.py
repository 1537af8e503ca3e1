"""Facilitator moderation: warn, timeout, delete, lock, slowmode, notes, case history,
and the AutoMod presets. Every action is a case row and a mod-log entry (ids, no content)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.moderation import ModerationRepository
from bot.domain.moderation import (
    MAX_NOTE,
    MAX_REASON,
    check_slowmode,
    check_text,
    describe_duration,
    parse_duration,
)
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.moderation import _automod
from cogs.moderation._cases import CaseRecorder, delivery_of, register_hooks, unregister_hooks
from cogs.moderation._channels import lock_channel, set_slowmode, unlock_channel
from cogs.moderation._data import delete_moderation, export_moderation, purge_moderation
from cogs.moderation._messages import delete_message, find_message
from cogs.moderation._render import case_embed, history_embed

log = logging.getLogger("iopbot.moderation")

MOD_PERMS = discord.Permissions(moderate_members=True)
Target = discord.Member | discord.User


class ModerationCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("mod_cases", "mod_notes", "mod_lock_overwrites")
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        moderate_members=True, manage_messages=True, manage_channels=True, manage_guild=True
    )

    mod = app_commands.Group(
        name="mod",
        description="Moderation (facilitators).",
        guild_only=True,
        default_permissions=MOD_PERMS,
    )
    automod = app_commands.Group(
        name="automod",
        description="Discord AutoMod presets from the program's config (facilitators).",
        guild_only=True,
        # A hint for facilitators (who moderate); the bot itself needs Manage Server.
        default_permissions=MOD_PERMS,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = ModerationRepository(services.db)
        self.cases = CaseRecorder(services)
        self.delete_menu = app_commands.ContextMenu(
            name="Delete message (mod)", callback=self.delete_from_menu
        )

    async def cog_load(self) -> None:
        register_hooks(self.services)
        self.bot.tree.add_command(self.delete_menu)

    async def cog_unload(self) -> None:
        unregister_hooks(self.services)
        self.bot.tree.remove_command(self.delete_menu.name, type=self.delete_menu.type)

    # ----- helpers -----------------------------------------------------------------------

    def _target(self, user: Target) -> discord.Member:
        if not isinstance(user, discord.Member):
            raise UserError(f"{shown_name(user.display_name)} isn't a member of this server.")
        if user.bot:
            raise UserError("Moderation commands are for people, not bots.")
        if self.services.perms.is_facilitator(user):
            raise UserError(
                f"{shown_name(user.display_name)} is a facilitator; moderation commands don't "
                "apply to "
                "facilitators."
            )
        return user

    @staticmethod
    def _text_channel(
        interaction: discord.Interaction[Any], channel: discord.TextChannel | None
    ) -> discord.TextChannel:
        chosen = channel or interaction.channel
        if not isinstance(chosen, discord.TextChannel):
            raise UserError("Please run this in a text channel, or pick one with `channel`.")
        return chosen

    # ----- members -----------------------------------------------------------------------

    @mod.command(name="warn", description="Send a member a private warning by DM.")
    @app_commands.describe(member="Who to warn", reason="What to tell them (up to 500 characters)")
    @facilitator_only()
    async def warn(
        self, interaction: discord.Interaction[Any], member: Target, reason: str
    ) -> None:
        target = self._target(member)
        text = check_text(reason, what="reason", limit=MAX_REASON)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.services.db.transaction() as tx:
            case_id = await self.cases.record(
                tx,
                actor_id=interaction.user.id,
                action="warn",
                member_id=target.id,
                reason=text,
                warn_program=self.services.settings.program.name,
            )
        # Send now, so the facilitator learns at once whether the DM arrived.
        await self.services.dispatcher.run_once()
        case = await self.repo.get_case(case_id)
        status = await delivery_of(self.services, case) if case else None
        await reply_ephemeral(
            interaction,
            f"Case #{case_id}: warning for {shown_name(target.display_name)}: {status}. "
            f"`/mod case {case_id}` shows it later.",
        )

    @mod.command(name="timeout", description="Time a member out (at most 28 days).")
    @app_commands.describe(
        member="Who to time out",
        duration="How long: e.g. 30m, 2h, 3d (at most 28d)",
        reason="Why (up to 500 characters)",
    )
    @facilitator_only()
    async def timeout(
        self, interaction: discord.Interaction[Any], member: Target, duration: str, reason: str
    ) -> None:
        target = self._target(member)
        length = parse_duration(duration)
        text = check_text(reason, what="reason", limit=MAX_REASON)
        try:
            await target.timeout(length, reason=f"iopbot: by {interaction.user.id}")
        except discord.Forbidden:
            raise UserError(
                f"Discord didn't let me time out {shown_name(target.display_name)}; my role may "
                "be below "
                "theirs."
            ) from None
        async with self.services.db.transaction() as tx:
            case_id = await self.cases.record(
                tx,
                actor_id=interaction.user.id,
                action="timeout",
                member_id=target.id,
                reason=text,
                duration_seconds=int(length.total_seconds()),
            )
        await reply_ephemeral(
            interaction,
            f"Case #{case_id}: {shown_name(target.display_name)} is timed out for "
            f"{describe_duration(length)}.",
        )

    @mod.command(name="untimeout", description="Remove a member's timeout.")
    @app_commands.describe(member="Whose timeout to remove")
    @facilitator_only()
    async def untimeout(self, interaction: discord.Interaction[Any], member: Target) -> None:
        target = self._target(member)
        if not target.is_timed_out():
            raise UserError(f"{shown_name(target.display_name)} isn't timed out.")
        try:
            await target.timeout(None, reason=f"iopbot: by {interaction.user.id}")
        except discord.Forbidden:
            raise UserError(
                f"Discord didn't let me change {shown_name(target.display_name)}'s timeout."
            ) from None
        async with self.services.db.transaction() as tx:
            case_id = await self.cases.record(
                tx, actor_id=interaction.user.id, action="untimeout", member_id=target.id
            )
        await reply_ephemeral(
            interaction, f"Case #{case_id}: {shown_name(target.display_name)}'s timeout is removed."
        )

    # ----- messages ----------------------------------------------------------------------

    @facilitator_only()
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def delete_from_menu(
        self, interaction: discord.Interaction[Any], message: discord.Message
    ) -> None:
        await delete_message(self.services, self.cases, interaction, message)

    @mod.command(name="delete", description="Delete a message by its link or id.")
    @app_commands.describe(
        message="The message link (Copy Message Link) or id",
        channel="The channel, when you give only an id (default: here)",
    )
    @facilitator_only()
    async def delete(
        self,
        interaction: discord.Interaction[Any],
        message: str,
        channel: discord.TextChannel | None = None,
    ) -> None:
        found = await find_message(interaction, message, channel)
        await delete_message(self.services, self.cases, interaction, found)

    # ----- channels ----------------------------------------------------------------------

    @mod.command(name="lock", description="Stop members posting in a channel.")
    @app_commands.describe(channel="The channel (default: here)")
    @facilitator_only()
    async def lock(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        where = self._text_channel(interaction, channel)
        case_id = await lock_channel(
            self.services, self.repo, self.cases, where, interaction.user.id
        )
        await reply_ephemeral(
            interaction, f"Case #{case_id}: {where.mention} is locked. `/mod unlock` reopens it."
        )

    @mod.command(name="unlock", description="Let members post in a locked channel again.")
    @app_commands.describe(channel="The channel (default: here)")
    @facilitator_only()
    async def unlock(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        where = self._text_channel(interaction, channel)
        case_id = await unlock_channel(
            self.services, self.repo, self.cases, where, interaction.user.id
        )
        await reply_ephemeral(interaction, f"Case #{case_id}: {where.mention} is open again.")

    @mod.command(name="slowmode", description="Set seconds between messages (0 turns it off).")
    @app_commands.describe(seconds="0 to 21600 (6 hours)", channel="The channel (default: here)")
    @facilitator_only()
    async def slowmode(
        self,
        interaction: discord.Interaction[Any],
        seconds: int,
        channel: discord.TextChannel | None = None,
    ) -> None:
        value = check_slowmode(seconds)
        where = self._text_channel(interaction, channel)
        case_id = await set_slowmode(self.services, self.cases, where, value, interaction.user.id)
        state = f"{value} seconds between messages" if value else "off"
        await reply_ephemeral(
            interaction, f"Case #{case_id}: slowmode in {where.mention} is {state}."
        )

    # ----- notes and history -------------------------------------------------------------

    @mod.command(name="note", description="Add a private facilitator note about a member.")
    @app_commands.describe(member="Who the note is about", text="The note (up to 1000 characters)")
    @facilitator_only()
    async def note(self, interaction: discord.Interaction[Any], member: Target, text: str) -> None:
        if member.bot:
            raise UserError("Notes are for people, not bots.")
        body = check_text(text, what="note", limit=MAX_NOTE)
        async with self.services.db.transaction() as tx:
            case_id = await self.cases.record(
                tx, actor_id=interaction.user.id, action="note", member_id=member.id
            )
            await self.repo.add_note(
                tx,
                member_id=member.id,
                author_id=interaction.user.id,
                body=body,
                case_id=case_id,
                now=self.services.clock.now(),
            )
        await reply_ephemeral(
            interaction,
            f"Case #{case_id}: note saved privately. `/mod history` shows it to facilitators.",
        )

    @mod.command(name="history", description="A member's cases and private notes (only you see).")
    @app_commands.describe(member="Whose history")
    @facilitator_only()
    async def history(self, interaction: discord.Interaction[Any], member: Target) -> None:
        cases = await self.repo.cases_for(member.id, limit=15)
        notes = await self.repo.notes_for(member.id, limit=10)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx, actor_id=interaction.user.id, action="mod.history", subject_user_id=member.id
            )
        deliveries = {c.id: await delivery_of(self.services, c) for c in cases}
        embed = history_embed(member.display_name, member.id, cases, notes, deliveries)
        await reply_ephemeral(interaction, "", embed=discord.Embed.from_dict(embed))

    @mod.command(name="case", description="One moderation case, with the warning's delivery.")
    @app_commands.describe(case_id="The case number")
    @facilitator_only()
    async def case(self, interaction: discord.Interaction[Any], case_id: int) -> None:
        found = await self.repo.get_case(case_id)
        if found is None:
            raise UserError(f"There is no case #{case_id}.")
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="mod.case_view",
                subject_user_id=found.member_id,
                case_id=found.id,
            )
        embed = case_embed(found, await delivery_of(self.services, found))
        await reply_ephemeral(interaction, "", embed=discord.Embed.from_dict(embed))

    # ----- AutoMod -----------------------------------------------------------------------

    @automod.command(name="install", description="Create or update the AutoMod presets.")
    @facilitator_only()
    async def automod_install(self, interaction: discord.Interaction[Any]) -> None:
        guild = interaction.guild
        staff_id = self.services.settings.channels.staff_alerts
        if guild is None:
            raise UserError("This works only in the program's server.")
        if staff_id is None or guild.get_channel(staff_id) is None:
            raise UserError(
                "AutoMod alerts go to the staff channel, but `channels.staff_alerts` isn't set "
                "or doesn't exist. Please fix the config first."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        lines = await _automod.install(
            guild, self.services.settings, staff_id, f"iopbot: by {interaction.user.id}"
        )
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx, actor_id=interaction.user.id, action="automod.install"
            )
        await reply_ephemeral(interaction, "\n".join(lines))

    @automod.command(name="status", description="Which AutoMod presets are installed.")
    @facilitator_only()
    async def automod_status(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.guild is None:
            raise UserError("This works only in the program's server.")
        lines = await _automod.status(interaction.guild, self.services.settings)
        await reply_ephemeral(interaction, "\n".join(lines))

    # ----- data contract -----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        return await export_moderation(self.repo, user_id)

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        return await delete_moderation(self.services, self.repo, user_id)

    async def purge_expired(self) -> dict[str, int]:
        return await purge_moderation(self.services, self.repo)
