"""How a safety plan looks: one embed with a field per part, and the short texts around it.

Everything here is shown privately (ephemeral replies); nothing is logged.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.db.repositories.safetyplan import SafetyPlan
from bot.domain.safetyplan import PlanPart

NOT_FILLED = "_Not filled in yet._"
EMBED_COLOUR = discord.Colour.teal()

NO_PLAN = (
    "You don't have a safety plan yet. It's a short list, in your own words, of what helps "
    "when things get hard: your warning signs, what you can do, and who you can reach. It "
    "takes a few minutes, only you and your care team can see it, and you can change it any "
    "time."
)
NO_PLAN_NOT_CLIENT = (
    "You don't have a safety plan here: safety plans are made with the program's care team. "
    "If you need someone right now, these are open any time:"
)


def plan_embed(
    plan: SafetyPlan, parts: Iterable[PlanPart], *, title: str, own: bool
) -> discord.Embed:
    updated = f"<t:{int(plan.updated_at.timestamp())}:D>"
    description = (
        f"Your plan, in your words (last changed {updated}). Only you and your care team "
        "can see it. Change it any time with /safetyplan edit."
        if own
        else f"Last changed {updated}. Health information: keep it within the care team."
    )
    embed = discord.Embed(title=title, description=description, colour=EMBED_COLOUR)
    for number, part in enumerate(parts, start=1):
        embed.add_field(
            name=f"{number}. {part.title}", value=plan.text(part.key) or NOT_FILLED, inline=False
        )
    return embed


def step_saved_text(saved: Iterable[PlanPart]) -> str:
    names = ", ".join(part.title.lower() for part in saved)
    return (
        f"Step 1 of 2 is saved ({names}). Press Continue for the last three parts; if you "
        "stop here, what you wrote is kept."
    )


FINISHED = "Your safety plan is saved. Here it is; /safetyplan show brings it back any time."


def resources_lines(resources: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"• **{name}**: {contact}" for name, contact in resources)
