"""REST: interaction callbacks (3-second rule, 40060), follow-ups and `@original`."""

from __future__ import annotations

import copy
import time
from typing import Any

from bot.sandbox.emulator.core import EmulatorCore
from bot.sandbox.emulator.errors import (
    ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    FormErrors,
    no_content,
    not_found,
)
from bot.sandbox.emulator.interactions import (
    ACK_DEADLINE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Pending,
)
from bot.sandbox.emulator.messages import EPHEMERAL, LOADING
from bot.sandbox.emulator.results import InteractionResult
from bot.sandbox.emulator.routing import Call, Route, Upload
from bot.sandbox.emulator.state import JSON, StoredMessage
from bot.sandbox.emulator.validation import check_message, check_modal

MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL = 4, 5, 6, 7, 9


def _invalid(message: str) -> ApiError:
    errors = FormErrors()
    errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", message)
    return ApiError(400, 50035, "Invalid Form Body", errors.errors)


def _interaction_message(
    emu: EmulatorCore, pending: Pending, data: JSON, uploads: list[Upload], *, flags: int = 0
) -> StoredMessage:
    channel = emu.state.channels[pending.channel_id]
    user = emu.state.users[pending.user_id]
    extra = {
        "webhook_id": str(emu.application_id),
        "application_id": str(emu.application_id),
        "interaction_metadata": interaction_metadata(pending, user),
    }
    message = emu.build_message(
        channel,
        emu.bot_user,
        data,
        uploads,
        message_type=pending.message_type,
        flags=flags,
        extra=extra,
    )
    ephemeral = bool(int(message["flags"]) & EPHEMERAL)
    loading = bool(flags & LOADING)
    return emu.deliver(
        channel, message, ephemeral=ephemeral, recipient_id=pending.user_id, record=not loading
    )


def interaction_metadata(pending: Pending, user: JSON) -> JSON:
    """`interaction_metadata` on a response message, with what each interaction type adds."""
    meta: JSON = {
        "id": str(pending.id),
        "type": pending.kind,
        "user": copy.deepcopy(user),
        "authorizing_integration_owners": pending.payload["authorizing_integration_owners"],
    }
    if pending.kind == MESSAGE_COMPONENT and pending.source_message_id is not None:
        meta["interacted_message_id"] = str(pending.source_message_id)
    if pending.kind == MODAL_SUBMIT and pending.opened_by is not None:
        meta["triggering_interaction_metadata"] = interaction_metadata(pending.opened_by, user)
    return meta


def _show(result: InteractionResult, message: JSON) -> None:
    result.content = message.get("content")
    result.embeds = copy.deepcopy(message.get("embeds") or [])
    result.components = copy.deepcopy(message.get("components") or [])
    result.ephemeral = bool(int(message.get("flags") or 0) & EPHEMERAL)
    result.message_id = int(message["id"])


async def callback(emu: EmulatorCore, call: Call) -> Any:
    pending = _pending_for_callback(emu, call)
    body = call.json()
    kind = int(body.get("type", 0))
    resource, response_id = _respond(emu, pending, kind, body.get("data") or {}, call.files)
    pending.acked = True
    pending.result.response_type = kind
    pending.answered.set()
    if kind in (MESSAGE, UPDATE_MESSAGE, MODAL):
        pending.settled.set()
    interaction: JSON = {
        "id": str(pending.id),
        "type": pending.kind,
        "response_message_loading": kind == DEFERRED_MESSAGE,
        "response_message_ephemeral": pending.result.ephemeral,
    }
    if response_id is not None:
        interaction["response_message_id"] = str(response_id)
    if call.query("with_response") in ("1", "true", "True"):
        # Only a callback that made or changed a message has a resource to show.
        if "message" not in resource:
            return {"interaction": interaction}
        return {"interaction": interaction, "resource": resource}
    return no_content()


def _pending_for_callback(emu: EmulatorCore, call: Call) -> Pending:
    """The interaction being answered: 10062 if unknown or past 3 seconds, 40060 if answered."""
    pending = emu.interactions.find_for_callback(
        call.snowflake("interaction_id"), call.params["interaction_token"]
    )
    if pending is None:
        raise not_found(UNKNOWN_INTERACTION, "interaction")
    if pending.acked:
        raise ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
    if time.monotonic() - pending.created > ACK_DEADLINE:
        raise not_found(UNKNOWN_INTERACTION, "interaction")
    return pending


def _respond(
    emu: EmulatorCore, pending: Pending, kind: int, data: JSON, uploads: list[Upload]
) -> tuple[JSON, int | None]:
    """Carry out a callback of type `kind`: its `resource`, and the response message's id."""
    resource: JSON = {"type": kind}
    response_id: int | None = None
    if kind == MESSAGE:
        check_message(data, has_files=bool(uploads))
        stored = _interaction_message(emu, pending, data, uploads)
        _show(pending.result, stored.data)
        pending.original_message_id = response_id = int(stored.data["id"])
        resource["message"] = copy.deepcopy(stored.data)
    elif kind == DEFERRED_MESSAGE:
        flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
        stored = _interaction_message(emu, pending, {}, [], flags=flags)
        pending.result.ephemeral = bool(flags & EPHEMERAL)
        pending.original_message_id = response_id = int(stored.data["id"])
        # Discord shows the message only for types 4 and 7; a deferred one is still loading.
    elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE):
        if pending.source_message_id is None:
            raise _invalid("This response type needs a message interaction.")
        pending.original_message_id = pending.source_message_id
        if kind == UPDATE_MESSAGE:
            stored_source = emu.state.messages[pending.source_message_id]
            channel = emu.state.channels[int(stored_source.data["channel_id"])]
            updated = emu.edit_message(channel, stored_source, data, uploads)
            _show(pending.result, updated)
            resource["message"] = updated
    elif kind == MODAL:
        _open_modal(emu, pending, data)
    else:
        raise _invalid(f"Unsupported interaction response type {kind}.")
    return resource, response_id


def _open_modal(emu: EmulatorCore, pending: Pending, modal: JSON) -> None:
    if pending.kind == MODAL_SUBMIT:
        raise _invalid("A modal cannot open another modal.")
    check_modal(modal)
    emu.interactions.open_modal(pending, modal)
    pending.result.modal = copy.deepcopy(modal)
    emu.transcript.record_modal(
        channel_id=pending.channel_id,
        channel=emu.state.channel_label(pending.channel_id),
        recipient_id=pending.user_id,
        modal=modal,
    )


def _webhook_pending(emu: EmulatorCore, call: Call) -> Pending:
    if call.params["webhook_id"] != str(emu.application_id):
        raise not_found(UNKNOWN_WEBHOOK, "Webhook")
    pending = emu.interactions.find_by_token(call.params["webhook_token"])
    if pending is None or not pending.acked:
        raise not_found(UNKNOWN_WEBHOOK, "Webhook")
    return pending


def _target(emu: EmulatorCore, pending: Pending, message_id: str) -> StoredMessage:
    if message_id == "@original":
        wanted = pending.original_message_id
    else:
        wanted = int(message_id) if message_id.isdigit() else None
        allowed = {pending.original_message_id, *pending.followup_ids}
        if wanted not in allowed:
            wanted = None
    stored = None if wanted is None else emu.state.messages.get(wanted)
    if stored is None or stored.deleted:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    return stored


async def followup(emu: EmulatorCore, call: Call) -> Any:
    pending = _webhook_pending(emu, call)
    data = call.json()
    check_message(data, has_files=bool(call.files))
    original = None
    if pending.original_message_id is not None and pending.result.response_type == DEFERRED_MESSAGE:
        original = emu.state.messages.get(pending.original_message_id)
    if original is not None and int(original.data["flags"]) & LOADING:
        # The first follow-up after a "thinking" defer replaces the loading message.
        channel = emu.state.channels[int(original.data["channel_id"])]
        message = emu.edit_message(channel, original, data, call.files)
        _show(pending.result, message)
    else:
        stored = _interaction_message(emu, pending, data, call.files)
        message = copy.deepcopy(stored.data)
        pending.followup_ids.append(int(message["id"]))
        pending.result.followups.append(
            {
                "id": message["id"],
                "content": message.get("content"),
                "embeds": message.get("embeds"),
                "components": message.get("components"),
                "ephemeral": bool(int(message["flags"]) & EPHEMERAL),
                "attachments": [a["filename"] for a in message.get("attachments") or []],
            }
        )
    pending.settled.set()
    if call.query("wait") in ("1", "true", "True"):
        return message
    return no_content()


async def get_webhook_message(emu: EmulatorCore, call: Call) -> Any:
    pending = _webhook_pending(emu, call)
    return copy.deepcopy(_target(emu, pending, call.params["message_id"]).data)


async def edit_webhook_message(emu: EmulatorCore, call: Call) -> Any:
    pending = _webhook_pending(emu, call)
    stored = _target(emu, pending, call.params["message_id"])
    channel = emu.state.channels[int(stored.data["channel_id"])]
    message = emu.edit_message(channel, stored, call.json(), call.files)
    if int(message["id"]) == pending.original_message_id:
        _show(pending.result, message)
    pending.settled.set()
    return message


async def delete_webhook_message(emu: EmulatorCore, call: Call) -> Any:
    pending = _webhook_pending(emu, call)
    stored = _target(emu, pending, call.params["message_id"])
    channel = emu.state.channels[int(stored.data["channel_id"])]
    emu.delete_message(channel, stored)
    pending.settled.set()
    return no_content()


WH = "/webhooks/{webhook_id}/{webhook_token}"


def _token_route(method: str, template: str, handler: Any, limit: int, period: float) -> Route:
    """Interaction webhooks: keyed by token, no bot auth, outside the global limit."""
    return Route(
        method,
        template,
        handler,
        limit,
        period,
        ("webhook_id", "webhook_token"),
        needs_auth=False,
        global_exempt=True,
    )


ROUTES = [
    Route(
        "POST",
        "/interactions/{interaction_id}/{interaction_token}/callback",
        callback,
        limit=50,
        period=1,
        major=("interaction_id",),
        needs_auth=False,
        global_exempt=True,
    ),
    _token_route("POST", WH, followup, 5, 2),
    _token_route("GET", WH + "/messages/{message_id}", get_webhook_message, 50, 1),
    _token_route("PATCH", WH + "/messages/{message_id}", edit_webhook_message, 5, 2),
    _token_route("DELETE", WH + "/messages/{message_id}", delete_webhook_message, 5, 2),
]
