"""Wording for data-rights replies and the audit-trail view (ids and actions, no content)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

from bot.cogbase import DeletionReport
from bot.config import SafetySettings
from bot.db.repositories.audit import AuditEntry
from bot.domain.text import fit_lines
from bot.services.userdata import KEPT_AUDIT, KEPT_REQUESTS, removable_sections

AUDIT_LINES = 20


def section_summary(document: dict[str, Any]) -> list[str]:
    """``"checkins: 12 records"`` lines for an export document."""
    lines = []
    for name, part in sorted(document.get("sections", {}).items()):
        lines.append(f"- {name.replace('_', ' ')}: {_count(part)} record(s)")
    return lines


def _count(part: Any) -> int:
    if isinstance(part, list):
        return len(part)
    if isinstance(part, dict):
        return sum(_count(v) if isinstance(v, list | dict) else 0 for v in part.values()) or 1
    return 1


def _moderation_kept(document: dict[str, Any], safety: SafetySettings) -> list[str]:
    """What the moderation record keeps about this person after a deletion, if anything."""
    sections = document.get("sections", {})
    moderation = sections.get("moderation")
    safety_part = sections.get("safety")
    lines = []
    if isinstance(moderation, dict) and moderation.get("moderation_cases"):
        lines.append(
            "- moderation cases about you (the action, a short reason and when; never message "
            "content) are the program's record of actions taken in its server; kept "
            f"{safety.mod_case_days} days, then removed."
        )
    if isinstance(safety_part, dict) and safety_part.get("reports_about_you"):
        lines.append(
            "- reports other members made about your messages are their records and part of "
            f"the moderation record; kept {safety.report_days} days, then removed."
        )
    return lines


def delete_prompt(document: dict[str, Any], minutes: int, safety: SafetySettings) -> str:
    """The confirmation step: what would be removed, and what is kept and why."""
    removable = {
        "sections": {
            k: v
            for k, v in document.get("sections", {}).items()
            if k in removable_sections(document)
        }
    }
    lines = [
        "**Delete your data from iopbot?**",
        "This removes what iopbot holds about you that the program does not have to keep:",
        *(section_summary(removable) or ["- (nothing besides the records listed below)"]),
        "",
        "What is kept, and why:",
        f"- {KEPT_AUDIT}.",
        f"- {KEPT_REQUESTS}.",
        "- if family members received session notices with your consent, the accounting of "
        "those disclosures is kept 6 years (42 CFR Part 2).",
        *_moderation_kept(document, safety),
        "",
        "If you are still in the program, you will no longer get prompts; a facilitator can "
        "enroll you again. Your treatment records held by the program outside Discord are "
        "not affected.",
        f"Press **Delete my data** within {minutes} minutes to go ahead, or **Keep my data**.",
    ]
    return fit_lines(lines, more="… (more in `/mydata export`)")


def deletion_result(report: DeletionReport, *, complete: bool) -> str:
    removed = {t: n for t, n in sorted(report.removed.items()) if n}
    total = sum(removed.values())
    lines = [f"Done. I removed {total} record(s) iopbot held about you."]
    if removed:
        lines.append(
            "Removed: " + ", ".join(f"{t.replace('_', ' ')} {n}" for t, n in removed.items())
        )
    if not complete:
        lines.append(
            "A part could not be removed just now; it will be finished automatically at the "
            "next daily clean-up."
        )
    lines.append("Kept, and why:")
    lines.extend(f"- {reason}." for _, reason in sorted(report.kept.items()))
    return fit_lines(lines)


def audit_embed(
    name: str,
    entries: list[AuditEntry],
    total: int,
    who: Callable[[int], str],
) -> discord.Embed:
    embed = discord.Embed(title=f"Audit trail: {name}")
    if not entries:
        embed.description = "No staff actions on this record yet."
        return embed
    lines = []
    for entry in entries:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(entry.detail.items()))
        when = entry.at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(
            f"`{when}` **{entry.action}** by {who(entry.actor_id)}"
            + (f" ({detail})" if detail else "")
        )
    embed.description = "\n".join(lines)[:4000]
    shown = len(entries)
    embed.set_footer(
        text=f"Showing the latest {shown} of {total}. Ids and actions only; never content."
    )
    return embed
