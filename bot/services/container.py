"""The services a cog receives in its constructor, built once in ``setup_hook``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.db.database import Database
from bot.db.repositories.alerts import AlertRepository
from bot.db.repositories.audit import AuditRepository
from bot.db.repositories.clients import ClientRepository
from bot.db.repositories.meta import MetaRepository
from bot.db.repositories.outbox import OutboxRepository
from bot.keys import ProgramKey
from bot.services.alerts import Alerts
from bot.services.audit import Audit
from bot.services.clock import Clock
from bot.services.dispatcher import Dispatcher
from bot.services.jobs import Jobs
from bot.services.outbox import Outbox
from bot.services.permissions import Permissions
from bot.services.prompts import Prompts
from bot.services.tasks import TaskGroup


@dataclass(slots=True)
class Services:
    settings: Settings
    db: Database
    clock: Clock
    jobs: Jobs
    tasks: TaskGroup
    outbox: Outbox
    dispatcher: Dispatcher
    perms: Permissions
    audit: Audit
    alerts: Alerts
    clients: ClientRepository
    outbox_repo: OutboxRepository
    alert_repo: AlertRepository
    audit_repo: AuditRepository
    meta: MetaRepository
    key: ProgramKey
    prompts: Prompts  # recurring per-client prompts (check-ins, surveys, ...)
