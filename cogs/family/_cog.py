"""Family-therapy session notices: verified family accounts, the client's consent checked at
send time, and an accounting of every disclosure (shared/DOMAIN.md, 42 CFR Part 2).

The commands are thin: linking in ``_linking``, consent in ``_consent``, sessions and
their notices in ``_sessions``, the dispatcher hooks in ``_hooks``, buttons in ``_views``,
the data contract in ``_data``.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any, ClassVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog
from bot.domain.consent import SCOPE
from bot.domain.family_notices import discord_time
from bot.domain.names import check_record_name
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, reply_ephemeral
from bot.services.permissions import facilitator_only
from cogs.family import _consent, _data, _linking, _sessions
from cogs.family._common import NOTICE_KIND, Family, log, tell_staff
from cogs.family._hooks import FamilyNoticeHooks
from cogs.family._render import disclosure_line, disclosures_csv, session_line
from cogs.family._spec import SPEC
from cogs.family._views import DYNAMIC_ITEMS, consent_view

PLAN_JOB = "family:plan"


async def _contact_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    family = Family.of(interaction.client.services)
    contacts = await family.contacts.contacts_for_client(interaction.user.id)
    return [
        app_commands.Choice(name=f"{shown_name(c.label)} (contact {c.id})"[:100], value=c.id)
        for c in contacts
        if current.lower() in c.label.lower() or current == str(c.id)
    ][:25]


class FamilyCog(IopCog):
    owned_tables: ClassVar[tuple[str, ...]] = _data.OWNED_TABLES
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(manage_roles=True)

    # No default_permissions hint: clients and family members use parts of this group.
    # Every facilitator command is checked in code.
    family_group = app_commands.Group(
        name="family", description="Family-therapy session notices.", guild_only=True
    )
    consent_group = app_commands.Group(
        name="consent",
        description="Your consent for family-session notices.",
        parent=family_group,
    )
    session_group = app_commands.Group(
        name="session",
        description="Family-therapy sessions (facilitators).",
        parent=family_group,
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.family = Family.of(services)
        self.hooks = FamilyNoticeHooks(self.family)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.services.dispatcher.register(NOTICE_KIND, self.hooks.hooks())
        self.services.jobs.every(PLAN_JOB, self.plan_due, timedelta(minutes=1))

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.services.dispatcher.unregister(NOTICE_KIND)
        self.services.jobs.remove(PLAN_JOB)

    async def plan_due(self) -> int:
        return await _sessions.plan_due(self.family)

    # ----- linking ----------------------------------------------------------------------

    @family_group.command(name="invite", description="Register a family contact and get a code.")
    @app_commands.describe(
        client="The client", name="The family member's name", relationship="e.g. parent"
    )
    @facilitator_only()
    async def invite(
        self,
        interaction: discord.Interaction[Any],
        client: discord.Member,
        name: app_commands.Range[str, 1, 80],
        relationship: app_commands.Range[str, 1, 40],
    ) -> None:
        enrolled = await self.services.clients.get(client.id)
        if enrolled is None or not enrolled.is_active:
            raise UserError(f"{shown_name(client.display_name)} is not an enrolled client.")
        name, relationship = check_record_name(name), check_record_name(relationship)
        invite = await _linking.create_invite(
            self.family,
            client_id=client.id,
            name=name,
            relationship=relationship,
            facilitator_id=interaction.user.id,
        )
        code = _linking.shown(invite.code)
        expires = self.family.now() + timedelta(
            days=SPEC.section_of(self.services.settings).code_ttl_days
        )
        await reply_ephemeral(
            interaction,
            f"Family contact {invite.contact_id} added for {shown_name(enrolled.display_name)}: "
            f"{shown_name(name)} ({shown_name(relationship)}).\n"
            f"Link code: **{code}** (works once, until {discord_time(expires, 'f')}).\n"
            "Please give it to them outside Discord, in person or by phone. They join the "
            f"server and type `/family link code:{code}`. This code won't be shown again.",
        )

    @family_group.command(name="link", description="Link your account with the program's code.")
    @app_commands.describe(code="The code the program gave you, e.g. ABCD-EFGH")
    async def link(
        self, interaction: discord.Interaction[Any], code: app_commands.Range[str, 1, 32]
    ) -> None:
        perms = self.services.perms
        member = perms.member_of(interaction.client, interaction.user)
        if member is None:
            raise UserError("Please run this in the program's server.")
        if perms.is_facilitator(member) or perms.is_client_role(member):
            raise UserError("This is for family members; staff and client accounts can't link.")
        result = await _linking.link_account(self.family, user_id=member.id, code_text=code)
        if not result.ok:
            raise UserError(result.message)
        note = await self._give_family_role(member)
        await reply_ephemeral(
            interaction,
            "You're linked. When the person in the program gives their consent, I'll send "
            f"you family-session notices by direct message, with the {SCOPE} only. Please "
            f"keep direct messages from this server open.{note}",
        )

    async def _give_family_role(self, member: discord.Member) -> str:
        role_id = self.services.settings.roles.family
        role = member.guild.get_role(role_id) if role_id else None
        if role is None or role in member.roles:
            return ""
        try:
            await member.add_roles(role, reason="Linked a family account with a program code")
        except discord.Forbidden:
            # Not swallowed: the program is told (staff channel, ids and names only).
            log.warning("family.role_not_given", extra={"user_id": member.id})
            async with self.services.db.transaction() as tx:
                await tell_staff(
                    self.family,
                    tx,
                    dedupe_key=f"family:role:{member.id}:{self.family.now().isoformat()}",
                    content=(
                        f"<@{member.id}> linked a family account, but I couldn't give them "
                        "the Family role (missing permission or role order). Please add it "
                        "by hand."
                    ),
                    subject_user_id=member.id,
                )
            return "\n(I couldn't give you the Family role; the program will sort that out.)"
        return ""

    @family_group.command(name="contacts", description="A client's family contacts.")
    @app_commands.describe(client="The client")
    @facilitator_only()
    async def contacts(self, interaction: discord.Interaction[Any], client: discord.Member) -> None:
        lines = await _consent.consent_overview(self.family, client.id)
        if not lines and await self.services.clients.get(client.id) is None:
            raise UserError(
                f"{shown_name(client.display_name)} is not a client and has no family contacts."
            )
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="family.contacts_view",
                subject_user_id=client.id,
            )
        await reply_ephemeral(
            interaction,
            "\n".join(lines) or f"{shown_name(client.display_name)} has no family contacts yet.",
        )

    # ----- consent ----------------------------------------------------------------------

    @consent_group.command(name="grant", description="Let a family member get session notices.")
    @app_commands.describe(
        contact="Your family contact", expires_on="Last day, YYYY-MM-DD (default: 180 days)"
    )
    @app_commands.autocomplete(contact=_contact_autocomplete)
    async def consent_grant(
        self, interaction: discord.Interaction[Any], contact: int, expires_on: str | None = None
    ) -> None:
        preview = await _consent.preview_grant(
            self.family, user_id=interaction.user.id, contact_id=contact, expires_text=expires_on
        )
        assert preview.terms.expires_on is not None  # noqa: S101 - always a date here
        await reply_ephemeral(
            interaction,
            "",
            embed=preview.embed,
            view=consent_view(contact, preview.terms.expires_on),
        )

    @consent_group.command(name="revoke", description="Stop a family member's notices now.")
    @app_commands.describe(contact="The family contact")
    @app_commands.autocomplete(contact=_contact_autocomplete)
    async def consent_revoke(self, interaction: discord.Interaction[Any], contact: int) -> None:
        member = self.services.perms.member_of(interaction.client, interaction.user)
        result = await _consent.revoke(
            self.family,
            actor=interaction.user,
            is_facilitator=self.services.perms.is_facilitator(member),
            contact_id=contact,
        )
        await reply_ephemeral(
            interaction,
            f"Done: consent for {shown_name(result.contact.label)} is revoked from now on. "
            f"{result.cancelled} queued notice(s) to them were cancelled, and the "
            "facilitators have been told.",
        )

    @consent_group.command(name="list", description="Your family contacts and consents.")
    async def consent_list(self, interaction: discord.Interaction[Any]) -> None:
        lines = await _consent.consent_overview(self.family, interaction.user.id)
        await reply_ephemeral(
            interaction,
            "\n".join(lines)
            or "You have no family contacts yet. A facilitator can add one with you.",
        )

    # ----- sessions ---------------------------------------------------------------------

    @session_group.command(name="schedule", description="Schedule a family-therapy session.")
    @app_commands.describe(
        client="The client",
        start="Start in program time, YYYY-MM-DD HH:MM",
        duration="Length in minutes (15-240)",
        place="Room or https video link",
    )
    @facilitator_only()
    async def session_schedule(
        self,
        interaction: discord.Interaction[Any],
        client: discord.Member,
        start: str,
        duration: int,
        place: str,
    ) -> None:
        enrolled = await self.services.clients.get(client.id)
        if enrolled is None or not enrolled.is_active:
            raise UserError(f"{shown_name(client.display_name)} is not an enrolled client.")
        session = await _sessions.schedule(
            self.family,
            client_id=client.id,
            facilitator_id=interaction.user.id,
            facilitator_name=interaction.user.display_name[:80],
            start=_sessions.parse_start(self.family, start),
            duration=_sessions.check_duration(duration),
            place=_sessions.check_place(place),
        )
        await reply_ephemeral(
            interaction,
            f"Scheduled family session #{session.id} for {shown_name(enrolled.display_name)}, "
            f"{discord_time(session.starts_at)}. Notices go to "
            f"{shown_name(enrolled.display_name)} and to "
            "each family member with consent in force.",
        )

    @session_group.command(name="reschedule", description="Change a family session.")
    @app_commands.describe(
        session="Session number",
        start="New start, YYYY-MM-DD HH:MM",
        duration="New length in minutes",
        place="New room or https link",
    )
    @facilitator_only()
    async def session_reschedule(
        self,
        interaction: discord.Interaction[Any],
        session: int,
        start: str | None = None,
        duration: int | None = None,
        place: str | None = None,
    ) -> None:
        if start is None and duration is None and place is None:
            raise UserError("Please give a new start, length or place.")
        updated = await _sessions.change(
            self.family,
            session,
            facilitator_id=interaction.user.id,
            facilitator_name=interaction.user.display_name[:80],
            start=_sessions.parse_start(self.family, start) if start else None,
            duration=_sessions.check_duration(duration) if duration is not None else None,
            place=_sessions.check_place(place) if place is not None else None,
        )
        await reply_ephemeral(
            interaction,
            f"Session #{updated.id} is now {discord_time(updated.starts_at)}. Everyone "
            "notified before gets the new details, and fresh reminders.",
        )

    @session_group.command(name="cancel", description="Cancel a family session.")
    @app_commands.describe(session="Session number")
    @facilitator_only()
    async def session_cancel(self, interaction: discord.Interaction[Any], session: int) -> None:
        await _sessions.change(
            self.family,
            session,
            facilitator_id=interaction.user.id,
            facilitator_name=interaction.user.display_name[:80],
            start=None,
            duration=None,
            place=None,
            cancel=True,
        )
        await reply_ephemeral(
            interaction, f"Session #{session} is cancelled; everyone with a notice is told."
        )

    @session_group.command(name="list", description="Upcoming family sessions and answers.")
    @app_commands.describe(client="Only this client's sessions")
    @facilitator_only()
    async def session_list(
        self, interaction: discord.Interaction[Any], client: discord.Member | None = None
    ) -> None:
        family = self.family
        since = family.now() - timedelta(days=1)
        sessions = await family.sessions.list_from(since, client.id if client else None)
        names = await _data.display_names(family, sessions)
        lines = [session_line(s, names, await family.sessions.responses(s.id)) for s in sessions]
        shown: dict[int, int] = {}
        for s in sessions:
            shown[s.client_id] = shown.get(s.client_id, 0) + 1
        if client is not None:
            shown.setdefault(client.id, 0)
        async with self.services.db.transaction() as tx:
            for client_id, count in sorted(shown.items()):
                await self.services.audit.record(
                    tx,
                    actor_id=interaction.user.id,
                    action="family.session_list",
                    subject_user_id=client_id,
                    sessions=count,
                )
        await reply_ephemeral(
            interaction, "\n".join(lines)[:1900] or "No family sessions from yesterday on."
        )

    # ----- accounting of disclosures ----------------------------------------------------

    @family_group.command(name="disclosures", description="Who got notices about you, and when.")
    async def disclosures(self, interaction: discord.Interaction[Any]) -> None:
        client = await self.services.clients.get(interaction.user.id)
        if client is None:
            raise UserError("Only clients in the program have an accounting of disclosures.")
        rows = await self.family.sessions.disclosures_for_client(client.user_id)
        if not rows:
            await reply_ephemeral(
                interaction, "No family-session notices have been sent about you to anyone."
            )
            return
        shown = [disclosure_line(d) for d in rows[-20:]]
        which = "the last 20" if len(rows) > 20 else "all of them"
        await reply_ephemeral(
            interaction,
            f"{len(rows)} notice(s) shared with your consent ({which}), each only the "
            f"{SCOPE}, for coordinating family therapy:\n" + "\n".join(shown),
        )

    @family_group.command(
        name="disclosures-export", description="A client's accounting of disclosures as CSV."
    )
    @app_commands.describe(client="The client")
    @facilitator_only()
    async def disclosures_export(
        self, interaction: discord.Interaction[Any], client: discord.Member
    ) -> None:
        rows = await self.family.sessions.disclosures_for_client(client.id)
        if not rows and await self.services.clients.get(client.id) is None:
            # A former client's accounting outlives their record (6 years), so only
            # someone with neither is refused.
            raise UserError(
                f"{shown_name(client.display_name)} is not a client and no disclosures are "
                "recorded for them."
            )
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="family.disclosures_export",
                subject_user_id=client.id,
                rows=len(rows),
            )
        file = discord.File(
            io.BytesIO(disclosures_csv(rows)), filename=f"disclosures-{client.id}.csv"
        )
        await reply_ephemeral(
            interaction,
            f"Accounting of disclosures for {shown_name(client.display_name)}: {len(rows)} row(s).",
            file=file,
        )

    # ----- data contract ----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        return await _data.export(self.family, user_id)

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        return await _data.delete(self.family, user_id)

    async def purge_expired(self) -> dict[str, int]:
        return await _data.purge(self.family)
