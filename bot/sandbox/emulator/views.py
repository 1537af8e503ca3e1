"""How the emulator shows things: message summaries, and the bot's default permissions."""

from __future__ import annotations

import copy

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.state import JSON
from bot.sandbox.emulator.transcript import simple_components, simple_embeds

# What an admin grants iopbot's managed role when inviting it.
BOT_PERMISSIONS = (
    perm.VIEW_CHANNEL
    | perm.SEND_MESSAGES
    | perm.SEND_MESSAGES_IN_THREADS
    | perm.EMBED_LINKS
    | perm.ATTACH_FILES
    | perm.READ_MESSAGE_HISTORY
    | perm.ADD_REACTIONS
    | perm.MANAGE_MESSAGES
    | perm.MANAGE_CHANNELS
    | perm.MANAGE_ROLES
    | perm.MANAGE_EVENTS
    | perm.CREATE_EVENTS
    | perm.MANAGE_GUILD
    | perm.MODERATE_MEMBERS
    | perm.MANAGE_THREADS
    | perm.CREATE_PUBLIC_THREADS
    | perm.CREATE_PRIVATE_THREADS
)


def summarise(message: JSON) -> JSON:
    """A message as tests and the control API show it."""
    return {
        "id": message["id"],
        "channel_id": message["channel_id"],
        "author_id": message["author"]["id"],
        "author": message["author"].get("global_name") or message["author"]["username"],
        "content": message.get("content") or "",
        "embeds": simple_embeds(message.get("embeds") or []),
        "components": simple_components(message.get("components") or []),
        "raw_components": copy.deepcopy(message.get("components") or []),
        "attachments": [a["filename"] for a in message.get("attachments") or []],
        "ephemeral": bool(int(message.get("flags") or 0) & 64),
        "timestamp": message["timestamp"],
        "edited_timestamp": message.get("edited_timestamp"),
        "is_dm": "guild_id" not in message,
        # Who the message really pinged (allowed_mentions applied; mentions.py).
        "mentions": [str(u["id"]) for u in message.get("mentions") or []],
        "mention_roles": [str(r) for r in message.get("mention_roles") or []],
        "mention_everyone": bool(message.get("mention_everyone")),
    }
