"""What a running program needs from its Discord server, checked one line at a time.

One piece of code answers for ``iopbot doctor`` (REST only, no gateway), the start-up
check (the gateway's cache) and ``/iopbot status``: each gives a :class:`GuildView` and
gets :class:`CheckLine` rows back, ✓ or ✗ with the fix. Database, backup, file and audit
checks live in ``bot/services/doctor_local.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import discord

from bot.config import Settings

# Roles every program needs; the others are optional.
REQUIRED_ROLES = ("facilitator", "client")
REQUIRED_CHANNELS = ("staff_alerts", "mod_log")
# Roles the bot gives and takes (enroll, discharge, family link): it must rank above them.
ASSIGNED_ROLES = ("client", "family")
# Posting an alert (an embed) or a case: what a staff channel needs from the bot.
ALERT_POST = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
# Discord's own words for permissions whose flag names differ from the app's labels.
PERMISSION_LABELS = {
    "manage_guild": "Manage Server",
    "moderate_members": "Timeout Members",
    "mention_everyone": "Mention @everyone, @here and All Roles",
    "read_messages": "View Channel",
    "manage_events": "Manage Events",
    "create_events": "Create Events",
}


@dataclass(frozen=True)
class CheckLine:
    """One check: ``ok``, what was checked, and how to fix it when it failed."""

    ok: bool
    label: str
    fix: str = ""

    def render(self) -> str:
        if self.ok:
            return f"✓ {self.label}"
        return f"✗ {self.label}: {self.fix}" if self.fix else f"✗ {self.label}"


@dataclass(frozen=True)
class GuildView:
    """The server as the bot sees it, from the gateway cache or from REST calls."""

    guild: discord.Guild
    me: discord.Member
    channels: Mapping[int, discord.abc.GuildChannel]

    @classmethod
    def from_cache(cls, guild: discord.Guild) -> GuildView | None:
        if guild.me is None:
            return None
        return cls(guild=guild, me=guild.me, channels={c.id: c for c in guild.channels})


def permission_label(flag: str) -> str:
    return PERMISSION_LABELS.get(flag, flag.replace("_", " ").title())


def missing_labels(have: discord.Permissions, need: discord.Permissions) -> list[str]:
    return [permission_label(flag) for flag, wanted in need if wanted and not getattr(have, flag)]


def channel_needs(settings: Settings) -> dict[str, discord.Permissions]:
    """Per configured channel key, what the bot must be able to do there (enabled cogs)."""
    post = ALERT_POST
    enabled = set(settings.cogs.enabled)
    needs = {"staff_alerts": post, "mod_log": post}
    if "family" in enabled:
        needs["family_welcome"] = post
    if "groups" in enabled:
        needs["cohort_category"] = discord.Permissions(
            view_channel=True, manage_channels=True, manage_roles=True
        )
    if "careline" in enabled:
        needs["care_team"] = discord.Permissions(
            view_channel=True,
            send_messages=True,
            embed_links=True,
            read_message_history=True,
            create_private_threads=True,
            send_messages_in_threads=True,
        )
    return needs


def configured_ids(settings: Settings, section: str) -> dict[str, int | None]:
    values: dict[str, int | None] = getattr(settings, section).model_dump()
    return values


def role_checks(view: GuildView, settings: Settings) -> list[CheckLine]:
    lines = []
    for key, role_id in configured_ids(settings, "roles").items():
        if role_id is None:
            if key in REQUIRED_ROLES:
                lines.append(CheckLine(False, f"roles.{key}", "not configured; run `iopbot setup`"))
            continue
        role = view.guild.get_role(role_id)
        if role is None:
            lines.append(
                CheckLine(
                    False,
                    f"roles.{key}: no role {role_id} in the server",
                    "run `iopbot setup` to create or adopt it",
                )
            )
        else:
            lines.append(CheckLine(True, f"roles.{key}: @{role.name}"))
    return lines


def channel_line(
    key: str,
    channel_id: int | None,
    channel: discord.abc.GuildChannel | None,
    me: discord.Member,
    need: discord.Permissions,
) -> CheckLine | None:
    """One configured channel: exists, and the bot has ``need`` there (None: optional, unset)."""
    if channel_id is None:
        if key in REQUIRED_CHANNELS:
            return CheckLine(False, f"channels.{key}: not configured", "run `iopbot setup`")
        return None
    if channel is None:
        return CheckLine(
            False,
            f"channels.{key}: no channel {channel_id} in the server",
            "run `iopbot setup` to create or adopt it",
        )
    missing = missing_labels(channel.permissions_for(me), need)
    if missing:
        return CheckLine(
            False,
            f"channels.{key}: the bot lacks {', '.join(missing)} in #{channel.name}",
            "allow them for the bot in the channel's permissions (Edit Channel → Permissions)",
        )
    return CheckLine(True, f"channels.{key}: #{channel.name} (the bot can {_verbs(need)})")


def channel_checks(view: GuildView, settings: Settings) -> list[CheckLine]:
    """Each configured channel exists and the bot can do what the enabled cogs need there."""
    lines = []
    needs = channel_needs(settings)
    for key, channel_id in configured_ids(settings, "channels").items():
        channel = view.channels.get(channel_id) if channel_id is not None else None
        need = needs.get(key, discord.Permissions(view_channel=True))
        line = channel_line(key, channel_id, channel, view.me, need)
        if line is not None:
            lines.append(line)
    role_id, staff_id = settings.roles.on_call, settings.channels.staff_alerts
    role = view.guild.get_role(role_id) if role_id is not None else None
    staff = view.channels.get(staff_id) if staff_id is not None else None
    if role is not None and staff is not None:
        lines.append(on_call_mention_line(role, staff, view.me))
    return lines


def on_call_mention_line(
    role: discord.Role, channel: discord.abc.GuildChannel, me: discord.Member
) -> CheckLine:
    """Alerts page the on-call role: the bot must be able to mention it in staff-alerts."""
    if role.mentionable or channel.permissions_for(me).mention_everyone:
        return CheckLine(
            True, f"roles.on_call: the bot can mention @{role.name} in #{channel.name}"
        )
    return CheckLine(
        False,
        f"roles.on_call: the bot cannot mention @{role.name} in #{channel.name} (make the "
        "role mentionable, or give the bot Mention @everyone, @here and All Roles there)",
    )


def server_permission_check(view: GuildView, needed: discord.Permissions) -> CheckLine:
    """Server-wide permissions the enabled cogs declare (manage roles, events, AutoMod…)."""
    missing = missing_labels(view.me.guild_permissions, needed)
    label = "server permissions for the enabled features"
    if missing:
        return CheckLine(
            False,
            label,
            f"the bot's role lacks {', '.join(missing)}; grant them in Server Settings → "
            "Roles, or re-invite it with `iopbot invite-url`",
        )
    return CheckLine(True, label)


def hierarchy_check(view: GuildView, settings: Settings) -> CheckLine:
    top = view.me.top_role
    below = []
    for key in ASSIGNED_ROLES:
        role_id = getattr(settings.roles, key)
        role = view.guild.get_role(role_id) if role_id is not None else None
        if role is not None and role >= top:
            below.append(role)
    label = f"role order: @{top.name} is above the roles it assigns"
    if below:
        names = " and ".join(f"@{r.name}" for r in below)
        return CheckLine(
            False,
            label,
            f"in Server Settings → Roles, drag @{top.name} above {names}",
        )
    return CheckLine(True, label)


def guild_checks(
    view: GuildView, settings: Settings, needed: discord.Permissions
) -> list[CheckLine]:
    """Roles, channels, per-channel and server permissions, role order."""
    return [
        *role_checks(view, settings),
        *channel_checks(view, settings),
        server_permission_check(view, needed),
        hierarchy_check(view, settings),
    ]


def intent_checks(flags: discord.ApplicationFlags, settings: Settings) -> list[CheckLine]:
    """Privileged intents turned on in the developer portal (the application's flags)."""
    portal = "turn it on in the developer portal: your app → Bot → Privileged Gateway Intents"
    members = flags.gateway_guild_members or flags.gateway_guild_members_limited
    lines = [CheckLine(members, "intent: Server Members", "" if members else portal)]
    if settings.discord.message_content:
        content = flags.gateway_message_content or flags.gateway_message_content_limited
        lines.append(CheckLine(content, "intent: Message Content", "" if content else portal))
    return lines


def commands_check(expected: Iterable[str], registered: Iterable[str]) -> CheckLine:
    missing = sorted(set(expected) - set(registered))
    if missing:
        shown = ", ".join(f"/{name}" for name in missing)
        return CheckLine(False, "slash commands synced", f"{shown} not synced; run `iopbot sync`")
    return CheckLine(True, "slash commands synced")


def _verbs(need: discord.Permissions) -> str:
    return ", ".join(permission_label(flag).lower() for flag, wanted in need if wanted)
