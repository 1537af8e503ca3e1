"""REST: channels, messages, permission overwrites, and DM channels."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.core import THREAD_TYPES, EmulatorCore
from bot.sandbox.emulator.errors import (
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    ApiError,
    FormErrors,
    json_response,
    missing_permissions,
    no_content,
    not_found,
)
from bot.sandbox.emulator.routing import Call, Route
from bot.sandbox.emulator.state import DM, JSON, PRIVATE_THREAD, PUBLIC_THREAD

CHANNEL_EDITABLE = ("name", "topic", "nsfw", "rate_limit_per_user", "position", "parent_id")


async def get_channel(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    if channel["type"] != DM:
        emu.require_channel_permissions(channel, perm.VIEW_CHANNEL)
    return emu.channel_payload(channel)


async def edit_channel(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    if channel["type"] == DM:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    emu.require_channel_permissions(channel, perm.MANAGE_CHANNELS)
    body = call.json()
    if "name" in body and not 1 <= len(str(body["name"])) <= 100:
        errors = FormErrors()
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        errors.raise_if_any()
    for key in CHANNEL_EDITABLE:
        if key in body:
            channel[key] = body[key]
    if "permission_overwrites" in body:
        emu.require_channel_permissions(channel, perm.MANAGE_ROLES)
        channel["permission_overwrites"] = [
            normalise_overwrite(o) for o in body["permission_overwrites"]
        ]
    emu.gateway.dispatch("CHANNEL_UPDATE", emu.channel_payload(channel))
    return emu.channel_payload(channel)


async def delete_channel(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    if channel["type"] == DM:
        return emu.channel_payload(channel)
    if channel["type"] in THREAD_TYPES:
        emu.require_channel_permissions(channel, perm.MANAGE_THREADS)
        del emu.state.channels[int(channel["id"])]
        emu.gateway.dispatch(
            "THREAD_DELETE",
            {k: channel[k] for k in ("id", "guild_id", "parent_id", "type")},
        )
        return emu.channel_payload(channel)
    emu.require_channel_permissions(channel, perm.MANAGE_CHANNELS)
    del emu.state.channels[int(channel["id"])]
    emu.gateway.dispatch("CHANNEL_DELETE", emu.channel_payload(channel))
    return emu.channel_payload(channel)


def normalise_overwrite(overwrite: JSON) -> JSON:
    return {
        "id": str(overwrite["id"]),
        "type": int(overwrite.get("type", 0)),
        "allow": str(overwrite.get("allow", "0")),
        "deny": str(overwrite.get("deny", "0")),
    }


async def put_overwrite(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    emu.require_channel_permissions(channel, perm.MANAGE_ROLES)
    body = call.json()
    target = call.snowflake("overwrite_id")
    allow, deny = int(body.get("allow", 0)), int(body.get("deny", 0))
    guild = emu.state.guild_of_channel(channel)
    bot_perms = (
        0 if guild is None else perm.channel_permissions(guild, channel, emu.bot_id, emu.now())
    )
    if (allow | deny) & ~bot_perms and bot_perms != perm.ALL:
        raise missing_permissions()
    rest = [o for o in channel["permission_overwrites"] if o["id"] != str(target)]
    rest.append(normalise_overwrite({"id": target, **body}))
    channel["permission_overwrites"] = rest
    emu.gateway.dispatch("CHANNEL_UPDATE", emu.channel_payload(channel))
    return None


async def delete_overwrite(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    emu.require_channel_permissions(channel, perm.MANAGE_ROLES)
    target = call.params["overwrite_id"]
    channel["permission_overwrites"] = [
        o for o in channel["permission_overwrites"] if o["id"] != target
    ]
    emu.gateway.dispatch("CHANNEL_UPDATE", emu.channel_payload(channel))
    return None


def _readable_channel(emu: EmulatorCore, call: Call) -> JSON:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    if channel["type"] != DM:
        emu.require_channel_permissions(channel, perm.VIEW_CHANNEL | perm.READ_MESSAGE_HISTORY)
    return channel


def _as_fetched(message: JSON) -> JSON:
    """A stored message as a later GET returns it: Discord keeps no nonce with a message
    (only the create response and MESSAGE_CREATE carry it)."""
    fetched = copy.deepcopy(message)
    fetched.pop("nonce", None)
    return fetched


async def list_messages(emu: EmulatorCore, call: Call) -> Any:
    channel = _readable_channel(emu, call)
    messages = emu.state.messages_in(int(channel["id"]))
    limit = int(call.query("limit") or 50)
    if not 1 <= limit <= 100:
        errors = FormErrors()
        errors.add(("limit",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 100.")
        errors.raise_if_any()
    before, after, around = call.query("before"), call.query("after"), call.query("around")
    if before is not None:
        messages = [m for m in messages if int(m["id"]) < int(before)]
    if after is not None:
        messages = [m for m in messages if int(m["id"]) > int(after)]
        return [_as_fetched(m) for m in reversed(messages[:limit])]
    if around is not None:
        older = [m for m in messages if int(m["id"]) <= int(around)][-(limit // 2 + 1) :]
        newer = [m for m in messages if int(m["id"]) > int(around)][: limit // 2]
        messages = older + newer
    # Newest first, like Discord.
    return [_as_fetched(m) for m in reversed(messages[-limit:])]


async def get_message(emu: EmulatorCore, call: Call) -> Any:
    channel = _readable_channel(emu, call)
    stored = emu.state.live_message(int(channel["id"]), call.snowflake("message_id"))
    if stored is None or stored.ephemeral:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    return _as_fetched(stored.data)


async def create_message(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    return emu.send_bot_message(channel, call.json() if call.body is not None else {}, call.files)


async def edit_message(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    stored = emu.state.live_message(int(channel["id"]), call.snowflake("message_id"))
    if stored is None or stored.ephemeral:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    if stored.data["author"]["id"] != str(emu.bot_id):
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    return emu.edit_message(channel, stored, call.json(), call.files)


async def delete_message(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    stored = emu.state.live_message(int(channel["id"]), call.snowflake("message_id"))
    if stored is None or stored.ephemeral:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    own = stored.data["author"]["id"] == str(emu.bot_id)
    if not own and channel["type"] == DM:
        raise ApiError(403, 50003, "Cannot execute action on a DM channel")
    if not own:
        emu.require_channel_permissions(channel, perm.MANAGE_MESSAGES)
    emu.delete_message(channel, stored)
    return None


async def create_dm(emu: EmulatorCore, call: Call) -> Any:
    body = call.json()
    recipient = int(body.get("recipient_id") or 0)
    if recipient not in emu.state.users:
        raise not_found(UNKNOWN_USER, "User")
    if recipient == emu.bot_id:
        raise ApiError(400, 50007, "Cannot send messages to this user")
    return emu.channel_payload(emu.state.dm_channel(recipient, emu.bot_user))


ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


async def create_thread(emu: EmulatorCore, call: Call) -> Any:
    """POST /channels/{id}/threads without a starting message (a text channel's thread).

    As Discord: a public thread needs Create Public Threads in the parent, a private one
    Create Private Threads; the thread takes its permissions from the parent (so a thread
    in a staff-only channel is staff-only). Answers with the thread channel and sends
    THREAD_CREATE (``newly_created``) on the gateway.
    """
    parent = emu.channel_or_404(call.snowflake("channel_id"))
    if parent["type"] not in (0, 5):
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    body = call.json()
    kind = int(body.get("type", PRIVATE_THREAD))
    name = str(body.get("name") or "")
    duration = int(body.get("auto_archive_duration") or 4320)
    errors = FormErrors()
    if not 1 <= len(name) <= 100:
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    if kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
        errors.add(("type",), "BASE_TYPE_CHOICES", "Value must be one of (11, 12).")
    if duration not in ARCHIVE_DURATIONS:
        errors.add(
            ("auto_archive_duration",),
            "BASE_TYPE_CHOICES",
            "Value must be one of (60, 1440, 4320, 10080).",
        )
    errors.raise_if_any()
    needed = perm.CREATE_PUBLIC_THREADS if kind == PUBLIC_THREAD else perm.CREATE_PRIVATE_THREADS
    emu.require_channel_permissions(parent, needed)
    guild = emu.guild_or_404(int(parent["guild_id"]))
    thread = emu.state.add_channel(guild, name, kind=kind, parent_id=int(parent["id"]))
    for key in ("permission_overwrites", "topic", "nsfw", "position"):
        thread.pop(key, None)
    now = emu.now().isoformat()
    thread.update(
        {
            "owner_id": str(emu.bot_id),
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": duration,
                "archive_timestamp": now,
                "locked": False,
                "create_timestamp": now,
                **(
                    {"invitable": bool(body.get("invitable", True))}
                    if kind == PRIVATE_THREAD
                    else {}
                ),
            },
        }
    )
    payload = emu.channel_payload(thread)
    # The creator is the thread's first member (Discord's CreatedThreadResponse).
    payload["member"] = {
        "id": thread["id"],
        "user_id": str(emu.bot_id),
        "join_timestamp": now,
        "flags": 0,
    }
    emu.gateway.dispatch("THREAD_CREATE", {**payload, "newly_created": True})
    return json_response(payload, status=201)  # as Discord (the spec documents 201)


async def typing(emu: EmulatorCore, call: Call) -> Any:
    channel = emu.channel_or_404(call.snowflake("channel_id"))
    emu.check_can_send(channel, {}, [])
    return no_content()


CH = "/channels/{channel_id}"
ROUTES = [
    Route("GET", CH, get_channel, major=("channel_id",)),
    Route("PATCH", CH, edit_channel, limit=10, period=10, major=("channel_id",)),
    Route("DELETE", CH, delete_channel, limit=5, period=5, major=("channel_id",)),
    Route("PUT", CH + "/permissions/{overwrite_id}", put_overwrite, 10, 10, ("channel_id",)),
    Route("DELETE", CH + "/permissions/{overwrite_id}", delete_overwrite, 10, 10, ("channel_id",)),
    Route("GET", CH + "/messages", list_messages, 5, 1, ("channel_id",)),
    Route("POST", CH + "/messages", create_message, 5, 5, ("channel_id",)),
    Route("GET", CH + "/messages/{message_id}", get_message, 5, 1, ("channel_id",)),
    Route("PATCH", CH + "/messages/{message_id}", edit_message, 5, 5, ("channel_id",)),
    Route("DELETE", CH + "/messages/{message_id}", delete_message, 5, 1, ("channel_id",)),
    Route("POST", CH + "/typing", typing, 5, 5, ("channel_id",)),
    Route("POST", CH + "/threads", create_thread, 10, 10, ("channel_id",)),
    Route("POST", "/users/@me/channels", create_dm, limit=10, period=10),
]
