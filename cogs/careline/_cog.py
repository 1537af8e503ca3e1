"""The care line: what a client DMs the bot reaches their care team in a private staff
thread, and what a facilitator writes there reaches the client by DM.

Screening: every DM is read by the crisis detector once. When the safety cog screens DMs
itself (``SafetyCog.screens_dms``), this cog leaves that to it; otherwise it runs the
crisis path here, before the rate limit, so the crisis path is never limited. Message
text is never logged (ids only).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.clients import Client
from bot.domain.careline import FileInfo, window_bucket, window_start
from bot.domain.text import with_preview
from bot.services.container import Services
from bot.services.crisis import crisis_resources_text, handle_crisis_text, safety_plan_view
from bot.services.errors import UserError, reply_ephemeral
from bot.services.notices import Notice
from bot.services.outbox import DM, ChannelTarget
from bot.services.permissions import facilitator_only
from cogs.careline._common import TO_CLIENT, TO_STAFF, CarelineUnavailable, repo
from cogs.careline._data import delete_for, export_for, purge_expired
from cogs.careline._hooks import register_hooks, unregister_hooks
from cogs.careline._relay import (
    Words,
    add_note,
    close_conversation,
    dm_meta,
    relay_from_client,
    reply_to_client,
)
from cogs.careline._render import (
    for_family,
    for_others,
    for_staff,
    name_of,
    not_client_in_thread,
    slow_down,
    unavailable,
)
from cogs.careline._spec import SPEC
from cogs.careline._threads import CareThreads

log = logging.getLogger("iopbot.careline")

KIND_REPLY_EVERY = timedelta(minutes=30)  # a non-client hears the kind reply at most this often


def files_of(message: discord.Message) -> tuple[FileInfo, ...]:
    return tuple(
        FileInfo(name=a.filename, content_type=a.content_type, size=a.size, url=a.url)
        for a in message.attachments
    )


class CarelineCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = (
        "careline_threads",
        "careline_conversations",
        "careline_messages",
    )
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        manage_channels=True,
        create_public_threads=True,
        send_messages_in_threads=True,
        manage_threads=True,  # /mydata delete removes the client's thread
    )

    careline = app_commands.Group(
        name="careline",
        description="The private line between clients and the care team (facilitators).",
        guild_only=True,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.threads = CareThreads(bot, services)
        self._kind_replied: dict[int, datetime] = {}

    async def cog_load(self) -> None:
        await self.threads.load()
        register_hooks(self.services, self.threads)

    async def cog_unload(self) -> None:
        unregister_hooks(self.services)

    # ----- client DMs --------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        if message.guild is None:
            if isinstance(message.channel, discord.DMChannel):
                await self._from_dm(message)
            return
        if message.channel.id in self.threads.thread_ids:
            await self._from_thread(message)

    def _safety_screens_dms(self) -> bool:
        cog = self.bot.get_cog("SafetyCog")
        return cog is not None and bool(getattr(cog, "screens_dms", False))

    async def _from_dm(self, message: discord.Message) -> None:
        services = self.services
        user = message.author
        client = await services.clients.get(user.id)
        member = services.perms.member_of(self.bot, user)
        if services.perms.is_facilitator(member):
            await self._kind_reply(message, text=for_staff())  # staff answer from threads
            return
        if message.content and not self._safety_screens_dms() and (client or member):
            await self._screen(message, client, member)
        if client is None or not client.is_active:
            family = services.perms.is_family(member)
            await self._kind_reply(message, text=for_family() if family else for_others())
            return
        if not message.content and not message.attachments:
            return
        if await self._over_limit(client):
            return
        try:
            thread_id = await self.threads.thread_for(client)
        except CarelineUnavailable:
            log.error(
                "careline.unavailable",
                extra={"person": self.services.key.pseudonym(client.user_id)},
            )
            await self._direct(message, unavailable())
            return
        words = Words(text=message.content, files=files_of(message), source_id=message.id)
        await relay_from_client(services, client, thread_id, words)

    async def _screen(
        self, message: discord.Message, client: Client | None, member: discord.Member | None
    ) -> None:
        name = client.display_name if client else (member.display_name if member else "member")
        try:
            await handle_crisis_text(
                self.services,
                None,
                user_id=message.author.id,
                display_name=name,
                source="dm",
                text=message.content,
                source_ref=message.id,
            )
        except Exception:
            log.exception(
                "careline.screen_failed",
                extra={"person": self.services.key.pseudonym(message.author.id)},
            )
            # Nothing was queued (the crisis path's transaction rolled back): help must
            # still reach the person now, as the safety cog's own fallback does.
            text = crisis_resources_text(self.services, facilitator_told=False)
            await self._direct(message, text, view=safety_plan_view())

    async def _over_limit(self, client: Client) -> bool:
        """Over the per-client limit: queue one friendly notice per window, relay nothing."""
        services = self.services
        settings = SPEC.section_of(services.settings)
        now = services.clock.now()
        since = window_start(now, settings.rate_limit_minutes)
        sent = await repo(services).count_from_client_since(client.user_id, since)
        if sent < settings.rate_limit_messages:
            return False
        bucket = window_bucket(now, settings.rate_limit_minutes)
        async with services.db.transaction() as tx:
            await services.outbox.enqueue(
                tx,
                dedupe_key=f"careline:slow:{client.user_id}:{bucket}",
                kind=TO_CLIENT,
                target=DM(client.user_id),
                notice=Notice(content=slow_down(), meta=dm_meta(client, 0, "slow")),
                subject_user_id=client.user_id,
            )
        log.info(
            "careline.rate_limited", extra={"person": self.services.key.pseudonym(client.user_id)}
        )
        return True

    async def _kind_reply(self, message: discord.Message, *, text: str) -> None:
        """Not a client: a short kind answer (at most every 30 minutes); nothing stored."""
        now = self.services.clock.now()
        last = self._kind_replied.get(message.author.id)
        if last is not None and now - last < KIND_REPLY_EVERY:
            return
        if len(self._kind_replied) > 1000:  # forget answers older than the window
            self._kind_replied = {
                uid: at for uid, at in self._kind_replied.items() if now - at < KIND_REPLY_EVERY
            }
        self._kind_replied[message.author.id] = now
        await self._direct(message, text)

    async def _direct(
        self, message: discord.Message, text: str, view: discord.ui.View | None = None
    ) -> None:
        preview = self.services.settings.program.dm_preview
        try:
            if view is None:
                await message.channel.send(with_preview(preview, text))
            else:
                await message.channel.send(with_preview(preview, text), view=view)
        except discord.HTTPException:
            log.warning(
                "careline.direct_reply_failed",
                extra={"person": self.services.key.pseudonym(message.author.id)},
            )

    # ----- staff threads -----------------------------------------------------------------

    async def _from_thread(self, message: discord.Message) -> None:
        services = self.services
        member = services.perms.member_of(self.bot, message.author)
        if not services.perms.is_facilitator(member) or member is None:
            log.warning(
                "careline.not_staff_in_thread",
                extra={
                    "person": self.services.key.pseudonym(message.author.id),
                    "thread_id": message.channel.id,
                },
            )
            return
        if not message.content and not message.attachments:
            return  # nothing readable (e.g. without the message-content intent)
        client_id = await repo(services).client_for_thread(message.channel.id)
        client = await services.clients.get(client_id) if client_id else None
        if client is None:
            return
        words = Words(text=message.content, files=files_of(message), source_id=message.id)
        prefix = SPEC.section_of(services.settings).note_prefix
        if message.content.startswith(prefix):
            if not message.content[len(prefix) :].strip():
                return  # only the prefix: nothing to keep
            await add_note(
                services,
                client,
                message.channel.id,
                Words(text=message.content[len(prefix) :].strip(), files=(), source_id=message.id),
                staff_id=member.id,
                staff_name=member.display_name,
                via_command=False,
            )
            return
        if not client.is_active:
            await self._thread_notice(client, message.channel.id, message.id)
            return
        await reply_to_client(
            services,
            client,
            message.channel.id,
            words,
            staff_id=member.id,
            staff_name=member.display_name,
            via_command=False,
        )

    async def _thread_notice(self, client: Client, thread_id: int, source_id: int) -> None:
        async with self.services.db.transaction() as tx:
            await self.services.outbox.enqueue(
                tx,
                dedupe_key=f"careline:inactive:{source_id}",
                kind=TO_STAFF,
                target=ChannelTarget(thread_id),
                notice=Notice(content=not_client_in_thread(name_of(client))),
                subject_user_id=client.user_id,
            )

    # ----- commands (facilitators) -------------------------------------------------------

    async def _target(
        self, interaction: discord.Interaction[Any], member: discord.Member | None
    ) -> tuple[Client, int]:
        """The client this command is about: the thread it is used in, or ``client``."""
        services = self.services
        channel_id = interaction.channel_id or 0
        in_thread = channel_id in self.threads.thread_ids
        thread_client = await repo(services).client_for_thread(channel_id) if in_thread else None
        if member is not None and thread_client is not None and member.id != thread_client:
            raise UserError("This thread belongs to another client: leave `client` out here.")
        user_id = member.id if member is not None else thread_client
        if user_id is None:
            raise UserError("Use this in a client's care-line thread, or name the `client`.")
        client = await services.clients.get(user_id)
        if client is None:
            raise UserError("That member is not an enrolled client.")
        return client, channel_id if thread_client is not None else 0

    async def _thread_of(self, client: Client, known: int) -> int:
        if known:
            return known
        try:
            return await self.threads.thread_for(client)
        except CarelineUnavailable:
            raise UserError(
                "The care-line channel can't be used right now (see the bot's log); "
                "nothing was sent."
            ) from None

    @careline.command(name="reply", description="Answer a client by DM (facilitators).")
    @app_commands.describe(
        text="What the client gets by DM", client="The client (leave out inside their thread)"
    )
    @facilitator_only()
    async def reply(
        self,
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, 1800],
        client: discord.Member | None = None,
    ) -> None:
        target, known = await self._target(interaction, client)
        if not target.is_active:
            raise UserError(f"{name_of(target)} is no longer an active client; nothing was sent.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread_id = await self._thread_of(target, known)
        await reply_to_client(
            self.services,
            target,
            thread_id,
            Words(text=text.strip(), files=(), source_id=interaction.id),
            staff_id=interaction.user.id,
            staff_name=getattr(interaction.user, "display_name", interaction.user.name),
            via_command=True,
        )
        await reply_ephemeral(
            interaction,
            f"Queued for {name_of(target)} by DM, and shown in their thread. If their DMs are "
            "closed, the thread will say so.",
        )

    @careline.command(name="note", description="A note in a client's thread, never sent to them.")
    @app_commands.describe(
        text="The note (staff only)", client="The client (leave out inside their thread)"
    )
    @facilitator_only()
    async def note(
        self,
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, 1800],
        client: discord.Member | None = None,
    ) -> None:
        target, known = await self._target(interaction, client)
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread_id = await self._thread_of(target, known)
        await add_note(
            self.services,
            target,
            thread_id,
            Words(text=text.strip(), files=(), source_id=interaction.id),
            staff_id=interaction.user.id,
            staff_name=getattr(interaction.user, "display_name", interaction.user.name),
            via_command=True,
        )
        await reply_ephemeral(
            interaction, f"Note saved in {name_of(target)}'s thread; it is not sent to them."
        )

    @careline.command(name="close", description="End a client's conversation (they are told).")
    @app_commands.describe(client="The client (leave out inside their thread)")
    @facilitator_only()
    async def close(
        self, interaction: discord.Interaction[Any], client: discord.Member | None = None
    ) -> None:
        target, known = await self._target(interaction, client)
        conversation = await repo(self.services).open_conversation(target.user_id)
        if conversation is None:
            raise UserError(f"{name_of(target)} has no open conversation.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread_id = await self._thread_of(target, known)
        closed = await close_conversation(
            self.services,
            target,
            thread_id,
            staff_id=interaction.user.id,
            staff_name=getattr(interaction.user, "display_name", interaction.user.name),
        )
        text = (
            f"Closed. {name_of(target)} is told by DM; their next message opens a new conversation."
            if closed
            else f"{name_of(target)}'s conversation was already closed."
        )
        await reply_ephemeral(interaction, text)

    # ----- data contracts ----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        return await export_for(self.services, user_id)

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        return await delete_for(self.bot, self.services, self.threads, user_id)

    async def purge_expired(self) -> dict[str, int]:
        return await purge_expired(self.services)
