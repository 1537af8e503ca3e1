"""`UserApi`: the Emulator's Python API for acting as a user.

A user posts a message (checked against their channel permissions and AutoMod), runs
a slash command, clicks a component, submits a modal or uses a context menu; the
interactions wait for the bot's answer and return an `InteractionResult`.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.automod import apply_automod
from bot.sandbox.emulator.core import THREAD_TYPES, EmulatorCore
from bot.sandbox.emulator.results import InteractionResult
from bot.sandbox.emulator.state import JSON


class UserApi(EmulatorCore):
    async def post_message(self, user_id: int, channel_id: int, content: str) -> JSON:
        """A user posts in a channel (or their DM with the bot); the bot gets MESSAGE_CREATE.

        Enabled AutoMod keyword rules run first; a blocked post returns
        `{"automod_blocked": true, ...}` and is not stored.
        """
        channel = self.state.channels[channel_id]
        guild = self.state.guild_of_channel(channel)
        if guild is not None:
            allowed = perm.channel_permissions(
                guild, self.effective_channel(channel), user_id, self.now()
            )
            needed = (
                perm.SEND_MESSAGES_IN_THREADS
                if channel["type"] in THREAD_TYPES
                else perm.SEND_MESSAGES
            )
            if allowed & (needed | perm.VIEW_CHANNEL) != needed | perm.VIEW_CHANNEL:
                raise PermissionError(
                    f"user {user_id} cannot send messages in {channel.get('name')}"
                )
        if apply_automod(self, channel, user_id, content):
            return {"automod_blocked": True, "channel_id": channel["id"], "content": content}
        author = self.state.users[user_id]
        message = self.build_message(channel, author, {"content": content}, [])
        self.deliver(channel, message)
        return copy.deepcopy(message)

    async def slash(
        self,
        user_id: int,
        channel_id: int,
        command: str,
        options: dict[str, Any] | None = None,
        *,
        check_visibility: bool = True,
    ) -> InteractionResult:
        return await self.interactions.slash(
            user_id, channel_id, command, options or {}, check_visibility=check_visibility
        )

    async def click(
        self, user_id: int, message_id: int, custom_id: str, *, values: list[str] | None = None
    ) -> InteractionResult:
        return await self.interactions.click(user_id, message_id, custom_id, values=values)

    async def submit_modal(
        self, user_id: int, custom_id: str, values: dict[str, Any]
    ) -> InteractionResult:
        return await self.interactions.submit_modal(user_id, custom_id, values)

    async def context_menu(self, user_id: int, message_id: int, name: str) -> InteractionResult:
        return await self.interactions.context_menu(user_id, message_id, name)
