"""Enrollment: the one domain entity every feature shares (clients and their timezone)."""

from __future__ import annotations

import io
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.db.repositories.dm_channels import DmChannelRepository
from bot.db.repositories.outbox import OutboxRow
from bot.domain.dates import check_range, parse_date
from bot.domain.localtime import local_date, parse_zone, zone_names
from bot.domain.names import check_record_name, plain_name
from bot.domain.text import shown_name
from bot.services import userdata
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from bot.services.timezones import set_client_timezone
from cogs.clients._welcome import queue_welcome

_ZONES: list[str] = []


async def timezone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    if not _ZONES:
        _ZONES.extend(zone_names())
    needle = current.lower().replace(" ", "_")
    matches = [z for z in _ZONES if needle in z.lower()][:25]
    return [app_commands.Choice(name=z, value=z) for z in matches]


_STATUS_WORDS = {
    "pending": "waiting to send",
    "sending": "sending",
    "sent": "delivered",
    "failed": "not delivered",
    "undeliverable": "DMs closed: not delivered",
    "blocked_consent": "not sent: no consent in force",
    "expired": "not sent: too late",
    "cancelled": "cancelled",
}


def delivery_lines(rows: list[OutboxRow]) -> str:
    """What facilitators see of a client's notices: kind, when, delivery. Never content."""
    if not rows:
        return "none yet"
    return "\n".join(
        f"<t:{int(r.due_at.timestamp())}:f> · {r.kind.replace('_', ' ')} · "
        f"{_STATUS_WORDS.get(r.status, r.status)}"
        for r in rows
    )


class ClientsCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = ("clients", "dm_channels")
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(manage_roles=True)

    client_group = app_commands.Group(
        name="client",
        description="Enroll clients and look up their program record (facilitators).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_roles=True),
    )
    me_group = app_commands.Group(name="me", description="Your own settings.")

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)

    @client_group.command(name="enroll", description="Enroll a member as a client.")
    @app_commands.describe(
        member="The member to enroll",
        start_date="Program start date, YYYY-MM-DD (default: today)",
        timezone="The client's time zone, e.g. America/Chicago (default: the program's)",
        record_name="The client's name for clinical documents such as consents "
        "(default: their display name)",
    )
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @facilitator_only()
    async def enroll(
        self,
        interaction: discord.Interaction[Any],
        member: discord.Member,
        start_date: str | None = None,
        timezone: str | None = None,
        record_name: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        services = self.services
        clean_record_name = check_record_name(record_name) if record_name else None
        if member.bot:
            raise UserError("Bots can't be enrolled as clients.")
        if services.perms.is_facilitator(member):
            raise UserError(
                f"{shown_name(member.display_name)} is a facilitator and can't be a client."
            )
        if services.perms.is_family(member):
            raise UserError(
                f"{shown_name(member.display_name)} has the Family role; family accounts can't be "
                "clients."
            )
        zone = services.settings.program.timezone
        if timezone:
            zone = parse_zone(timezone)
        now = services.clock.now()
        today = local_date(now, zone)
        start = today
        if start_date:
            start = check_range(
                parse_date(start_date),
                today=today,
                past_days=365,
                future_days=90,
                what="program start date",
            )
        async with services.db.transaction() as tx:
            before = await services.clients.get_in(tx, member.id)
            is_new = await services.clients.enroll(
                tx,
                user_id=member.id,
                guild_id=member.guild.id,
                display_name=plain_name(member.display_name),
                timezone=zone,
                program_start=start,
                enrolled_by=interaction.user.id,
                now=now,
                record_name=clean_record_name,
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="client.enroll" if is_new else "client.reenroll",
                subject_user_id=member.id,
            )
            if is_new:
                await queue_welcome(services, tx, member.id)
            if before is not None and before.timezone.key != zone.key:
                await set_client_timezone(services, tx, member.id, zone, now)  # re-plans
        note = ""
        role_id = services.settings.roles.client
        role = member.guild.get_role(role_id) if role_id else None
        if role is None:
            note = "\nNote: no Client role is configured, so I gave no role."
        elif role not in member.roles:
            try:
                await member.add_roles(role, reason=f"Enrolled by {interaction.user.id}")
            except discord.Forbidden:
                note = "\nI couldn't give the Client role: please check my role's position."
        verb = "Enrolled" if is_new else "Updated the enrollment of"
        await reply_ephemeral(
            interaction,
            f"{verb} {shown_name(member.display_name)}: program start {start.isoformat()}, "
            f"time zone {zone.key}.{note}",
        )

    @client_group.command(name="info", description="A client's program record.")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def info(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        services = self.services
        client = await services.clients.get(member.id)
        if client is None:
            raise UserError(f"{shown_name(member.display_name)} is not enrolled.")
        async with services.db.transaction() as tx:
            await services.audit.record(
                tx, actor_id=interaction.user.id, action="client.info", subject_user_id=member.id
            )
        today = local_date(services.clock.now(), client.timezone)
        week = max(0, (today - client.program_start).days) // 7 + 1
        open_alerts = await services.alert_repo.open_for([client.user_id])
        embed = discord.Embed(title=f"{shown_name(client.display_name)}")
        embed.add_field(name="Status", value=client.status.replace("_", " "))
        embed.add_field(name="Program start", value=client.program_start.isoformat())
        embed.add_field(name="Program week", value=str(week))
        embed.add_field(name="Time zone", value=client.timezone.key)
        embed.add_field(name="Open alerts", value=str(len(open_alerts)))
        embed.add_field(
            name="Recent notices (delivery)",
            value=delivery_lines(await services.outbox_repo.list_for_subject(client.user_id, 6)),
            inline=False,
        )
        await reply_ephemeral(interaction, "", embed=embed)

    @client_group.command(name="export", description="A file of a client's records (audited).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def export(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        services = self.services
        await interaction.response.defer(ephemeral=True, thinking=True)
        document = await userdata.gather_export(self.bot, services, member.id)
        if not userdata.has_records(document):
            raise UserError(f"iopbot holds no records about {shown_name(member.display_name)}.")
        await userdata.record_export(services, user_id=member.id, requested_by=interaction.user.id)
        name = userdata.export_filename(member.id, services.clock.now())
        await reply_ephemeral(
            interaction,
            f"The records iopbot holds about {shown_name(member.display_name)}. This export is in "
            "the "
            "audit trail; handle it as a clinical record.",
            file=discord.File(io.BytesIO(userdata.export_json(document)), filename=name),
        )

    @client_group.command(name="discharge", description="Discharge a client: prompts stop.")
    @app_commands.describe(member="The client to discharge")
    @facilitator_only()
    async def discharge(
        self, interaction: discord.Interaction[Any], member: discord.Member
    ) -> None:
        services = self.services
        client = await services.clients.get(member.id)
        if client is None:
            raise UserError(f"{shown_name(member.display_name)} is not enrolled.")
        if client.status == "discharged":
            raise UserError(f"{shown_name(member.display_name)} is already discharged.")
        now = services.clock.now()
        async with services.db.transaction() as tx:
            await services.clients.set_status(tx, member.id, "discharged", now)
            cancelled = await services.outbox.cancel(
                tx, subject_user_id=member.id, target_id=member.id
            )
            await services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="client.discharge",
                subject_user_id=member.id,
                cancelled=cancelled,
            )
            await userdata.record_discharge(
                services, tx, user_id=member.id, requested_by=interaction.user.id, now=now
            )
        self.bot.dispatch("iop_client_discharged", member.id)
        note = ""
        role_id = services.settings.roles.client
        role = member.guild.get_role(role_id) if role_id else None
        if role is not None and role in member.roles:
            try:
                await member.remove_roles(role, reason=f"Discharged by {interaction.user.id}")
            except discord.Forbidden:
                note = "\nI couldn't remove the Client role: please check my role's position."
        days = services.settings.retention.discharged_records_days
        await reply_ephemeral(
            interaction,
            f"Discharged {shown_name(member.display_name)}. Prompts and reminders stop and the "
            "group "
            f"channel is closed to them. iopbot removes its records about them after {days} "
            f"days; the audit trail is kept 6 years.{note}",
        )

    @me_group.command(name="timezone", description="Set your own time zone.")
    @app_commands.describe(zone="An IANA time zone, e.g. America/Chicago")
    @app_commands.autocomplete(zone=timezone_autocomplete)
    async def my_timezone(self, interaction: discord.Interaction[Any], zone: str) -> None:
        services = self.services
        client = await services.clients.get(interaction.user.id)
        if client is None:
            raise UserError("Only enrolled clients have a time zone setting here.")
        new_zone = parse_zone(zone)
        async with services.db.transaction() as tx:  # the zone and the re-planned prompts
            await set_client_timezone(services, tx, client.user_id, new_zone, services.clock.now())
        await reply_ephemeral(
            interaction,
            f"Your time zone is now {new_zone.key}. Reminders follow your local time.",
        )

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        client = await self.services.clients.get(user_id)
        dm_channel = await DmChannelRepository(self.services.db).get(user_id)
        known = {"dm_channel_id": dm_channel} if dm_channel is not None else {}
        if client is None:
            return known
        return {
            **known,
            "client": {
                "user_id": client.user_id,
                "display_name": client.display_name,
                "timezone": client.timezone.key,
                "program_start": client.program_start.isoformat(),
                "status": client.status,
                "enrolled_at": client.enrolled_at.isoformat(),
            },
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.services.clients.delete(tx, user_id)
        channels = await DmChannelRepository(self.services.db).forget(user_id)
        return DeletionReport(removed={"clients": removed, "dm_channels": channels})
