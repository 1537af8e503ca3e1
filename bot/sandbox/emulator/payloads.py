"""The JSON shapes the emulator sends: READY, GUILD_CREATE, member chunks, channels, messages.

Each builder copies from the state, so what the bot receives never aliases the world.
`CoreBase` keeps a method for each, which is what route handlers and the gateway call.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from bot.sandbox.emulator.state import JSON, Guild, State, public_channel

if TYPE_CHECKING:
    from bot.sandbox.emulator.base import CoreBase

THREAD_TYPES = {10, 11, 12}


def ready_payload(core: CoreBase, session_id: str) -> JSON:
    return {
        "v": 10,
        "user": copy.deepcopy(core.bot_user),
        "guilds": [
            {"id": str(g.id), "unavailable": True} for g in core.state.guilds_of(core.bot_id)
        ],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": f"ws://{core.host_port}/gateway",
        "application": {"id": str(core.application_id), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "user_settings": {},
        "_trace": ["iopbot-emulator"],
    }


def guild_payload(guild: Guild) -> JSON:
    data = copy.deepcopy(guild.data)
    data["roles"] = [copy.deepcopy(r) for r in guild.roles.values()]
    data["approximate_member_count"] = len(guild.members)
    return data


def guild_create_payloads(core: CoreBase) -> list[JSON]:
    """One GUILD_CREATE body per guild the bot is in."""
    payloads = []
    for guild in core.state.guilds_of(core.bot_id):
        data = guild_payload(guild)
        data.update(guild_create_extras(core.state, guild, core.bot_id))
        payloads.append(data)
    return payloads


def guild_create_extras(state: State, guild: Guild, bot_id: int) -> JSON:
    """What GUILD_CREATE adds to a guild: members, channels and threads, events."""
    channels = state.guild_channels(guild.id)
    return {
        "joined_at": guild.members[bot_id]["joined_at"],
        "large": False,
        "unavailable": False,
        "member_count": len(guild.members),
        "voice_states": [],
        "members": [copy.deepcopy(m) for m in guild.members.values()],
        "channels": [
            channel_payload(c, in_guild_create=True)
            for c in channels
            if c["type"] not in THREAD_TYPES
        ],
        "threads": [channel_payload(c) for c in channels if c["type"] in THREAD_TYPES],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [
            copy.deepcopy(e)
            for e in state.scheduled_events.values()
            if e["guild_id"] == str(guild.id)
        ],
        "soundboard_sounds": [],
    }


def member_chunk(state: State, request: JSON) -> JSON:
    """GUILD_MEMBERS_CHUNK for a REQUEST_GUILD_MEMBERS (by ids, or by name prefix)."""
    guild = state.guilds.get(int(request.get("guild_id", 0)))
    members = [] if guild is None else list(guild.members.values())
    wanted = request.get("user_ids")
    if wanted is not None:
        ids = {int(u) for u in (wanted if isinstance(wanted, list) else [wanted])}
        members = [m for m in members if int(m["user"]["id"]) in ids]
    query = str(request.get("query") or "").casefold()
    if query:
        members = [m for m in members if m["user"]["username"].casefold().startswith(query)]
    limit = int(request.get("limit") or 0)
    if limit:
        members = members[:limit]
    chunk: JSON = {
        "guild_id": request.get("guild_id"),
        "members": copy.deepcopy(members),
        "chunk_index": 0,
        "chunk_count": 1,
    }
    if request.get("nonce") is not None:
        chunk["nonce"] = request["nonce"]
    return chunk


def channel_payload(channel: JSON, *, in_guild_create: bool = False) -> JSON:
    data = public_channel(channel)
    if in_guild_create:
        data.pop("guild_id", None)
    return data


def gateway_message(state: State, message: JSON) -> JSON:
    """A message as MESSAGE_CREATE/UPDATE carries it: with the author's `member` in a guild."""
    data = copy.deepcopy(message)
    guild_id = data.get("guild_id")
    if guild_id is not None:
        guild = state.guilds.get(int(guild_id))
        member = None if guild is None else guild.members.get(int(data["author"]["id"]))
        if member is not None:
            data["member"] = {k: copy.deepcopy(v) for k, v in member.items() if k != "user"}
    return data


def normalise_embeds(embeds: list[JSON]) -> list[JSON]:
    shown = []
    for embed in embeds:
        item = copy.deepcopy(embed)
        item.setdefault("type", "rich")
        for embed_field in item.get("fields") or []:
            embed_field.setdefault("inline", False)
        shown.append(item)
    return shown
