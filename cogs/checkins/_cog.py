"""Daily check-ins: prompts in each client's time zone, private history, risk alerts."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from typing import Any, ClassVar, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogbase import DeletionReport, IopCog, require_enrolled
from bot.db.repositories.checkins import CheckinRepository
from bot.domain.checkins import SAFETY_LABELS, USED_LABELS
from bot.domain.dates import check_range, parse_date
from bot.domain.localtime import (
    local_date,
    parse_hhmm,
    parse_zone,
    zone_names,
)
from bot.domain.text import shown_name
from bot.services.container import Services
from bot.services.errors import UserError, guarded, reply_ephemeral
from bot.services.permissions import facilitator_only
from bot.services.prompts import KEEP, Keep
from bot.services.timezones import set_client_timezone
from cogs.checkins._history import load_history, report_clients, report_rows
from cogs.checkins._interactions import handle_checkin_submit, open_checkin_modal, send_history
from cogs.checkins._modal import MODAL_PREFIX
from cogs.checkins._planner import PROMPT_KIND, SCHEDULE, CheckinPrompts
from cogs.checkins._render import checkins_csv, report_message
from cogs.checkins._spec import ANSWERS_DAYS
from cogs.checkins._submit import NOT_A_CLIENT, require_client
from cogs.checkins._views import DYNAMIC_ITEMS

log = logging.getLogger("iopbot.checkins")

PAUSE_MAX_DAYS = 90


async def timezone_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    needle = current.lower().replace(" ", "_")
    matches = [z for z in zone_names() if needle in z.lower()][:25]
    return [app_commands.Choice(name=z, value=z) for z in matches]


class CheckinsCog(IopCog):
    # The prompt schedule's rows (prompt_schedules, prompt_periods) are core-owned: the
    # prompt service's tables, exported and deleted by bot/services/userdata.py.
    owned_tables: ClassVar[tuple[str, ...]] = ("checkins",)
    required_permissions: ClassVar[discord.Permissions] = discord.Permissions(
        send_messages=True, embed_links=True, attach_files=True, view_channel=True
    )

    checkin = app_commands.Group(
        name="checkin", description="Your daily check-in, your history and your prompt time."
    )

    def __init__(self, bot: commands.Bot, services: Services) -> None:
        super().__init__(bot, services)
        self.repo = CheckinRepository(services.db)
        self.prompts = CheckinPrompts(services)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.services.prompts.register(self.prompts.schedule())  # its job and 50007 hook

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.services.prompts.unregister(SCHEDULE)

    @commands.Cog.listener("on_interaction")
    async def on_checkin_form(self, interaction: discord.Interaction[Any]) -> None:
        """Every submitted check-in form, read from the interaction (works after a restart:
        the form is never kept in discord.py's in-memory modal store)."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str(cast(dict[str, Any], interaction.data or {}).get("custom_id", ""))
        if custom_id.startswith(MODAL_PREFIX):
            await self._checkin_form(interaction)

    @guarded
    async def _checkin_form(self, interaction: discord.Interaction[Any]) -> None:
        await handle_checkin_submit(self.services, interaction)

    # ----- clients -----------------------------------------------------------------------

    @checkin.command(name="today", description="Open today's check-in (5 short questions).")
    async def today(self, interaction: discord.Interaction[Any]) -> None:
        await open_checkin_modal(self.services, interaction)

    @checkin.command(
        name="history", description="Your last 30 days of check-ins (only you see them)."
    )
    async def history(self, interaction: discord.Interaction[Any]) -> None:
        client = await require_client(self.services, interaction.user.id)
        await send_history(interaction, await load_history(self.services, client), own=True)

    @checkin.command(name="settings", description="Your daily prompt time and time zone.")
    @app_commands.describe(
        time="Local time for your daily prompt, HH:MM (24-hour), e.g. 08:30",
        timezone="Your time zone, e.g. America/Chicago",
    )
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def settings_(
        self,
        interaction: discord.Interaction[Any],
        time: str | None = None,
        timezone: str | None = None,
    ) -> None:
        services = self.services
        client = await require_client(services, interaction.user.id)
        local_time: str | Keep | None = KEEP
        if time is not None:
            local_time = parse_hhmm(time).strftime("%H:%M")
        zone = client.timezone
        if timezone is not None:
            zone = parse_zone(timezone)
        now = services.clock.now()
        async with services.db.transaction() as tx:  # fresh reads inside: no stale overwrite
            if zone.key != client.timezone.key:  # re-plans every schedule, this one too
                await set_client_timezone(services, tx, client.user_id, zone, now)
            next_at = await services.prompts.replan(
                tx, SCHEDULE, client.user_id, now, local_time=local_time
            )
            state = await services.prompts.state_in(tx, SCHEDULE, client.user_id)
        if next_at is None:
            raise UserError(NOT_A_CLIENT)
        wall = (state.local_time if state else None) or services.settings.checkins.default_time
        verb = "is now" if time or timezone else "is"
        await reply_ephemeral(
            interaction,
            f"Your daily check-in prompt {verb} at {wall} ({zone.key}). "
            f"Next prompt: <t:{int(next_at.timestamp())}:f>.",
        )

    @checkin.command(name="pause", description="Pause your daily prompts until a date.")
    @app_commands.describe(until_date="The date prompts start again, YYYY-MM-DD")
    async def pause(self, interaction: discord.Interaction[Any], until_date: str) -> None:
        services = self.services
        client = await require_client(services, interaction.user.id)
        now = services.clock.now()
        today = local_date(now, client.timezone)
        until = check_range(
            parse_date(until_date),
            today=today,
            past_days=0,
            future_days=PAUSE_MAX_DAYS,
            what="date prompts start again",
        )
        if until <= today:
            raise UserError("Please pick a date after today (YYYY-MM-DD).")
        async with services.db.transaction() as tx:
            await services.prompts.pause(tx, SCHEDULE, client, until, now)
        await reply_ephemeral(
            interaction,
            f"Your daily prompts are paused. They start again on {until.isoformat()}. "
            "You can still check in any time with /checkin today, and /checkin resume "
            "restarts the prompts sooner.",
        )

    @checkin.command(name="resume", description="Restart your daily prompts now.")
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        services = self.services
        client = await require_client(services, interaction.user.id)
        now = services.clock.now()
        async with services.db.transaction() as tx:
            await services.prompts.resume(tx, SCHEDULE, client, now)
        await reply_ephemeral(interaction, "Your daily check-in prompts are on again.")

    # ----- facilitators ------------------------------------------------------------------

    @checkin.command(name="view", description="A client's last 30 days (facilitators).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def view(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        client = await require_enrolled(self.services, member)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx, actor_id=interaction.user.id, action="checkin.view", subject_user_id=member.id
            )
        await send_history(interaction, await load_history(self.services, client), own=False)

    @checkin.command(name="report", description="This week's check-ins (facilitators).")
    @app_commands.describe(cohort="A cohort's channel (leave empty for all active clients)")
    @facilitator_only()
    async def report(
        self, interaction: discord.Interaction[Any], cohort: discord.TextChannel | None = None
    ) -> None:
        title, clients = await report_clients(self.services, cohort)
        week, rows = await report_rows(self.services, clients)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="checkin.report",
                channel_id=cohort.id if cohort else None,
                clients=len(clients),
            )
        content, table = report_message(title, week, rows)
        if table is None:
            await reply_ephemeral(interaction, content)
        else:
            attached = discord.File(io.BytesIO(table), filename=f"checkin-report-{week}.txt")
            await reply_ephemeral(interaction, content, file=attached)

    @checkin.command(name="export", description="A client's check-ins as CSV (facilitators).")
    @app_commands.describe(member="The client")
    @facilitator_only()
    async def export(self, interaction: discord.Interaction[Any], member: discord.Member) -> None:
        client = await require_enrolled(self.services, member)
        checkins = await self.repo.all_for(client.user_id)
        async with self.services.db.transaction() as tx:
            await self.services.audit.record(
                tx,
                actor_id=interaction.user.id,
                action="checkin.export",
                subject_user_id=member.id,
                rows=len(checkins),
            )
        await reply_ephemeral(
            interaction,
            f"{len(checkins)} check-ins for {shown_name(client.display_name)}. This file holds "
            "health "
            "information: keep it within the care team.",
            file=discord.File(
                io.BytesIO(checkins_csv(checkins)), filename=f"checkins-{client.user_id}.csv"
            ),
        )

    # ----- data contracts ----------------------------------------------------------------

    async def export_user_data(self, user_id: int) -> dict[str, Any]:
        checkins = await self.repo.all_for(user_id)
        if not checkins:
            return {}  # the prompt time and prompted days: the core "prompts" section
        return {
            "checkins": [
                {
                    "local_date": c.local_date.isoformat(),
                    "mood": c.mood,
                    "craving": c.craving,
                    "used": USED_LABELS[c.used],
                    "sleep_hours": c.sleep_hours,
                    "safety_thoughts": None if c.safety is None else SAFETY_LABELS[c.safety],
                    "note": c.note,
                    "submitted_at": c.submitted_at.isoformat(),
                    "replaced": c.replaced,
                }
                for c in checkins
            ],
        }

    async def delete_user_data(self, user_id: int) -> DeletionReport:
        async with self.services.db.transaction() as tx:
            removed = await self.repo.delete_for(tx, user_id)
            # its prompt schedule: the core deletion (bot/services/userdata.py)
            await self.services.outbox.cancel(tx, kind=PROMPT_KIND, subject_user_id=user_id)
        return DeletionReport(removed=removed)

    async def purge_expired(self) -> dict[str, int]:
        days = ANSWERS_DAYS.days(self.services.settings)
        cutoff = self.services.clock.now().date() - timedelta(days=days)
        async with self.services.db.transaction() as tx:
            return {
                **await self.repo.purge_before(tx, cutoff),
                "prompt_periods": await self.services.prompts.purge_before(tx, SCHEDULE, cutoff),
            }
