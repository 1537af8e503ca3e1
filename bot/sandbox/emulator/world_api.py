"""`WorldApi`: the Emulator's Python API for building the world and reading it back.

Building guilds, roles, channels and members dispatches the gateway events Discord
would, so a connected bot sees the change. Reading returns copies or summaries
(views.py), never the live state.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.emulator.core import EmulatorCore
from bot.sandbox.emulator.state import JSON, Guild
from bot.sandbox.emulator.views import BOT_PERMISSIONS, summarise


class WorldApi(EmulatorCore):
    # ----- world building ---------------------------------------------------------------

    def create_user(self, name: str, *, bot: bool = False) -> JSON:
        return copy.deepcopy(self.state.add_user(name, bot=bot))

    def create_guild(
        self, name: str, *, owner_id: int | None = None, bot_permissions: int = BOT_PERMISSIONS
    ) -> Guild:
        """A guild owned by `owner_id` (the sandbox owner by default), with the bot in it.

        Like inviting a bot, this adds its managed role with `bot_permissions`.
        """
        owner = owner_id or int(self.owner_user["id"])
        guild = self.state.add_guild(name, owner)
        self.state.add_member(guild, owner)
        bot_role = self.state.add_role(
            guild, str(self.bot_user["global_name"]), permissions=bot_permissions, managed=True
        )
        bot_role["tags"] = {"bot_id": self.bot_user["id"]}
        self.state.add_member(guild, self.bot_id, [int(bot_role["id"])])
        if self.gateway.is_connected:
            self.gateway.dispatch("GUILD_CREATE", self.guild_create_payloads()[-1])
        return guild

    def create_role(
        self, guild_id: int, name: str, *, permissions: int = 0, **options: Any
    ) -> JSON:
        guild = self.state.guilds[guild_id]
        if "position" not in options:
            # Like an admin would: new roles go just below the bot's own role.
            bot_role = max(
                (guild.roles[int(r)] for r in guild.members[self.bot_id]["roles"]),
                key=lambda r: int(r["position"]),
            )
            options["position"] = int(bot_role["position"])
            bot_role["position"] = int(bot_role["position"]) + 1
        role = self.state.add_role(guild, name, permissions=permissions, **options)
        self.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild_id), "role": role})
        return copy.deepcopy(role)

    def create_channel(
        self,
        guild_id: int,
        name: str,
        *,
        kind: int = 0,
        overwrites: list[JSON] | None = None,
        topic: str | None = None,
    ) -> JSON:
        guild = self.state.guilds[guild_id]
        channel = self.state.add_channel(guild, name, kind=kind, overwrites=overwrites, topic=topic)
        self.gateway.dispatch("CHANNEL_CREATE", self.channel_payload(channel))
        return self.channel_payload(channel)

    def add_member(self, guild_id: int, user: int | str, *, roles: list[int] | None = None) -> JSON:
        """Make a user (id, or a new user by name) a member with `roles`; GUILD_MEMBER_ADD."""
        guild = self.state.guilds[guild_id]
        user_id = user if isinstance(user, int) else int(self.state.add_user(user)["id"])
        for role_id in roles or []:
            if role_id not in guild.roles:
                raise KeyError(f"no role {role_id} in guild {guild_id}")
        member = self.state.add_member(guild, user_id, roles)
        self.gateway.dispatch(
            "GUILD_MEMBER_ADD", {**copy.deepcopy(member), "guild_id": str(guild_id)}
        )
        return copy.deepcopy(member)

    def remove_member(self, guild_id: int, user_id: int) -> None:
        guild = self.state.guilds[guild_id]
        member = guild.members.pop(user_id)
        self.gateway.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": str(guild_id), "user": member["user"]}
        )

    def set_member_roles(self, guild_id: int, user_id: int, roles: list[int]) -> JSON:
        guild = self.state.guilds[guild_id]
        member = guild.members[user_id]
        member["roles"] = [str(r) for r in roles]
        self.dispatch_member_update(guild, member)
        return copy.deepcopy(member)

    def set_channel_overwrite(
        self, channel_id: int, target_id: int, *, allow: int = 0, deny: int = 0, kind: int = 1
    ) -> JSON:
        """Replace one permission overwrite on a channel, as a server admin would.

        ``kind`` is 0 for a role, 1 for a member (e.g. deny the bot Send Messages in the
        staff channel: its posts then fail with 403/50013). Dispatches CHANNEL_UPDATE.
        """
        channel = self.state.channels[channel_id]
        rest = [o for o in channel.get("permission_overwrites", []) if o["id"] != str(target_id)]
        rest.append({"id": str(target_id), "type": kind, "allow": str(allow), "deny": str(deny)})
        channel["permission_overwrites"] = rest
        self.gateway.dispatch("CHANNEL_UPDATE", self.channel_payload(channel))
        return self.channel_payload(channel)

    def channel_overwrite(self, channel_id: int, target_id: int) -> JSON | None:
        for overwrite in self.state.channels[channel_id].get("permission_overwrites", []):
            if overwrite["id"] == str(target_id):
                found: JSON = copy.deepcopy(overwrite)
                return found
        return None

    def set_dms_open(self, user_id: int, is_open: bool) -> None:
        """Close (or reopen) a user's DMs: the bot's sends then fail with 403/50007."""
        if is_open:
            self.state.dms_closed.discard(user_id)
        else:
            self.state.dms_closed.add(user_id)

    def dm_channel_for(self, user_id: int) -> JSON:
        return self.channel_payload(self.state.dm_channel(user_id, self.bot_user))

    # ----- reading state ----------------------------------------------------------------

    def find_channel(self, guild_id: int, name: str) -> JSON | None:
        wanted = name.lstrip("#")
        for channel in self.state.guild_channels(guild_id):
            if channel.get("name") == wanted:
                return self.channel_payload(channel)
        return None

    def channel_label(self, channel_id: int) -> str:
        return self.state.channel_label(channel_id)

    def user_name(self, user_id: int) -> str:
        return self.state.display_name(user_id)

    def channel_messages(self, channel_id: int) -> list[JSON]:
        return [summarise(m) for m in self.state.messages_in(channel_id)]

    def dm_messages(self, user_id: int) -> list[JSON]:
        channel_id = self.state.dm_channel_by_user.get(user_id)
        return [] if channel_id is None else self.channel_messages(channel_id)

    def ephemeral_messages(self, user_id: int) -> list[JSON]:
        return [
            summarise(s.data)
            for s in self.state.messages.values()
            if s.ephemeral and s.recipient_id == user_id and not s.deleted
        ]

    def commands_for_guild(self, guild_id: int | None) -> list[JSON]:
        return [copy.deepcopy(c) for c in self.state.commands.get(guild_id, {}).values()]

    @property
    def bot_connected(self) -> bool:
        return self.gateway.is_connected

    def rate_limit_counts(self) -> dict[str, int]:
        statuses = [r.get("rate_limited") for r in self.requests]
        return {"global": statuses.count("global"), "bucket": statuses.count("bucket")}

    def messages_sent(self, channel_id: int) -> int:
        return len(self.state.messages_in(channel_id))
