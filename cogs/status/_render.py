"""The text of ``/iopbot status``: plain lines, ids and counts only (no client data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.doctor import CheckLine
from bot.services.jobs import JobRun

MAX_SHOWN_PROBLEMS = 8
MAX_LENGTH = 2000


@dataclass(frozen=True)
class StatusFacts:
    version: str
    started_at: datetime
    now: datetime
    cogs: Sequence[str]
    jobs: Mapping[str, JobRun | None]
    queued: int
    failed_24h: int
    unacknowledged: int
    checks: Sequence[CheckLine]


def duration(delta: timedelta) -> str:
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def status_text(facts: StatusFacts) -> str:
    lines = [
        "**iopbot status**",
        f"Version {facts.version}, up {duration(facts.now - facts.started_at)} "
        f"(since {utc(facts.started_at)})",
        f"Enabled cogs: {', '.join(facts.cogs)}",
        "Jobs, last run:",
    ]
    for job_id, run in sorted(facts.jobs.items()):
        if run is None:
            lines.append(f"- {job_id}: not run yet")
        else:
            outcome = "ok" if run.ok else "ended with an error (see the log)"
            lines.append(f"- {job_id}: {utc(run.finished_at)}, {outcome}")
    lines.append(
        f"Outbox: {facts.queued} queued, {facts.failed_24h} not delivered in the last 24 h"
    )
    lines.append(f"Alerts not acknowledged: {facts.unacknowledged}")
    backup = next((c for c in facts.checks if c.label.startswith("last backup")), None)
    if backup is not None:
        lines.append(backup.label[0].upper() + backup.label[1:])
    failures = [c for c in facts.checks if not c.ok]
    if failures:
        lines.append(f"Doctor: {len(failures)} of {len(facts.checks)} checks fail:")
        lines += [c.render() for c in failures[:MAX_SHOWN_PROBLEMS]]
        if len(failures) > MAX_SHOWN_PROBLEMS:
            lines.append(f"…and {len(failures) - MAX_SHOWN_PROBLEMS} more (`iopbot doctor`)")
    else:
        lines.append(f"Doctor: all {len(facts.checks)} checks pass")
    text = "\n".join(lines)
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 30].rsplit("\n", 1)[0] + "\n…(run `iopbot doctor`)"
    return text
