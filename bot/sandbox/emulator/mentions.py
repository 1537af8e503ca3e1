"""Who a message really pings: Discord's `allowed_mentions` rules.

A message's `mentions`, `mention_roles` and `mention_everyone` say who was notified, not
what the text looks like. Discord's rules, as the emulator applies them:

- no `allowed_mentions`: every `<@user>`, `<@&role>` and `@everyone`/`@here` in the
  content may ping, and a reply pings the author of the message it answers;
- with `allowed_mentions`: a user pings only if "users" is in `parse` or the id is in
  `users`; a role only if "roles" is in `parse` or the id is in `roles`; `@everyone` and
  `@here` only if "everyone" is in `parse`; the replied-to author only if `replied_user`
  is true. `parse: ["users"]` together with a `users` list is a 50035 (the same for
  roles);
- a role pings only if it is mentionable or the author may mention everyone, and
  `@everyone`/`@here` only if the author has MENTION_EVERYONE in the channel.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.errors import FormErrors

if TYPE_CHECKING:
    from bot.sandbox.emulator.base import CoreBase
    from bot.sandbox.emulator.state import JSON

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
EVERYONE = re.compile(r"@(everyone|here)\b")


@dataclass(frozen=True)
class Mentions:
    users: list[JSON]
    roles: list[str]
    everyone: bool

    def apply(self, message: JSON) -> None:
        message["mentions"] = self.users
        message["mention_roles"] = self.roles
        message["mention_everyone"] = self.everyone


def check_allowed_mentions(errors: FormErrors, allowed: Any) -> None:
    """Discord's 50035 for a `parse` kind that is also given as an explicit list."""
    if not isinstance(allowed, dict):
        return
    parse = allowed.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and allowed.get(kind):
            errors.add(
                ("allowed_mentions", "parse"),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )


def effective_mentions(
    core: CoreBase, channel: JSON, author_id: int, payload: JSON, content: str
) -> Mentions:
    """The users, roles and @everyone that `payload` (sent by `author_id`) really pings."""
    given = payload.get("allowed_mentions")
    explicit = isinstance(given, dict)
    allowed: JSON = given if isinstance(given, dict) else {}
    parse = set(allowed.get("parse") or []) if explicit else {"users", "roles", "everyone"}
    listed_users = {str(u) for u in (allowed.get("users") or [])} if explicit else set()
    listed_roles = {str(r) for r in (allowed.get("roles") or [])} if explicit else set()
    can_ping_all = _may_mention_everyone(core, channel, author_id)

    user_ids: list[str] = [
        uid for uid in dict.fromkeys(USER_MENTION.findall(content)) if int(uid) in core.state.users
    ]
    user_ids = [u for u in user_ids if "users" in parse or u in listed_users]
    replied = _replied_author(core, payload)
    replied_pings = bool(allowed.get("replied_user", False)) if explicit else True
    if replied is not None and replied_pings and replied not in user_ids:
        user_ids.append(replied)

    guild = core.state.guild_of_channel(channel)
    roles: list[str] = []
    if guild is not None:
        for rid in dict.fromkeys(ROLE_MENTION.findall(content)):
            role = guild.roles.get(int(rid))
            if role is None or not ("roles" in parse or rid in listed_roles):
                continue
            if role.get("mentionable") or can_ping_all:
                roles.append(rid)
    everyone = bool(EVERYONE.search(content)) and "everyone" in parse and can_ping_all
    users = [copy.deepcopy(core.state.users[int(uid)]) for uid in user_ids]
    return Mentions(users=users, roles=roles, everyone=everyone)


def _may_mention_everyone(core: CoreBase, channel: JSON, author_id: int) -> bool:
    guild = core.state.guild_of_channel(channel)
    if guild is None:
        return False
    have = perm.channel_permissions(guild, core.effective_channel(channel), author_id, core.now())
    return bool(have & perm.MENTION_EVERYONE)


def _replied_author(core: CoreBase, payload: JSON) -> str | None:
    reference = payload.get("message_reference")
    if not isinstance(reference, dict) or reference.get("message_id") is None:
        return None
    stored = core.state.messages.get(int(reference["message_id"]))
    if stored is None:
        return None
    return str(stored.data["author"]["id"])
