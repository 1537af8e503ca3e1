"""Plain records that name the seeded sandbox world (users, channels) for scenarios."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorldUser:
    """A person in the sandbox: `key` is how scenarios name them ("client1")."""

    key: str
    id: int
    name: str
    timezone: str = "America/New_York"


@dataclass(frozen=True)
class WorldChannel:
    """A guild channel (or a user's DM channel) in the sandbox."""

    id: int
    name: str


@dataclass
class World:
    """Ids of everything the demo world seeded, found by key or by name."""

    guild_id: int
    bot_user_id: int
    users: dict[str, WorldUser] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)

    def user(self, key_or_name: str) -> WorldUser:
        found = self.users.get(key_or_name)
        if found is not None:
            return found
        wanted = key_or_name.casefold()
        for user in self.users.values():
            if user.name.casefold() == wanted or user.name.casefold().startswith(wanted + " "):
                return user
        raise KeyError(f"no sandbox user {key_or_name!r}")
