"""Wiring: ``create_bot(settings, …)`` builds the bot; ``setup_hook`` builds everything else.

Nothing does I/O at construction. ``setup_hook`` opens and migrates the database, builds
the services, loads the enabled cogs, syncs slash commands only when they changed, and
starts the jobs. ``close()`` stops all of it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

import discord
import yarl
from aiolimiter import AsyncLimiter
from discord.ext import commands

from bot.config import Settings
from bot.db.database import Database
from bot.db.lock import DatabaseLock
from bot.db.migrate import migrate
from bot.db.repositories.alerts import AlertRepository
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.clients import ClientRepository
from bot.db.repositories.dm_channels import DmChannelRepository
from bot.db.repositories.ledger import LedgerRepository
from bot.db.repositories.meta import MetaRepository
from bot.db.repositories.outbox import OutboxRepository
from bot.extensions import CORE_COGS, installed
from bot.files import program_file_problems
from bot.keys import key_file_path, load_program_key
from bot.services.alerts import Alerts
from bot.services.audit import Audit
from bot.services.clock import Clock, SystemClock
from bot.services.container import Services
from bot.services.dispatcher import Dispatcher
from bot.services.doctor import (
    CheckLine,
    GuildView,
    commands_check,
    guild_checks,
)
from bot.services.errors import handle_interaction_error
from bot.services.jobs import Jobs
from bot.services.notices import Notice
from bot.services.outbox import ChannelTarget, Outbox
from bot.services.permissions import Permissions
from bot.services.prompts import Prompts
from bot.services.sender import DiscordSender, make_limiter
from bot.services.tasks import TaskGroup

log = logging.getLogger("iopbot.app")

DISPATCH_JOB = "outbox:dispatch"
COMMANDS_HASH_KEY = "commands_hash"
# Failing start-up checks about posting alerts are logged as errors, the rest as warnings.
ALERT_CHANNEL_CHECKS = ("channels.staff_alerts", "roles.on_call")
GATEWAY_FAILURES = 5
# Errors no reconnect can fix: they end the process (bot/cli.py gives each an exit code).
FATAL_GATEWAY_ERRORS = (discord.LoginFailure, discord.PrivilegedIntentsRequired)


def point_discord_at(api_base: str) -> None:
    """Send discord.py's REST and gateway traffic to ``api_base`` (the offline emulator)."""
    base = api_base.rstrip("/")
    url = yarl.URL(base)
    scheme = "wss" if url.scheme == "https" else "ws"
    discord.http.Route.BASE = f"{base}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = url.with_scheme(scheme).with_path("/gateway")


def cog_modules(settings: Settings) -> list[str]:
    names = list(CORE_COGS) + [n for n in settings.cogs.enabled if n not in CORE_COGS]
    return [f"cogs.{name}" for name in names]


def unknown_cogs(settings: Settings) -> list[str]:
    present = set(installed(settings.cogs.enabled))
    return [name for name in settings.cogs.enabled if name not in present]


class IopBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        db: Database | None = None,
        autostart_jobs: bool = True,
        send_limiter: AsyncLimiter | None = None,
    ) -> None:
        # iopbot never joins voice: silence discord.py's "voice will NOT be supported" notes.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = settings.discord.message_content
        extra: dict[str, Any] = {}
        if settings.discord.application_id is not None:
            extra["application_id"] = settings.discord.application_id
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **extra,
        )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.db = db or Database(
            settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms
        )
        self.autostart_jobs = autostart_jobs
        self._send_limiter = send_limiter
        self._services: Services | None = None
        self._db_lock: DatabaseLock | None = None
        self._kick_pending = False
        self.started_at = self.clock.now()
        # Start-up steps that failed without stopping the bot (logged, told to the mod log).
        self.degraded: list[str] = []
        self._ready_count = 0

    def reconfigure(self, settings: Settings) -> None:
        """Replace the settings before login (the test harness learns ids after building)."""
        if self._services is not None:
            raise RuntimeError("settings can only change before the bot logs in")
        self.settings = settings
        self.db = Database(
            settings.database.path, busy_timeout_ms=settings.database.busy_timeout_ms
        )

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are built in setup_hook")
        return self._services

    async def login(self, token: str) -> None:
        if self.settings.discord.api_base:
            point_discord_at(self.settings.discord.api_base)
        await super().login(token)

    async def setup_hook(self) -> None:
        if str(self.db.path) != ":memory:":
            self._db_lock = DatabaseLock(self.db.path)
            self._db_lock.acquire()
        await self.db.connect()
        applied = await migrate(self.db)
        if applied:
            log.info("db.migrated", extra={"versions": [m.version for m in applied]})
        self._check_files()
        self._services = self._build_services()
        await self.sender.load_known_channels()
        self.tree.on_error = handle_interaction_error  # type: ignore[method-assign]
        self.services.jobs.every(
            DISPATCH_JOB,
            self.services.dispatcher.run_once,
            timedelta(seconds=self.settings.outbox.poll_seconds),
        )
        for module in cog_modules(self.settings):
            await self._startup_step(
                f"feature {module.removeprefix('cogs.')}", self.load_extension(module)
            )
        # After the features registered their hooks: a notice found delivered runs on_sent.
        await self._startup_step("outbox recovery", self.services.dispatcher.release_stale_claims())
        await self._startup_step("slash command sync", self.sync_commands())
        if self.autostart_jobs:
            self.services.jobs.start()
            self.services.tasks.spawn(self.run_due_work(), name="startup-catch-up")
        self.services.tasks.spawn(self._verify_guild_setup(), name="verify-guild-setup")
        # ~15 µs a row: in the background, so a long trail never delays start-up.
        self.services.tasks.spawn(self.check_audit_chain(), name="verify-audit-chain")

    def _check_files(self) -> None:
        """Warn about database, backup-adjacent and key files other accounts can read."""
        if str(self.db.path) != ":memory:":
            for problem in program_file_problems(self.db.path, key_file_path(self.settings)):
                log.warning("files.too_open", extra={"problem": problem})

    async def check_audit_chain(self) -> list[str]:
        """Verify the audit trail's and disclosures' hash chains; log each broken link."""
        problems = await LedgerRepository(self.db).verify()
        for problem in problems:
            log.error("audit.chain_broken", extra={"problem": problem})
        return problems

    async def _startup_step(self, what: str, step: Coroutine[Any, Any, object]) -> bool:
        """Run one start-up step that is not fatal: on an exception, log it as JSON with a
        reference code, note ``what`` as degraded, and carry on."""
        try:
            await step
        except Exception as exc:
            ref = secrets.token_hex(2).upper()
            self.degraded.append(f"{what} (ref {ref})")
            log.error(
                "startup.degraded",
                exc_info=(type(exc), exc, exc.__traceback__),
                extra={"ref": ref, "step": what},
            )
            return False
        return True

    def _build_services(self) -> Services:
        settings, db, clock = self.settings, self.db, self.clock
        outbox_repo = OutboxRepository(db)
        clients = ClientRepository(db)
        outbox = Outbox(outbox_repo, clock)
        limiter = self._send_limiter or make_limiter(settings.outbox.rate_per_second)
        self.sender = DiscordSender(
            self,
            limiter,
            store=DmChannelRepository(db),
            clock=clock,
            dm_preview=settings.program.dm_preview,
        )
        dispatcher = Dispatcher(
            db=db,
            repo=outbox_repo,
            clock=clock,
            send=self.sender,
            settings=settings.outbox,
            history=self.sender.recent_messages,
        )
        outbox.on_due_now(self.kick_dispatcher)
        alert_repo = AlertRepository(db)
        audit_repo = AuditRepository(db)
        jobs = Jobs(misfire_grace_seconds=settings.outbox.misfire_grace_seconds, clock=clock)
        key = load_program_key(settings)
        return Services(
            settings=settings,
            db=db,
            clock=clock,
            jobs=jobs,
            tasks=TaskGroup(),
            outbox=outbox,
            dispatcher=dispatcher,
            perms=Permissions(settings.roles, settings.discord.guild_id),
            audit=Audit(audit_repo, clock),
            alerts=Alerts(
                db=db,
                repo=alert_repo,
                clients=clients,
                outbox=outbox,
                clock=clock,
                settings=settings,
                member_roles=self.member_role_ids,
            ),
            clients=clients,
            outbox_repo=outbox_repo,
            alert_repo=alert_repo,
            audit_repo=audit_repo,
            meta=MetaRepository(db),
            key=key,
            prompts=Prompts(
                db=db,
                clock=clock,
                clients=clients,
                outbox=outbox,
                dispatcher=dispatcher,
                jobs=jobs,
                key=key,
            ),
        )

    def kick_dispatcher(self) -> None:
        """Send newly queued, already-due notices soon (one pending run at a time)."""
        if self._services is None or self._kick_pending or self.is_closed():
            return
        self._kick_pending = True

        async def run() -> None:
            try:
                await self.services.dispatcher.run_once()
            finally:
                self._kick_pending = False

        self.services.tasks.spawn(run(), name="outbox-kick")

    async def run_due_work(self) -> None:
        """Run every planner once, then the dispatcher: catch up on everything due now."""
        jobs = self.services.jobs
        for job_id in jobs.job_ids():
            if job_id != DISPATCH_JOB:
                await jobs.run(job_id)
        await jobs.run(DISPATCH_JOB)

    def command_payload(self, guild: discord.abc.Snowflake) -> list[dict[str, Any]]:
        commands_ = self.tree.get_commands(guild=guild)
        return sorted((c.to_dict(self.tree) for c in commands_), key=lambda c: str(c["name"]))

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync guild-scoped commands when their definition changed; return True if synced."""
        guild_id = self.settings.discord.guild_id
        if guild_id is None:
            log.warning("commands.no_guild_id")
            return False
        guild = discord.Object(guild_id)
        self.tree.copy_global_to(guild=guild)
        payload = json.dumps(self.command_payload(guild), sort_keys=True, default=str)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        meta = self.services.meta
        if not force and await meta.get(COMMANDS_HASH_KEY) == digest:
            return False
        await self.tree.sync(guild=guild)
        async with self.db.transaction() as tx:
            await meta.set(tx, COMMANDS_HASH_KEY, digest)
        log.info("commands.synced", extra={"guild_id": guild_id})
        return True

    async def _verify_guild_setup(self) -> None:
        await self.wait_until_ready()
        for line in await self.doctor_lines():
            if line.ok:
                continue
            if line.label.startswith(ALERT_CHANNEL_CHECKS):
                # Alerts are the safety net: say exactly which permission is missing, loudly.
                log.error("setup.alert_channel", extra={"problem": line.render()})
            else:
                log.warning("setup.problem", extra={"problem": line.render()})
        if self.degraded:
            await self._announce_degraded()

    async def _announce_degraded(self) -> None:
        """Tell the staff (mod log) what did not start; the log has the tracebacks."""
        log.warning("startup.running_degraded", extra={"degraded": self.degraded})
        channel_id = self.settings.channels.mod_log
        if channel_id is None:
            return
        started = self.clock.now()
        text = (
            "iopbot is running with reduced function; these did not start: "
            + "; ".join(self.degraded)
            + ". Everything else works. The log has details under each ref."
        )
        async with self.db.transaction() as tx:
            await self.services.outbox.enqueue(
                tx,
                dedupe_key=f"degraded:{started.isoformat()}",
                kind="bot_status",
                target=ChannelTarget(channel_id),
                notice=Notice(content=text[:1900]),
            )

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """An event handler raised: log it as JSON with a reference code and carry on."""
        ref = secrets.token_hex(2).upper()
        log.error("event.error", exc_info=True, extra={"ref": ref, "event": event_method})

    async def connect(self, *, reconnect: bool = True) -> None:
        """Stay connected through gateway errors discord.py does not handle itself (e.g. a
        payload it can't parse): log with a ref, wait, connect again. Give up only after
        ``GATEWAY_FAILURES`` unexpected failures in a row without a READY in between."""
        failures = 0
        while True:
            ready_before = self._ready_count
            try:
                await super().connect(reconnect=reconnect)
                return
            except FATAL_GATEWAY_ERRORS:
                raise
            except Exception as exc:
                if self.is_closed() or not reconnect:
                    raise
                failures = 1 if self._ready_count > ready_before else failures + 1
                ref = secrets.token_hex(2).upper()
                log.error(
                    "gateway.error",
                    exc_info=(type(exc), exc, exc.__traceback__),
                    extra={"ref": ref, "failures": failures},
                )
                if failures >= GATEWAY_FAILURES:
                    raise
                await asyncio.sleep(min(2**failures, 60))

    async def on_ready(self) -> None:
        self._ready_count += 1

    async def doctor_lines(self) -> list[CheckLine]:
        """The doctor's server checks on the gateway's view (start-up, /iopbot status)."""
        guild_id = self.settings.discord.guild_id
        guild = self.get_guild(guild_id) if guild_id else None
        view = GuildView.from_cache(guild) if guild is not None else None
        if guild is None or view is None:
            return [
                CheckLine(
                    False,
                    f"discord.guild_id: the bot is not in server {guild_id}",
                    "run `iopbot setup`, or invite the bot with `iopbot invite-url`",
                )
            ]
        needed = discord.Permissions.none()
        for cog in self.cogs.values():
            needed.value |= getattr(cog, "required_permissions", needed).value
        # (No intent lines: Discord refuses a connection that asks for one not turned on.)
        lines = guild_checks(view, self.settings, needed)
        try:
            synced = await self.tree.fetch_commands(guild=guild)
        except discord.HTTPException:
            return lines
        expected = [c.name for c in self.tree.get_commands(guild=guild)]
        lines.append(commands_check(expected, [c.name for c in synced]))
        return lines

    async def close(self) -> None:
        if self._services is not None:
            await self._services.jobs.stop()
            await self._services.tasks.cancel_all()
        await super().close()
        await self.db.close()
        self.release_database()

    def member_role_ids(self, user_id: int) -> set[int]:
        """The role ids the program's server gives `user_id` (empty if not a member)."""
        guild_id = self.settings.discord.guild_id
        guild = self.get_guild(guild_id) if guild_id else None
        member = guild.get_member(user_id) if guild else None
        return set() if member is None else {role.id for role in member.roles}

    def release_database(self) -> None:
        """Let another process (or a restarted bot) open the database."""
        if self._db_lock is not None:
            self._db_lock.release()


def create_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    db: Database | None = None,
    autostart_jobs: bool = True,
    send_limiter: AsyncLimiter | None = None,
) -> IopBot:
    """Build the bot. No I/O happens until it logs in (``setup_hook``).

    ``send_limiter`` replaces the global send-rate bucket (simcord tests run on virtual
    loop time, where a real-time bucket never refills; the rate is tested on its own).
    """
    return IopBot(
        settings, clock=clock, db=db, autostart_jobs=autostart_jobs, send_limiter=send_limiter
    )
