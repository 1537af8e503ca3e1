"""Crisis safety: group messages and DMs to the bot with crisis language get the private
crisis path, "Report to facilitator" for any member, "View message" for facilitators, and
/help-now, which works even when the database is down. Never a deletion, timeout, public
reply or family contact. Message text is read, never stored."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.safety import SafetyRepository
from bot.domain.crisis import detect_crisis, resources_text
from bot.domain.moderation import AUTOMOD_CRISIS_RULE
from bot.domain.text import with_preview
from bot.services.container import Services
from bot.services.crisis import (
    handle_crisis_text,
    register_crisis_hooks,
    safety_plan_view,
    unregister_crisis_hooks,
)
from bot.services.errors import reply_ephemeral
from cogs.safety._report import file_report
from cogs.safety._spec import REPORT_DAYS
from cogs.safety._view_message import ViewMessageButton

log = logging.getLogger("iopbot.safety")


def help_now_text(services: Services) -> str:
    """Settings only: no database, so it answers even when storage is down."""
    settings = services.settings
    return resources_text(
        [(r.name, r.contact) for r in settings.safety.resources],
        settings.program.staffed_hours,
        facilitator_told=False,
    )


class SafetyCog(IopCog):
    # crisis_events is written by the core crisis path (check-ins write it too, with or
    # without this cog): bot/services/userdata.py exports, deletes and purges it.
    owned_tables: ClassVar[tuple[str, ...]] = ("reports",)
    # This cog runs the crisis path on DMs to the bot (``on_message``); the care line
    # (cogs/careline) screens DMs itself only when this is False, so each DM is screened
    # exactly once.
    screens_dms: ClassVar[bool] = True

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = SafetyRepository(services.db)
        self.report_menu = app_commands.ContextMenu(
            name="Report to facilitator", callback=self.report_message
        )

    async def cog_load(self) -> None:
        register_crisis_hooks(self.services)
        self.bot.tree.add_command(self.report_menu)
        self.bot.add_dynamic_items(ViewMessageButton)

    async def cog_unload(self) -> None:
        unregister_crisis_hooks(self.services)
        self.bot.tree.remove_command(self.report_menu.name, type=self.report_menu.type)
        self.bot.remove_dynamic_items(ViewMessageButton)

    # ----- /help-now ---------------------------------------------------------------------

    @app_commands.command(
        name="help-now", description="Crisis resources, any time (only you see the answer)."
    )
    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    async def help_now(self, interaction: discord.Interaction[Any]) -> None:
        await reply_ephemeral(interaction, help_now_text(self.services), view=safety_plan_view())

    # ----- reports -----------------------------------------------------------------------

    @app_commands.guild_only()
    async def report_message(
        self, interaction: discord.Interaction[Any], message: discord.Message
    ) -> None:
        reply = await file_report(self.services, interaction.user, message)
        await reply_ephemeral(interaction, reply)

    # ----- crisis language in group messages and DMs to the bot ---------------------------

    async def _watches(self, message: discord.Message) -> discord.Member | None:
        """The author (as a member of the program's server) when the crisis listener should
        read this message: a group message (with the message-content intent) or a DM to the
        bot (no intent needed) from someone in the server who is not staff."""
        settings = self.services.settings
        author = message.author
        if author.bot or message.webhook_id is not None:
            return None
        if message.guild is None:
            if not isinstance(message.channel, discord.DMChannel):
                return None
            member = await self._member_for_dm(author)
        else:
            if not settings.discord.message_content:
                return None
            if (
                settings.discord.guild_id is not None
                and message.guild.id != settings.discord.guild_id
            ):
                return None
            member = author if isinstance(author, discord.Member) else None
        if member is None or self.services.perms.is_facilitator(member):
            return None
        return member

    async def _member_for_dm(self, user: discord.abc.User) -> discord.Member | None:
        """The DM's author as a member of the program's server (cache, then one fetch)."""
        member = self.services.perms.member_of(self.bot, user)
        if member is not None:
            return member
        guild_id = self.services.settings.discord.guild_id
        guild = self.bot.get_guild(guild_id) if guild_id else None
        if guild is None:
            return None
        try:
            return await guild.fetch_member(user.id)
        except discord.HTTPException:
            return None  # not in the program's server: not screened

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        author = await self._watches(message)
        if author is None or not message.content:
            return
        safety = self.services.settings.safety
        match = detect_crisis(message.content, safety.crisis_terms, safety.crisis_idioms)
        if match is None:
            return  # the common case: no database work at all
        await self._crisis_path(
            author,
            author.display_name,
            "dm" if message.guild is None else "group_message",
            message.id,
            severity=match.severity,
            category=match.category,
            channel_id=message.channel.id,
        )

    async def _crisis_path(
        self,
        person: discord.Member | discord.User | None,
        fallback_name: str,
        source: str,
        message_id: int | None,
        *,
        user_id: int | None = None,
        severity: str | None = None,
        category: str | None = None,
        channel_id: int | None = None,
    ) -> None:
        """The crisis path for a message the bot saw; if it can't be queued (e.g. the
        database is down), the person still gets the resources, directly, once. Staff learn
        from the log (ids only)."""
        uid = user_id if user_id is not None else (person.id if person else 0)
        try:
            client = await self.services.clients.get(uid)
            await handle_crisis_text(
                self.services,
                None,
                user_id=uid,
                display_name=client.display_name if client else fallback_name,
                source=source,
                source_ref=message_id,
                severity=severity,
                category=category,
                channel_id=channel_id,
            )
        except Exception:
            log.exception(
                "crisis.listener_failed",
                extra={
                    "person": self.services.key.pseudonym(uid),
                    "message_id": message_id,
                    "source": source,
                },
            )
            if person is None:
                person = self.bot.get_user(uid)
            if person is None:
                log.warning(
                    "crisis.direct_dm_no_user", extra={"person": self.services.key.pseudonym(uid)}
                )
                return
            try:
                preview = self.services.settings.program.dm_preview
                await person.send(
                    with_preview(preview, help_now_text(self.services)), view=safety_plan_view()
                )
            except discord.HTTPException:
                log.warning(
                    "crisis.direct_dm_failed", extra={"person": self.services.key.pseudonym(uid)}
                )

    @commands.Cog.listener()
    async def on_automod_action(self, execution: discord.AutoModAction) -> None:
        """Without the message-content intent, the AutoMod crisis rule is the signal."""
        settings = self.services.settings
        if settings.discord.message_content:
            return  # on_message already read the words
        if execution.action.type is not discord.AutoModRuleActionType.send_alert_message:
            return
        try:
            rule = await execution.fetch_rule()
        except discord.HTTPException:
            log.warning("crisis.automod_rule_unreadable", extra={"rule_id": execution.rule_id})
            return
        if rule.name != AUTOMOD_CRISIS_RULE:
            return
        member = execution.member
        if member is not None and (member.bot or self.services.perms.is_facilitator(member)):
            return
        await self._crisis_path(
            member,
            member.display_name if member else "member",
            "automod",
            execution.message_id,
            user_id=execution.user_id,
            channel_id=execution.channel_id,
        )

    # ----- data contract -----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        made = await self.repo.reports_by(user_id)
        about = await self.repo.reports_about(user_id)
        return {
            "reports_made": [
                {
                    "id": r.id,
                    "message_id": r.message_id,
                    "channel_id": r.channel_id,
                    "created_at": r.created_at.isoformat(),
                }
                for r in made
            ],
            # Who reported them is other people's data: only the count.
            "reports_about_you": len(about),
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            reports = await self.repo.delete_reports_by(tx, user_id)
        days = REPORT_DAYS.days(self.services.settings)
        return DeletionReport(
            removed={"reports": reports},
            kept={
                "reports": (
                    "reports other members made about this person are those members' records "
                    f"and part of the program's moderation record; kept {days} days, then purged"
                )
            },
        )

    async def purge_expired(self) -> dict[str, int]:
        now = self.services.clock.now()
        async with self.services.db.transaction() as tx:
            reports = await self.repo.purge_reports_before(
                tx, now - timedelta(days=REPORT_DAYS.days(self.services.settings))
            )
        return {"reports": reports}
