"""Turns an outbox row into one Discord message, under the bot-wide send rate."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import discord
from aiolimiter import AsyncLimiter

from bot.db.repositories.dm_channels import DmChannelRepository
from bot.db.repositories.outbox import OutboxRow
from bot.domain.text import with_preview
from bot.services.clock import Clock
from bot.services.notices import Notice
from bot.services.reconcile import SeenMessage, embed_signature

# How many of a channel's messages since a crashed claim are read back to find its notices.
HISTORY_LIMIT = 500

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


def build_view(notice: Notice) -> discord.ui.View | None:
    """Components only: the callbacks live in the cogs' persistent dynamic items."""
    if not notice.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in notice.buttons:
        view.add_item(
            discord.ui.Button(
                label=button.label, custom_id=button.custom_id, style=_STYLES[button.style]
            )
        )
    view.stop()  # a finished view is sent as components but never stored by discord.py
    return view


def allowed_mentions(notice: Notice) -> discord.AllowedMentions:
    return discord.AllowedMentions(
        everyone=False,
        users=[discord.Object(uid) for uid in notice.mention_user_ids] or False,
        roles=[discord.Object(rid) for rid in notice.mention_role_ids] or False,
        replied_user=False,
    )


def make_limiter(rate_per_second: float, burst: int = 5) -> AsyncLimiter:
    """A leaky bucket that never lets more than ``rate + burst`` sends into any one second.

    aiolimiter's bucket holds ``max_rate`` tokens and refills at ``max_rate/time_period``
    per second, so a full bucket at the start of a second adds to that second's refill.
    A small bucket (``burst``) refilled at ``rate`` keeps every one-second window at or
    under ``rate + burst`` (45 + 5 = Discord's 50/s by default) while sending steadily.
    """
    capacity = max(1, min(burst, int(rate_per_second)))
    return AsyncLimiter(capacity, capacity / rate_per_second)


class DiscordSender:
    """Sends with ``nonce=f"ob{id}"`` so a retried send never makes a second message.

    DM channels: a user's DM channel with the bot never changes, so the sender keeps
    ``user id -> DM channel id`` for everyone it has sent to (in memory, and in the
    ``dm_channels`` table so a restart keeps them) and sends to that id directly.
    discord.py's own private-channel cache is an LRU of 128 channels: with more clients
    than that, a daily fan-out evicts each channel before it is needed again and every
    prompt cost a ``POST /users/@me/channels`` first, a route Discord limits on its own
    (10 per 10 s in the emulator), so 1,000 prompts took about 1,000 s (bench/).
    """

    def __init__(
        self,
        client: discord.Client,
        limiter: AsyncLimiter,
        *,
        store: DmChannelRepository | None = None,
        clock: Clock | None = None,
        dm_preview: str | None = None,
    ) -> None:
        self.client = client
        self.dm_preview = dm_preview  # the neutral first line of every DM (a lock screen)
        self.limiter = limiter
        self.store = store
        self.clock = clock
        self._dm_channel_ids: dict[int, int] = {}
        # Open DM channels one at a time: discord.py learns that route's own bucket from the
        # first answer, so parallel opens on a cold start only collect 429s.
        self._opening = asyncio.Lock()

    def remember_dm_channel(self, user_id: int, channel_id: int) -> None:
        """Record a known DM channel (e.g. loaded from storage at start-up)."""
        self._dm_channel_ids[user_id] = channel_id

    async def load_known_channels(self) -> int:
        """Warm the id map from storage; return how many were known."""
        if self.store is None:
            return 0
        self._dm_channel_ids.update(await self.store.all())
        return len(self._dm_channel_ids)

    async def _dm_channel(self, user_id: int) -> discord.abc.Messageable:
        cached = self.client._connection._get_private_channel_by_user(user_id)
        if cached is not None:
            return cached
        channel_id = self._dm_channel_ids.get(user_id)
        if channel_id is not None:
            return self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        async with self._opening:
            channel_id = self._dm_channel_ids.get(user_id)
            if channel_id is not None:  # opened by another send while we waited
                return self.client.get_partial_messageable(
                    channel_id, type=discord.ChannelType.private
                )
            async with self.limiter:
                created = await self.client.create_dm(discord.Object(user_id))
            self._dm_channel_ids[user_id] = created.id
            if self.store is not None and self.clock is not None:
                await self.store.save(user_id, created.id, self.clock.now())
        return created

    async def __call__(self, row: OutboxRow, notice: Notice) -> int | None:
        channel: discord.abc.Messageable
        content = notice.content
        if row.target_type == "dm":
            channel = await self._dm_channel(row.target_id)
            if self.dm_preview:
                content = with_preview(self.dm_preview, content)
        else:
            channel = self.client.get_partial_messageable(row.target_id)
        embeds = [discord.Embed.from_dict(e) for e in notice.embeds]
        view = build_view(notice)
        try:
            async with self.limiter:
                if view is None:
                    message = await channel.send(
                        content=content or None,
                        embeds=embeds,
                        nonce=row.nonce,
                        allowed_mentions=allowed_mentions(notice),
                    )
                else:
                    message = await channel.send(
                        content=content or None,
                        embeds=embeds,
                        nonce=row.nonce,
                        allowed_mentions=allowed_mentions(notice),
                        view=view,
                    )
        except discord.NotFound:
            if row.target_type == "dm":
                self._dm_channel_ids.pop(row.target_id, None)  # opened afresh next time
                if self.store is not None:
                    await self.store.forget(row.target_id)
            raise
        return message.id

    async def recent_messages(
        self, target_type: str, target_id: int, after: datetime
    ) -> list[SeenMessage]:
        """The bot's own messages in a row's channel created after ``after`` (oldest first)."""
        channel: discord.abc.Messageable
        if target_type == "dm":
            channel = await self._dm_channel(target_id)
        else:
            channel = self.client.get_partial_messageable(target_id)
        me = self.client.user.id if self.client.user is not None else None
        seen: list[SeenMessage] = []
        since = discord.Object(discord.utils.time_snowflake(after))
        async for message in channel.history(limit=HISTORY_LIMIT, after=since, oldest_first=True):
            if message.author.id != me or message.interaction_metadata is not None:
                continue  # others' messages, and the bot's replies to commands and buttons
            seen.append(
                SeenMessage(
                    id=message.id,
                    created_at=message.created_at,
                    signature=(
                        message.content,
                        embed_signature(dict(e.to_dict()) for e in message.embeds),
                        _custom_ids(message.components),
                    ),
                    nonce=None if message.nonce is None else str(message.nonce),
                )
            )
        return seen


def _custom_ids(components: list[Any]) -> tuple[str, ...]:
    ids: list[str] = []
    for component in components:
        for child in getattr(component, "children", [component]):
            custom_id = getattr(child, "custom_id", None)
            if custom_id:
                ids.append(str(custom_id))
    return tuple(ids)
