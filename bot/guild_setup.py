"""``iopbot setup``: the roles and staff channels a program needs, made or adopted.

Works over REST (a logged-in ``discord.Client``, no gateway). For each role and channel:
the configured id when it still exists, else one with the default name (adopted as it
is), else a new one. Nothing is ever deleted, renamed or edited. New roles are not
hoisted and go to the bottom of the list (below the bot's own role); new channels are
staff-only. ``plan_setup`` decides, ``apply_plan`` does it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import discord

from bot.services.doctor import ASSIGNED_ROLES, GuildView, permission_label

# Neutral names: everyone in the server sees everyone's roles (docs/DEPLOY.md).
ROLE_NAMES = {
    "facilitator": "Facilitator",
    "client": "Member",
    "family": "Guest",
    "on_call": "On-call",
    "auditor": "Auditor",
}
CHANNEL_NAMES = {"staff_alerts": "staff-alerts", "mod_log": "mod-log", "care_team": "care-team"}
# Who sees each staff channel besides the bot (role keys).
CHANNEL_READERS = {
    "staff_alerts": ("facilitator", "on_call", "auditor"),
    "mod_log": ("facilitator", "auditor"),
    "care_team": ("facilitator", "on_call"),
}
BOT_IN_CHANNEL = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    send_messages_in_threads=True,
    create_private_threads=True,
    manage_threads=True,
    mention_everyone=True,
)
# What facilitators need for the commands iopbot hints as staff-only (Discord hides those
# from members without them); the bot can only grant what it has itself.
FACILITATOR_PERMISSIONS = discord.Permissions(
    manage_roles=True,
    manage_messages=True,
    moderate_members=True,
    manage_events=True,
    create_events=True,
    manage_threads=True,
)
READER = discord.Permissions(view_channel=True, send_messages=True, read_message_history=True)
NEEDED_TO_SET_UP = discord.Permissions(manage_roles=True, manage_channels=True)


class SetupRefused(Exception):
    """Setup cannot go on (e.g. the bot lacks Manage Roles); the message says how to fix it."""


@dataclass
class SetupPlan:
    """What setup found and will do; ``role_ids``/``channel_ids`` hold known ids."""

    guild: discord.Guild
    role_ids: dict[str, int] = field(default_factory=dict)
    channel_ids: dict[str, int] = field(default_factory=dict)
    roles_to_create: list[str] = field(default_factory=list)
    channels_to_create: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes_server(self) -> bool:
        return bool(self.roles_to_create or self.channels_to_create)

    def lines(self) -> list[str]:
        shown = list(self.notes)
        shown += [f"create role @{ROLE_NAMES[k]} (roles.{k})" for k in self.roles_to_create]
        shown += [
            f"create channel #{CHANNEL_NAMES[k]} (channels.{k}, staff only)"
            for k in self.channels_to_create
        ]
        return shown


def wanted_channels(enabled_cogs: list[str]) -> list[str]:
    keys = ["staff_alerts", "mod_log"]
    if "careline" in enabled_cogs:
        keys.append("care_team")
    return keys


def plan_setup(
    view: GuildView,
    configured_roles: Mapping[str, int | None],
    configured_channels: Mapping[str, int | None],
    enabled_cogs: list[str],
) -> SetupPlan:
    """Decide, per role and channel, whether to keep, adopt or create it."""
    guild = view.guild
    missing = [
        permission_label(flag)
        for flag, wanted in NEEDED_TO_SET_UP
        if wanted and not getattr(view.me.guild_permissions, flag)
    ]
    plan = SetupPlan(guild=guild)
    for key, name in ROLE_NAMES.items():
        role = _find_role(guild, configured_roles.get(key), name)
        if role is None:
            plan.roles_to_create.append(key)
            continue
        plan.role_ids[key] = role.id
        how = "keep" if role.id == configured_roles.get(key) else "adopt"
        plan.notes.append(f"{how} role @{role.name} ({role.id}) as roles.{key}")
    text_channels = {c.id: c for c in view.channels.values() if isinstance(c, discord.TextChannel)}
    for key in wanted_channels(enabled_cogs):
        channel = _find_channel(text_channels, configured_channels.get(key), CHANNEL_NAMES[key])
        if channel is None:
            plan.channels_to_create.append(key)
            continue
        plan.channel_ids[key] = channel.id
        how = "keep" if channel.id == configured_channels.get(key) else "adopt"
        plan.notes.append(f"{how} channel #{channel.name} ({channel.id}) as channels.{key}")
    if plan.changes_server and missing:
        raise SetupRefused(
            f"the bot lacks {', '.join(missing)} in {guild.name}: grant them to its role in "
            "Server Settings → Roles (or re-invite it with `iopbot invite-url`), then run "
            "`iopbot setup` again"
        )
    plan.problems.extend(hierarchy_problems(view, plan.role_ids))
    return plan


def hierarchy_problems(view: GuildView, role_ids: Mapping[str, int]) -> list[str]:
    """The bot's top role must rank above the roles it gives (new roles always do)."""
    top = view.me.top_role
    above_bot = [
        role
        for key in ASSIGNED_ROLES
        if (role := view.guild.get_role(role_ids.get(key, 0))) is not None and role >= top
    ]
    if not above_bot:
        return []
    names = " and ".join(f"@{r.name}" for r in above_bot)
    return [
        f"role order: @{top.name} must be above {names} to give those roles; in Server "
        f"Settings → Roles, drag @{top.name} above {names}"
    ]


async def apply_plan(plan: SetupPlan, me: discord.Member) -> None:
    """Create what the plan lacks: roles first (channels' overwrites name them)."""
    guild = plan.guild
    reason = "iopbot setup"
    can_mention = me.guild_permissions.mention_everyone
    roles = {key: role for key in plan.role_ids if (role := guild.get_role(plan.role_ids[key]))}
    for key in plan.roles_to_create:
        role = await guild.create_role(
            name=ROLE_NAMES[key],
            permissions=discord.Permissions(
                FACILITATOR_PERMISSIONS.value & me.guild_permissions.value
                if key == "facilitator"
                else 0
            ),
            hoist=False,
            # Alerts page on-call: mentionable unless the bot may mention any role anyway.
            mentionable=key == "on_call" and not can_mention,
            reason=reason,
        )
        plan.role_ids[key] = role.id
        roles[key] = role  # a REST-fetched guild has no gateway to learn of it
    bot_allow = discord.Permissions(BOT_IN_CHANNEL.value & me.guild_permissions.value)
    for key in plan.channels_to_create:
        overwrites: dict[
            discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite
        ] = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            me: discord.PermissionOverwrite.from_pair(bot_allow, discord.Permissions.none()),
        }
        for reader in CHANNEL_READERS[key]:
            if (role := roles.get(reader)) is not None:
                overwrites[role] = discord.PermissionOverwrite.from_pair(
                    READER, discord.Permissions.none()
                )
        channel = await guild.create_text_channel(
            CHANNEL_NAMES[key], overwrites=overwrites, reason=reason
        )
        plan.channel_ids[key] = channel.id


def _find_role(guild: discord.Guild, configured: int | None, name: str) -> discord.Role | None:
    if configured is not None and (role := guild.get_role(configured)) is not None:
        return role
    wanted = name.casefold()
    return next(
        (r for r in guild.roles if r.name.casefold() == wanted and not r.managed),
        None,
    )


def _find_channel(
    channels: Mapping[int, discord.TextChannel], configured: int | None, name: str
) -> discord.TextChannel | None:
    if configured is not None and configured in channels:
        return channels[configured]
    return next((c for c in channels.values() if c.name == name), None)
