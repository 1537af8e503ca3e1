"""AutoMod presets from config: crisis language alerts only (never blocks; keywords,
regexes and allow list come from the detector's lexicon, bot/domain/crisis/automod.py),
drug-sourcing terms block with a kind message and alert, mention spam blocks and alerts.
The facilitator role is exempt. Rules are found by name, so installing again updates
instead of duplicating."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord

from bot.config import Settings
from bot.domain.crisis.automod import crisis_automod_spec
from bot.domain.moderation import (
    AUTOMOD_CRISIS_RULE,
    AUTOMOD_MENTION_RULE,
    AUTOMOD_SOURCING_RULE,
    automod_keywords,
)

log = logging.getLogger("iopbot.automod")

CRISIS_RULE = AUTOMOD_CRISIS_RULE
SOURCING_RULE = AUTOMOD_SOURCING_RULE
MENTION_RULE = AUTOMOD_MENTION_RULE
RULE_NAMES = (CRISIS_RULE, SOURCING_RULE, MENTION_RULE)


@dataclass(frozen=True, slots=True)
class RuleSpec:
    name: str
    trigger: discord.AutoModTrigger
    actions: list[discord.AutoModRuleAction]


def rule_specs(settings: Settings, staff_channel_id: int) -> list[RuleSpec]:
    alert = discord.AutoModRuleAction(channel_id=staff_channel_id)
    safety = settings.safety
    crisis = crisis_automod_spec(safety.crisis_terms)
    return [
        RuleSpec(
            CRISIS_RULE,
            discord.AutoModTrigger(
                type=discord.AutoModRuleTriggerType.keyword,
                keyword_filter=crisis.keywords,
                regex_patterns=crisis.regexes,
                allow_list=crisis.allow_list,
            ),
            [alert],
        ),
        RuleSpec(
            SOURCING_RULE,
            discord.AutoModTrigger(
                type=discord.AutoModRuleTriggerType.keyword,
                keyword_filter=automod_keywords(safety.sourcing_terms),
            ),
            [discord.AutoModRuleAction(custom_message=safety.sourcing_block_message), alert],
        ),
        RuleSpec(
            MENTION_RULE,
            discord.AutoModTrigger(
                type=discord.AutoModRuleTriggerType.mention_spam,
                mention_limit=safety.automod_mention_limit,
            ),
            [
                discord.AutoModRuleAction(custom_message="Please mention fewer people at once."),
                alert,
            ],
        ),
    ]


async def install(
    guild: discord.Guild, settings: Settings, staff_channel_id: int, reason: str
) -> list[str]:
    """Create or update each preset; one line per rule saying what happened."""
    facilitator_id = settings.roles.facilitator
    facilitator = guild.get_role(facilitator_id) if facilitator_id else None
    exempt = [facilitator] if facilitator is not None else []
    existing = {rule.name: rule for rule in await guild.fetch_automod_rules()}
    lines = []
    for spec in rule_specs(settings, staff_channel_id):
        rule = existing.get(spec.name)
        try:
            if rule is None:
                await guild.create_automod_rule(
                    name=spec.name,
                    event_type=discord.AutoModRuleEventType.message_send,
                    trigger=spec.trigger,
                    actions=spec.actions,
                    enabled=True,
                    exempt_roles=exempt,
                    reason=reason,
                )
                lines.append(f"Created **{spec.name}**.")
            else:
                await rule.edit(
                    trigger=spec.trigger,
                    actions=spec.actions,
                    enabled=True,
                    exempt_roles=exempt,
                    reason=reason,
                )
                lines.append(f"Updated **{spec.name}**.")
        except discord.Forbidden:
            raise
        except discord.HTTPException as exc:
            log.warning("automod.rule_failed", extra={"rule": spec.name, "code": exc.code})
            lines.append(
                f"Couldn't set up **{spec.name}** (Discord error {exc.code or exc.status}); "
                "a server allows only one mention-spam rule and six keyword rules."
            )
    return lines


async def status(guild: discord.Guild, settings: Settings) -> list[str]:
    existing = {rule.name: rule for rule in await guild.fetch_automod_rules()}
    facilitator_id = settings.roles.facilitator
    lines = []
    for name in RULE_NAMES:
        rule = existing.get(name)
        if rule is None:
            lines.append(f"**{name}**: not installed (run `/automod install`).")
            continue
        state = "on" if rule.enabled else "off"
        count = len(rule.trigger.keyword_filter or [])
        what = f"{count} keywords" if count else f"limit {rule.trigger.mention_limit} mentions"
        exempt = (
            "facilitators exempt"
            if facilitator_id in rule.exempt_role_ids
            else ("facilitators NOT exempt")
        )
        lines.append(f"**{name}**: {state}, {what}, {exempt}.")
    return lines
