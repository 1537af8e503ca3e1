"""AutoMod on user messages: keyword rules that block, alert or time out, like Discord."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.sandbox.emulator.state import JSON, iso

if TYPE_CHECKING:
    from bot.sandbox.emulator.core import EmulatorCore

KEYWORD = 1
BLOCK_MESSAGE, SEND_ALERT, TIMEOUT = 1, 2, 3


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Discord's wildcards: `*cat*` anywhere, `cat*` prefix, `*cat` suffix, `cat` whole word."""
    core = re.escape(keyword.strip("*"))
    left = r"" if keyword.startswith("*") else r"\b"
    right = r"" if keyword.endswith("*") else r"\b"
    return re.compile(left + core + right, re.IGNORECASE)


def matching_keyword(rule: JSON, content: str) -> str | None:
    metadata = rule.get("trigger_metadata") or {}
    allowed = [keyword_pattern(k) for k in metadata.get("allow_list") or []]
    for keyword in metadata.get("keyword_filter") or []:
        found = keyword_pattern(str(keyword)).search(content)
        if found and not any(a.search(found.group(0)) for a in allowed):
            return found.group(0)
    for pattern in metadata.get("regex_patterns") or []:
        found = re.search(str(pattern), content, re.IGNORECASE)
        if found:
            return found.group(0)
    return None


def apply_automod(core: EmulatorCore, channel: JSON, user_id: int, content: str) -> bool:
    """Run the guild's enabled keyword rules; True when the message is blocked."""
    guild = core.state.guild_of_channel(channel)
    if guild is None:
        return False
    member = guild.members.get(user_id)
    roles = set(member["roles"]) if member else set()
    blocked = False
    for rule in list(core.state.automod_rules.values()):
        if rule["guild_id"] != str(guild.id) or not rule["enabled"]:
            continue
        if rule["trigger_type"] != KEYWORD or channel["id"] in rule["exempt_channels"]:
            continue
        if roles & set(rule["exempt_roles"]) or user_id == guild.owner_id:
            continue
        matched = matching_keyword(rule, content)
        if matched is None:
            continue
        for action in rule["actions"]:
            blocked |= action["type"] == BLOCK_MESSAGE
            if action["type"] == TIMEOUT and member is not None:
                seconds = int((action.get("metadata") or {}).get("duration_seconds", 60))
                member["communication_disabled_until"] = iso(
                    core.now() + timedelta(seconds=seconds)
                )
                core.dispatch_member_update(guild, member)
            core.gateway.dispatch(
                "AUTO_MODERATION_ACTION_EXECUTION",
                {
                    "guild_id": str(guild.id),
                    "action": action,
                    "rule_id": rule["id"],
                    "rule_trigger_type": rule["trigger_type"],
                    "user_id": str(user_id),
                    "channel_id": channel["id"],
                    "content": content,
                    "matched_keyword": matched,
                    "matched_content": matched,
                },
            )
    return blocked
