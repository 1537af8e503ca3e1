"""Interactions a user starts: slash commands, component clicks, modal submits, context menus.

Each builds the INTERACTION_CREATE payload Discord would send (member with permissions,
resolved users/channels/roles, the source message), dispatches it, then waits for the
bot's callback (and, after a defer, for its edit or follow-up).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.options import build_options, find_command, walk_components
from bot.sandbox.emulator.results import InteractionError, InteractionResult
from bot.sandbox.emulator.state import DM, JSON, Guild
from bot.sandbox.emulator.validation import modal_inputs

if TYPE_CHECKING:
    from bot.sandbox.emulator.base import CoreBase

APPLICATION_COMMAND, MESSAGE_COMPONENT, MODAL_SUBMIT = 2, 3, 5
RADIO_GROUP, CHECKBOX_GROUP, CHECKBOX = 21, 22, 23
ACK_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0
DEFERRED_UPDATE_GRACE = 1.0


@dataclass
class Pending:
    id: int
    token: str
    kind: int
    user_id: int
    channel_id: int
    guild_id: int | None
    payload: JSON
    message_type: int = 20
    source_message_id: int | None = None
    opened_by: Pending | None = None  # for a modal submit: the interaction that opened it
    created: float = field(default_factory=time.monotonic)
    acked: bool = False
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    result: InteractionResult = field(init=False)

    def __post_init__(self) -> None:
        self.result = InteractionResult(interaction_id=self.id)


class Interactions:
    def __init__(self, core: CoreBase) -> None:
        self.core = core
        self.by_id: dict[int, Pending] = {}
        self.by_token: dict[str, Pending] = {}
        self.open_modals: dict[int, list[tuple[JSON, Pending]]] = {}
        self.timeout = 10.0

    # ----- the user's side --------------------------------------------------------------

    async def slash(
        self,
        user_id: int,
        channel_id: int,
        command: str,
        options: dict[str, Any],
        *,
        check_visibility: bool = True,
    ) -> InteractionResult:
        channel = self._channel(channel_id)
        guild_id = self._guild_id(channel)
        parts = command.strip().lstrip("/").split()
        definition = find_command(self.core.state, guild_id, parts[0], kind=1)
        if definition is None:
            raise InteractionError(f"no slash command /{parts[0]} is registered (synced)")
        self._check_visible(definition, user_id, channel, check_visibility)
        resolved: JSON = {}
        data_options = build_options(self.core, definition, parts, options, guild_id, resolved)
        data: JSON = {
            "id": definition["id"],
            "name": definition["name"],
            "type": 1,
            "options": data_options,
        }
        if resolved:
            data["resolved"] = resolved
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        pending = self._start(APPLICATION_COMMAND, user_id, channel, data, message_type=20)
        return await self._wait(pending)

    async def context_menu(
        self, user_id: int, message_id: int, name: str, *, check_visibility: bool = True
    ) -> InteractionResult:
        stored = self._message(user_id, message_id)
        channel = self._channel(int(stored["channel_id"]))
        guild_id = self._guild_id(channel)
        definition = find_command(self.core.state, guild_id, name, kind=3)
        if definition is None:
            raise InteractionError(f"no message command {name!r} is registered (synced)")
        self._check_visible(definition, user_id, channel, check_visibility)
        data: JSON = {
            "id": definition["id"],
            "name": definition["name"],
            "type": 3,
            "target_id": stored["id"],
            "resolved": {"messages": {stored["id"]: copy.deepcopy(stored)}},
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        pending = self._start(APPLICATION_COMMAND, user_id, channel, data, message_type=23)
        return await self._wait(pending)

    async def click(
        self, user_id: int, message_id: int, custom_id: str, *, values: list[str] | None = None
    ) -> InteractionResult:
        message = self._message(user_id, message_id)
        component = next(
            (
                c
                for c in walk_components(message.get("components") or [])
                if c.get("custom_id") == custom_id
            ),
            None,
        )
        if component is None:
            raise InteractionError(f"message {message_id} has no component {custom_id!r}")
        if component.get("disabled"):
            raise InteractionError(f"component {custom_id!r} is disabled")
        data: JSON = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] != 2:
            data["values"] = list(values or [])
        elif values:
            raise InteractionError("a button takes no values")
        channel = self._channel(int(message["channel_id"]))
        pending = self._start(
            MESSAGE_COMPONENT, user_id, channel, data, message_type=0, source=message
        )
        return await self._wait(pending)

    async def submit_modal(
        self, user_id: int, custom_id: str, values: dict[str, Any]
    ) -> InteractionResult:
        opened = self.open_modals.get(user_id, [])
        match = next(((m, p) for m, p in reversed(opened) if m.get("custom_id") == custom_id), None)
        if match is None:
            shown = [m.get("custom_id") for m, _ in opened]
            raise InteractionError(f"no open form {custom_id!r} for this user (open: {shown})")
        modal, origin = match
        opened.remove(match)
        rows = [_fill_row(row, values) for row in modal.get("components") or []]
        data: JSON = {"custom_id": custom_id, "components": rows}
        channel = self._channel(origin.channel_id)
        source = None
        if origin.source_message_id is not None:
            stored = self.core.state.messages.get(origin.source_message_id)
            source = None if stored is None else stored.data
        pending = self._start(MODAL_SUBMIT, user_id, channel, data, message_type=0, source=source)
        pending.opened_by = origin
        return await self._wait(pending)

    # ----- building and dispatching -----------------------------------------------------

    def _channel(self, channel_id: int) -> JSON:
        channel = self.core.state.channels.get(channel_id)
        if channel is None:
            raise InteractionError(f"no channel {channel_id}")
        return channel

    @staticmethod
    def _guild_id(channel: JSON) -> int | None:
        return None if channel.get("guild_id") is None else int(channel["guild_id"])

    def _message(self, user_id: int, message_id: int) -> JSON:
        stored = self.core.state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise InteractionError(f"no message {message_id}")
        if stored.ephemeral and stored.recipient_id != user_id:
            raise InteractionError(f"message {message_id} is ephemeral and not shown to this user")
        return stored.data

    def _check_visible(self, definition: JSON, user_id: int, channel: JSON, check: bool) -> None:
        needed = definition.get("default_member_permissions")
        guild = self.core.state.guild_of_channel(channel)
        if not check or needed is None or guild is None:
            return
        have = perm.channel_permissions(guild, channel, user_id, self.core.now())
        if have & int(needed) != int(needed):
            raise InteractionError(
                f"/{definition['name']} is hidden from this user (default_member_permissions)"
            )

    def _start(
        self,
        kind: int,
        user_id: int,
        channel: JSON,
        data: JSON,
        *,
        message_type: int,
        source: JSON | None = None,
    ) -> Pending:
        core = self.core
        if user_id not in core.state.users:
            raise InteractionError(f"no user {user_id}")
        iid = core.state.ids.next()
        token = "interaction." + secrets.token_urlsafe(32)
        guild = core.state.guild_of_channel(channel)
        payload: JSON = {
            "id": str(iid),
            "application_id": str(core.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": channel["id"],
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": str(core.bot_channel_permissions(channel)),
        }
        self._add_context(payload, channel, guild, user_id)
        if source is not None:
            payload["message"] = copy.deepcopy(source)
        pending = Pending(
            id=iid,
            token=token,
            kind=kind,
            user_id=user_id,
            channel_id=int(channel["id"]),
            guild_id=None if guild is None else guild.id,
            payload=payload,
            message_type=message_type,
            source_message_id=None if source is None else int(source["id"]),
        )
        self.by_id[iid] = pending
        self.by_token[token] = pending
        core.gateway.dispatch("INTERACTION_CREATE", payload)
        return pending

    def _add_context(self, payload: JSON, channel: JSON, guild: Guild | None, user_id: int) -> None:
        """Who starts the interaction, where: a member with permissions, or a DM user."""
        core = self.core
        channel_data = core.channel_payload(channel)
        if guild is not None:
            member = guild.members.get(user_id)
            if member is None:
                raise InteractionError(f"user {user_id} is not a member of the guild")
            user_perms = perm.channel_permissions(
                guild, core.effective_channel(channel), user_id, core.now()
            )
            if not user_perms & perm.VIEW_CHANNEL:
                raise InteractionError(f"user {user_id} cannot see channel {channel['id']}")
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            payload["member"] = {**copy.deepcopy(member), "permissions": str(user_perms)}
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
            channel_data["permissions"] = str(user_perms)
        else:
            payload["user"] = copy.deepcopy(core.state.users[user_id])
            payload["context"] = 1 if channel["type"] == DM else 2
            payload["authorizing_integration_owners"] = {"0": "0"}
        payload["channel"] = channel_data

    async def _wait(self, pending: Pending) -> InteractionResult:
        try:
            await asyncio.wait_for(pending.answered.wait(), ACK_DEADLINE + 0.5)
        except TimeoutError:
            return pending.result
        if pending.result.response_type in (5, 6):
            grace = self.timeout if pending.result.response_type == 5 else DEFERRED_UPDATE_GRACE
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(pending.settled.wait(), grace)
        return pending.result

    # ----- lookups for the callback and webhook routes ----------------------------------

    def find_for_callback(self, interaction_id: int, token: str) -> Pending | None:
        pending = self.by_id.get(interaction_id)
        if pending is None or not secrets.compare_digest(pending.token, token):
            return None
        return pending

    def find_by_token(self, token: str) -> Pending | None:
        pending = self.by_token.get(token)
        if pending is None or time.monotonic() - pending.created > TOKEN_LIFETIME:
            return None
        return pending

    def open_modal(self, pending: Pending, modal: JSON) -> None:
        self.open_modals.setdefault(pending.user_id, []).append((copy.deepcopy(modal), pending))


def _fill_row(row: JSON, values: dict[str, Any]) -> JSON:
    """One submitted modal row, mirroring the modal's shape (action row or label)."""
    label = row.get("label")
    inputs = [_fill_input(item, values, label) for item in modal_inputs(row)]
    if row.get("type") == 1:
        return {"type": 1, "components": inputs}
    if row.get("type") == 18:
        return {"type": 18, "id": row.get("id"), "component": inputs[0]}
    return inputs[0]


def _fill_input(item: JSON, values: dict[str, Any], label: str | None) -> JSON:
    custom_id = item.get("custom_id")
    keys = [custom_id, item.get("label"), label]
    folded = {str(k).casefold(): v for k, v in values.items()}
    value = next(
        (folded[str(k).casefold()] for k in keys if k and str(k).casefold() in folded), None
    )
    if item.get("type") == 4:
        text = "" if value is None else str(value)
        if item.get("required", True) and not text:
            raise InteractionError(f"the form field {custom_id!r} is required")
        if len(text) > int(item.get("max_length") or 4000):
            raise InteractionError(f"the form field {custom_id!r} is too long")
        if text and len(text) < int(item.get("min_length") or 0):
            raise InteractionError(f"the form field {custom_id!r} is too short")
        return {"type": 4, "id": item.get("id"), "custom_id": custom_id, "value": text}
    if item.get("type") in (RADIO_GROUP, CHECKBOX_GROUP, CHECKBOX):
        return _fill_choice(item, value)
    chosen = [] if value is None else (value if isinstance(value, list) else [value])
    return {
        "type": item.get("type"),
        "id": item.get("id"),
        "custom_id": custom_id,
        "values": [str(v) for v in chosen],
    }


def _fill_choice(item: JSON, value: Any) -> JSON:
    """A radio group (``value``: one option or None), a checkbox group (``values``) or a
    checkbox (``value``: bool), as Discord sends them; a choice the form does not offer
    is refused like a client would never send it."""
    kind, custom_id = item.get("type"), item.get("custom_id")
    out: JSON = {"type": kind, "id": item.get("id"), "custom_id": custom_id}
    required = item.get("required", True)
    if kind == CHECKBOX:
        if value is None:
            value = bool(item.get("default", False))
        if not isinstance(value, bool):
            raise InteractionError(f"the checkbox {custom_id!r} takes true or false")
        out["value"] = value
        return out
    offered = [str(o.get("value")) for o in item.get("options") or []]
    chosen = [] if value is None else (value if isinstance(value, list) else [value])
    chosen = [str(v) for v in chosen]
    unknown = [v for v in chosen if v not in offered]
    if unknown:
        raise InteractionError(f"the form field {custom_id!r} has no option {unknown[0]!r}")
    if required and not chosen:
        raise InteractionError(f"the form field {custom_id!r} is required")
    if kind == RADIO_GROUP:
        if len(chosen) > 1:
            raise InteractionError(f"the form field {custom_id!r} takes one option")
        out["value"] = chosen[0] if chosen else None
    else:
        out["values"] = chosen
    return out
