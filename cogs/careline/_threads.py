"""The staff side in Discord: the care-line channel (found, or created staff-only) and one
thread per client in it. These are Discord calls, so they run outside any transaction."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

import discord
from discord.ext import commands

from bot.db.repositories.clients import Client
from bot.domain.names import plain_name
from bot.services.container import Services
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget
from cogs.careline._common import TO_STAFF, CarelineUnavailable, repo
from cogs.careline._render import thread_header
from cogs.careline._spec import SPEC

log = logging.getLogger("iopbot.careline")

ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: threads stay in the list between conversations


class CareThreads:
    """Finds or makes the channel and each client's thread; remembers the thread ids."""

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self.thread_ids: set[int] = set()
        self._locks: dict[int, asyncio.Lock] = {}
        self._channel_lock = asyncio.Lock()

    async def load(self) -> None:
        self.thread_ids = await repo(self.services).all_thread_ids()

    def _guild(self) -> discord.Guild:
        guild_id = self.services.settings.discord.guild_id
        guild = self.bot.get_guild(guild_id) if guild_id else None
        if guild is None:
            raise CarelineUnavailable("the program's server is not available")
        return guild

    def _staff_only(self, guild: discord.Guild, channel: discord.TextChannel) -> bool:
        """Nobody but staff (and the bot) can see it: not @everyone, clients or family."""
        roles = self.services.settings.roles
        for role_id in (guild.default_role.id, roles.client, roles.family):
            role = guild.get_role(role_id) if role_id is not None else None
            if role is not None and channel.permissions_for(role).view_channel:
                return False
        return True

    async def channel(self) -> discord.TextChannel:
        guild = self._guild()
        settings = self.services.settings
        async with self._channel_lock:
            if settings.channels.care_team is not None:
                found = guild.get_channel(settings.channels.care_team)
                if not isinstance(found, discord.TextChannel):
                    raise CarelineUnavailable("channels.care_team is not a text channel")
            else:
                wanted = SPEC.section_of(settings).channel_name
                found = discord.utils.get(guild.text_channels, name=wanted)
                if found is None:
                    found = await self._create_channel(guild, wanted)
            if not self._staff_only(guild, found):
                # A privacy guard: never post client words where others could read them.
                log.error("careline.channel_not_private", extra={"channel_id": found.id})
                raise CarelineUnavailable("the care-line channel is visible to non-staff")
            return found

    async def _create_channel(self, guild: discord.Guild, name: str) -> discord.TextChannel:
        facilitator_id = self.services.settings.roles.facilitator
        facilitator = guild.get_role(facilitator_id) if facilitator_id else None
        if facilitator is None or guild.me is None:
            raise CarelineUnavailable("no facilitator role to give the channel to")
        staff = discord.PermissionOverwrite(
            view_channel=True,
            send_messages=True,
            send_messages_in_threads=True,
            read_message_history=True,
        )
        overwrites: dict[
            discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite
        ] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            facilitator: staff,
            guild.me: discord.PermissionOverwrite(
                view_channel=True,
                send_messages=True,
                send_messages_in_threads=True,
                create_public_threads=True,
                read_message_history=True,
            ),
        }
        try:
            channel = await guild.create_text_channel(
                name,
                overwrites=overwrites,
                topic="Care line: one private thread per client. Facilitators only.",
                reason="iopbot care line (staff only)",
            )
        except discord.HTTPException as exc:
            log.error("careline.channel_create_failed", extra={"code": exc.code})
            raise CarelineUnavailable("could not create the care-line channel") from None
        log.info("careline.channel_created", extra={"channel_id": channel.id})
        return channel

    async def _exists(self, guild: discord.Guild, thread_id: int) -> bool:
        if guild.get_channel_or_thread(thread_id) is not None:
            return True
        try:
            await self.bot.fetch_channel(thread_id)
        except discord.NotFound:
            return False
        except discord.HTTPException:
            return True  # unknown: keep the thread we have rather than make a second one
        return True

    async def thread_for(self, client: Client) -> int:
        """The client's thread id, creating the thread (and its first message) if needed."""
        lock = self._locks.setdefault(client.user_id, asyncio.Lock())
        async with lock:
            known = await repo(self.services).thread_for(client.user_id)
            if known is not None and await self._exists(self._guild(), known.thread_id):
                self.thread_ids.add(known.thread_id)
                return known.thread_id
            channel = await self.channel()
            try:
                thread = await channel.create_thread(
                    name=plain_name(client.display_name, fallback="client", limit=90),
                    type=discord.ChannelType.public_thread,
                    auto_archive_duration=ARCHIVE_MINUTES,
                    reason="iopbot care line",
                )
            except discord.HTTPException as exc:
                log.error(
                    "careline.thread_create_failed",
                    extra={"person": self.services.key.pseudonym(client.user_id), "code": exc.code},
                )
                raise CarelineUnavailable("could not create the client's thread") from None
            await self._record(client, channel.id, thread.id)
            log.info(
                "careline.thread_created",
                extra={
                    "person": self.services.key.pseudonym(client.user_id),
                    "thread_id": thread.id,
                },
            )
            return thread.id

    async def _record(self, client: Client, channel_id: int, thread_id: int) -> None:
        services = self.services
        now = services.clock.now()
        today = now.astimezone(client.timezone).date()
        async with services.db.transaction() as tx:
            await repo(services).save_thread(tx, client.user_id, channel_id, thread_id, now)
            await services.outbox.enqueue(
                tx,
                dedupe_key=f"careline:header:{thread_id}",
                kind=TO_STAFF,
                target=ChannelTarget(thread_id),
                notice=Notice(
                    content=thread_header(
                        client, today, SPEC.section_of(services.settings).note_prefix
                    )
                ),
                subject_user_id=client.user_id,
            )
        self.thread_ids.add(thread_id)

    def forget(self, thread_id: int) -> None:
        self.thread_ids.discard(thread_id)
