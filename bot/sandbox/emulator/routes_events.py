"""REST: guild scheduled events and AutoMod rules."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.core import EmulatorCore
from bot.sandbox.emulator.errors import (
    UNKNOWN_AUTOMOD_RULE,
    UNKNOWN_EVENT,
    FormErrors,
    no_content,
    not_found,
)
from bot.sandbox.emulator.routing import Call, Route
from bot.sandbox.emulator.state import JSON, Guild

STAGE, VOICE, EXTERNAL = 1, 2, 3
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
EVENT_FIELDS = (
    "name",
    "description",
    "scheduled_start_time",
    "scheduled_end_time",
    "privacy_level",
    "entity_type",
    "entity_metadata",
    "channel_id",
    "status",
    "image",
    "recurrence_rule",
)


def _event_or_404(emu: EmulatorCore, guild: Guild, event_id: int) -> JSON:
    event = emu.state.scheduled_events.get(event_id)
    if event is None or event["guild_id"] != str(guild.id):
        raise not_found(UNKNOWN_EVENT, "Guild Scheduled Event")
    return event


def _validate_event(emu: EmulatorCore, event: JSON, *, creating: bool) -> None:
    errors = FormErrors()
    name = str(event.get("name") or "")
    if not 1 <= len(name) <= 100:
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    if event.get("description") and len(str(event["description"])) > 1000:
        errors.too_long(("description",), 1000)
    start = _parse_time(errors, event, "scheduled_start_time")
    end = _parse_time(errors, event, "scheduled_end_time")
    if creating and start is not None and start < emu.now():
        errors.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
            "Cannot schedule event in the past.",
        )
    if start is not None and end is not None and end <= start:
        errors.add(("scheduled_end_time",), "BASE_TYPE_BAD_TIME", "End must be after start.")
    if int(event.get("entity_type") or 0) == EXTERNAL:
        location = (event.get("entity_metadata") or {}).get("location")
        if not location:
            errors.add(
                ("entity_metadata", "location"), "BASE_TYPE_REQUIRED", "This field is required"
            )
        elif len(str(location)) > 100:
            errors.too_long(("entity_metadata", "location"), 100)
        if end is None:
            errors.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required")
    elif not event.get("channel_id"):
        errors.add(("channel_id",), "BASE_TYPE_REQUIRED", "This field is required")
    errors.raise_if_any()


def _parse_time(errors: FormErrors, event: JSON, key: str) -> datetime | None:
    value = event.get(key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        errors.add((key,), "DATE_TYPE_PARSE", "Could not parse date.")
        return None
    if moment.tzinfo is None:
        errors.add((key,), "DATE_TYPE_PARSE", "Could not parse date.")
        return None
    return moment


async def list_events(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return [
        copy.deepcopy(e)
        for e in emu.state.scheduled_events.values()
        if e["guild_id"] == str(guild.id)
    ]


async def get_event(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    return copy.deepcopy(_event_or_404(emu, guild, call.snowflake("event_id")))


async def create_event(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_EVENTS)
    body = call.json()
    _validate_event(emu, body, creating=True)
    eid = emu.state.ids.next()
    event: JSON = {
        "id": str(eid),
        "guild_id": str(guild.id),
        "channel_id": None,
        "creator_id": str(emu.bot_id),
        "creator": copy.deepcopy(emu.bot_user),
        "description": None,
        "scheduled_end_time": None,
        "entity_id": None,
        "entity_metadata": None,
        "user_count": 0,
        "image": None,
        "recurrence_rule": None,
        "guild_scheduled_event_exceptions": [],
        "status": SCHEDULED,
        "privacy_level": 2,
    }
    event.update({k: copy.deepcopy(body[k]) for k in EVENT_FIELDS if k in body})
    event["status"] = SCHEDULED
    emu.state.scheduled_events[eid] = event
    emu.gateway.dispatch("GUILD_SCHEDULED_EVENT_CREATE", copy.deepcopy(event))
    return copy.deepcopy(event)


async def edit_event(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_EVENTS)
    event = _event_or_404(emu, guild, call.snowflake("event_id"))
    body = call.json()
    updated = {**event, **{k: copy.deepcopy(body[k]) for k in EVENT_FIELDS if k in body}}
    _validate_event(emu, updated, creating=False)
    if "status" in body:
        _check_status_change(int(event["status"]), int(body["status"]))
    event.update(updated)
    emu.gateway.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", copy.deepcopy(event))
    return copy.deepcopy(event)


def _check_status_change(old: int, new: int) -> None:
    allowed = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}
    if new not in allowed.get(old, {old}):
        errors = FormErrors()
        errors.add(("status",), "GUILD_SCHEDULED_EVENT_INVALID_STATUS", "Invalid status change.")
        errors.raise_if_any()


async def delete_event(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_EVENTS)
    event = _event_or_404(emu, guild, call.snowflake("event_id"))
    del emu.state.scheduled_events[int(event["id"])]
    emu.gateway.dispatch("GUILD_SCHEDULED_EVENT_DELETE", copy.deepcopy(event))
    return no_content()


def _rule_or_404(emu: EmulatorCore, guild: Guild, rule_id: int) -> JSON:
    rule = emu.state.automod_rules.get(rule_id)
    if rule is None or rule["guild_id"] != str(guild.id):
        raise not_found(UNKNOWN_AUTOMOD_RULE, "auto moderation rule")
    return rule


def _validate_rule(rule: JSON) -> None:
    errors = FormErrors()
    if not 1 <= len(str(rule.get("name") or "")) <= 100:
        errors.add(("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    metadata = rule.get("trigger_metadata") or {}
    keywords = metadata.get("keyword_filter") or []
    if len(keywords) > 1000:
        errors.too_long(("trigger_metadata", "keyword_filter"), 1000)
    for index, keyword in enumerate(keywords):
        if len(str(keyword)) > 60:
            errors.too_long(("trigger_metadata", "keyword_filter", index), 60)
    if len(metadata.get("regex_patterns") or []) > 10:
        errors.too_long(("trigger_metadata", "regex_patterns"), 10)
    if not rule.get("actions"):
        errors.add(("actions",), "BASE_TYPE_REQUIRED", "This field is required")
    errors.raise_if_any()


async def list_rules(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_GUILD)
    return [
        copy.deepcopy(r) for r in emu.state.automod_rules.values() if r["guild_id"] == str(guild.id)
    ]


async def get_rule(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_GUILD)
    return copy.deepcopy(_rule_or_404(emu, guild, call.snowflake("rule_id")))


async def create_rule(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_GUILD)
    body = call.json()
    _validate_rule(body)
    rid = emu.state.ids.next()
    rule: JSON = {
        "id": str(rid),
        "guild_id": str(guild.id),
        "name": body["name"],
        "creator_id": str(emu.bot_id),
        "event_type": int(body.get("event_type", 1)),
        "trigger_type": int(body.get("trigger_type", 1)),
        "trigger_metadata": copy.deepcopy(body.get("trigger_metadata") or {}),
        "actions": copy.deepcopy(body.get("actions") or []),
        "enabled": bool(body.get("enabled", False)),
        "exempt_roles": [str(r) for r in body.get("exempt_roles") or []],
        "exempt_channels": [str(c) for c in body.get("exempt_channels") or []],
    }
    emu.state.automod_rules[rid] = rule
    emu.gateway.dispatch("AUTO_MODERATION_RULE_CREATE", copy.deepcopy(rule))
    return copy.deepcopy(rule)


async def edit_rule(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_GUILD)
    rule = _rule_or_404(emu, guild, call.snowflake("rule_id"))
    body = call.json()
    editable = ("name", "event_type", "trigger_metadata", "actions", "enabled")
    updated = {**rule, **{k: copy.deepcopy(body[k]) for k in editable if k in body}}
    for key in ("exempt_roles", "exempt_channels"):
        if key in body:
            updated[key] = [str(x) for x in body[key] or []]
    _validate_rule(updated)
    rule.update(updated)
    emu.gateway.dispatch("AUTO_MODERATION_RULE_UPDATE", copy.deepcopy(rule))
    return copy.deepcopy(rule)


async def delete_rule(emu: EmulatorCore, call: Call) -> Any:
    guild = emu.guild_or_404(call.snowflake("guild_id"))
    emu.require_guild_permissions(guild, perm.MANAGE_GUILD)
    rule = _rule_or_404(emu, guild, call.snowflake("rule_id"))
    del emu.state.automod_rules[int(rule["id"])]
    emu.gateway.dispatch("AUTO_MODERATION_RULE_DELETE", copy.deepcopy(rule))
    return no_content()


G = "/guilds/{guild_id}"
EV = G + "/scheduled-events"
AM = G + "/auto-moderation/rules"
ROUTES = [
    Route("GET", EV, list_events, major=("guild_id",)),
    Route("POST", EV, create_event, 10, 10, ("guild_id",)),
    Route("GET", EV + "/{event_id}", get_event, major=("guild_id",)),
    Route("PATCH", EV + "/{event_id}", edit_event, 10, 10, ("guild_id",)),
    Route("DELETE", EV + "/{event_id}", delete_event, 10, 10, ("guild_id",)),
    Route("GET", AM, list_rules, major=("guild_id",)),
    Route("POST", AM, create_rule, 10, 10, ("guild_id",)),
    Route("GET", AM + "/{rule_id}", get_rule, major=("guild_id",)),
    Route("PATCH", AM + "/{rule_id}", edit_rule, 10, 10, ("guild_id",)),
    Route("DELETE", AM + "/{rule_id}", delete_rule, 10, 10, ("guild_id",)),
]
