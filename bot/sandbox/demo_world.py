"""The demo program the sandbox seeds: one IOP server, its staff roles and a small cohort.

The cohort channel and the weekly session schedule are made by the demo's "groups" part.
"""

from __future__ import annotations

from bot.sandbox.emulator import Emulator
from bot.sandbox.emulator import permissions as perm
from bot.sandbox.world import World, WorldUser

GUILD_NAME = "Sunrise Recovery IOP"
PROGRAM_TIMEZONE = "America/New_York"

FACILITATOR_PERMISSIONS = (
    perm.MANAGE_ROLES
    | perm.MANAGE_MESSAGES
    | perm.MODERATE_MEMBERS
    | perm.MANAGE_EVENTS
    | perm.CREATE_EVENTS
    | perm.MANAGE_THREADS
    | perm.KICK_MEMBERS
)
ROLE_PERMISSIONS = {
    "facilitator": ("Facilitator", FACILITATOR_PERMISSIONS),
    "on_call": ("On-call", 0),
    "auditor": ("Auditor", 0),
    # Neutral names: every member of the server sees everyone's roles (docs/DEPLOY.md).
    "client": ("Member", 0),
    "family": ("Guest", 0),
}
PEOPLE = (
    # key, display name, roles, time zone
    ("facilitator", "Dana (facilitator)", ("facilitator", "on_call"), PROGRAM_TIMEZONE),
    ("client1", "Alex", (), "America/New_York"),
    ("client2", "Sam", (), "Europe/Berlin"),
    ("client3", "Riley", (), "America/Los_Angeles"),
    ("family", "Jordan (family)", ("family",), PROGRAM_TIMEZONE),
)


def seed_demo_world(emulator: Emulator) -> World:
    """Create the guild, roles, staff channels and people; return their ids by key."""
    guild = emulator.create_guild(GUILD_NAME)
    world = World(guild_id=guild.id, bot_user_id=emulator.bot_id)
    # Lowest first, so Facilitator ends up highest (just below the bot's own role).
    for key in ("family", "client", "auditor", "on_call", "facilitator"):
        name, permissions = ROLE_PERMISSIONS[key]
        # The on-call role is mentionable so urgent alerts can page it (README, "Safety").
        role = emulator.create_role(
            guild.id, name, permissions=permissions, mentionable=key == "on_call"
        )
        world.roles[key] = int(role["id"])
    staff_only = _staff_only_overwrites(guild.id, world.roles, emulator.bot_id)
    for name, private in (("welcome", False), ("staff-alerts", True), ("mod-log", True)):
        channel = emulator.create_channel(
            guild.id, name, overwrites=staff_only if private else None
        )
        world.channels[name] = int(channel["id"])
    add_people(emulator, world)
    return world


def add_people(emulator: Emulator, world: World) -> None:
    """The demo's facilitator, three clients and a family member join the server."""
    for key, display_name, role_keys, zone in PEOPLE:
        member = emulator.add_member(
            world.guild_id, display_name, roles=[world.roles[r] for r in role_keys]
        )
        world.users[key] = WorldUser(
            key=key, id=int(member["user"]["id"]), name=display_name, timezone=zone
        )


def _staff_only_overwrites(
    guild_id: int, roles: dict[str, int], bot_id: int
) -> list[dict[str, object]]:
    view = str(perm.VIEW_CHANNEL)
    return [
        {"id": str(guild_id), "type": 0, "allow": "0", "deny": view},
        {"id": str(roles["facilitator"]), "type": 0, "allow": view, "deny": "0"},
        {"id": str(roles["auditor"]), "type": 0, "allow": view, "deny": "0"},
        {"id": str(bot_id), "type": 1, "allow": view, "deny": "0"},
    ]


def seed_empty_world(emulator: Emulator) -> World:
    """Only the program's server with the bot in it: what `iopbot setup` starts from."""
    guild = emulator.create_guild(GUILD_NAME)
    return World(guild_id=guild.id, bot_user_id=emulator.bot_id)
