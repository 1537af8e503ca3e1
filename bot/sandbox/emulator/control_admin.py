"""Control routes that change things under the bot: member roles, and restarting the bot.

Kept apart from control.py's routes (`add_control_routes` calls `add_admin_routes`);
each endpoint has a curl example in docs/sandbox.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.sandbox.emulator.control import Action
    from bot.sandbox.emulator.server import Emulator


def admin_routes(emu: Emulator) -> list[tuple[str, str, Action]]:
    api = AdminApi(emu)
    return [
        ("PUT", "/_control/members/{user}/roles", api.set_member_roles),
        ("POST", "/_control/bot/restart", api.restart_bot),
    ]


class AdminApi:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    async def set_member_roles(self, request: web.Request, body: dict[str, Any]) -> Any:
        """Replace a member's roles (ids or names); the bot gets GUILD_MEMBER_UPDATE."""
        from bot.sandbox.emulator.control import resolve_role, resolve_user

        guild_id = int(body["guild_id"])
        if guild_id not in self.emu.state.guilds:
            raise KeyError(f"no guild {guild_id}")
        user_id = resolve_user(self.emu, request.match_info["user"])
        if user_id not in self.emu.state.guilds[guild_id].members:
            raise KeyError(f"user {user_id} is not a member of guild {guild_id}")
        roles = body["roles"]
        if not isinstance(roles, list):
            raise ValueError("roles must be a list of role ids or names")
        wanted = [resolve_role(self.emu, guild_id, role) for role in roles]
        member = self.emu.set_member_roles(guild_id, user_id, wanted)
        await self.emu.settle()
        return {"user_id": str(user_id), "roles": member["roles"]}

    async def restart_bot(self, request: web.Request, body: dict[str, Any]) -> Any:
        """Stop the bot (`"crash": true` for a crash) and start it on the same database."""
        crash = body.get("crash", False)
        if not isinstance(crash, bool):
            raise ValueError("crash must be true or false")
        await self.emu.restart_bot(crash=crash)
        return {
            "restarted": True,
            "crash": crash,
            "connected": self.emu.bot_connected,
            "identifies": self.emu.gateway.identifies,
        }
