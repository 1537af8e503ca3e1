"""`EmulatorCore`: what route handlers and the Python API work through.

It is built in layers, each in its own module:

- base.py (`CoreBase`): state, clock and identity, the gateway, rate limits and the
  transcript; lookups with Discord's errors; the bot's permission checks.
- payloads.py: the READY / GUILD_CREATE / member chunk / channel / message shapes.
- messages.py (`MessageCore`): building, storing, editing and deleting messages, with
  their gateway events and transcript entries.
- this module: the bot's permission-checked send path (DM rules, `enforce_nonce`).

`Emulator` (server.py) adds the HTTP server and the user-facing API on top.
"""

from __future__ import annotations

import copy

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.base import CoreBase, utc_now
from bot.sandbox.emulator.errors import cannot_dm
from bot.sandbox.emulator.messages import EPHEMERAL, LOADING, MENTION, MessageCore
from bot.sandbox.emulator.payloads import THREAD_TYPES, normalise_embeds
from bot.sandbox.emulator.routing import Upload
from bot.sandbox.emulator.state import DM, JSON
from bot.sandbox.emulator.validation import check_message

__all__ = [
    "EPHEMERAL",
    "LOADING",
    "MENTION",
    "NONCE_TTL_SECONDS",
    "THREAD_TYPES",
    "CoreBase",
    "EmulatorCore",
    "MessageCore",
    "normalise_embeds",
    "utc_now",
]

NONCE_TTL_SECONDS = 300.0


class EmulatorCore(MessageCore):
    def check_can_send(self, channel: JSON, payload: JSON, uploads: list[Upload]) -> None:
        if channel["type"] == DM:
            recipient = self.state.dm_recipient(channel)
            if recipient is None or not self.can_dm(recipient):
                raise cannot_dm()
            return
        needed = perm.SEND_MESSAGES
        if channel["type"] in THREAD_TYPES:
            needed = perm.SEND_MESSAGES_IN_THREADS
        if uploads:
            needed |= perm.ATTACH_FILES
        if payload.get("message_reference"):
            needed |= perm.READ_MESSAGE_HISTORY
        self.require_channel_permissions(channel, needed)

    def can_dm(self, user_id: int) -> bool:
        user = self.state.users.get(user_id)
        if user is None or user.get("bot") or user_id in self.state.dms_closed:
            return False
        bot_guilds = {g.id for g in self.state.guilds_of(self.bot_id)}
        return any(g.id in bot_guilds for g in self.state.guilds_of(user_id))

    def send_bot_message(self, channel: JSON, payload: JSON, uploads: list[Upload]) -> JSON:
        """POST /channels/{id}/messages for the bot, honouring `nonce` + `enforce_nonce`."""
        check_message(payload, has_files=bool(uploads))
        self.check_can_send(channel, payload, uploads)
        nonce = payload.get("nonce")
        key = (int(channel["id"]), self.bot_id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce"):
            earlier = self.nonces.get(key)
            age = (self.now() - earlier[1]).total_seconds() if earlier is not None else None
            if earlier is not None and age is not None and age < NONCE_TTL_SECONDS:
                stored = self.state.messages.get(earlier[0])
                if stored is not None:
                    return copy.deepcopy(stored.data)
        message = self.build_message(channel, self.bot_user, payload, uploads)
        if nonce is not None:
            self.nonces[key] = (int(message["id"]), self.now())
        self.deliver(channel, message)
        return copy.deepcopy(message)
