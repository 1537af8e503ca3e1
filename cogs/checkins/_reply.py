"""The private reply after a check-in: one confirmation, and care that fits the answers.

* safety item answered yes: crisis resources first, the safety-plan and talk buttons;
* a return to use: no judgment, harm-reduction information, the talk button;
* a high craving or a low mood: a few coping options, the talk button;
* crisis language in the note: the crisis resources.

Pure text and views; nothing here is sent anywhere but the ephemeral reply.
"""

from __future__ import annotations

import discord

from bot.domain.checkins import encouragement
from bot.services.container import Services
from bot.services.crisis import crisis_resources_text
from cogs.checkins._modal import SAFETY_PLAN_CUSTOM_ID
from cogs.checkins._submit import SubmitOutcome

TALK_CUSTOM_ID = "iop:checkin:talk"

# The crisis resources text that follows says a facilitator was told, and honestly when
# the space is staffed: nothing here promises more.
SAFETY_OPENING = "Thank you for telling me."
TALK_INVITE = (
    "If you'd like to talk with a facilitator, press the button below and I'll let them "
    "know privately."
)


def _saved_line(outcome: SubmitOutcome) -> str:
    when = (
        "today"
        if outcome.local_date == outcome.today
        else f"{outcome.local_date.isoformat()} (the day you opened the form)"
    )
    if outcome.replaced:
        earlier = "today" if outcome.local_date == outcome.today else "that day"
        return (
            f"Your check-in for {when} is updated: this replaces the one you sent earlier "
            f"{earlier}."
        )
    return f"Your check-in for {when} is saved."


def confirmation_text(services: Services, outcome: SubmitOutcome) -> str:
    """One confirmation (never two thank-yous), then what the answers call for."""
    settings = services.settings.checkins
    days = "day" if outcome.streak == 1 else "days"
    streak = f"Check-in streak: **{outcome.streak} {days}** in a row."
    lines: list[str] = []
    if outcome.safety_yes:
        lines += [SAFETY_OPENING, "", crisis_resources_text(services), ""]
        lines += [
            "Your safety plan is one tap away (button below). You can also ask to talk "
            "with a facilitator.",
            "",
            _saved_line(outcome),
        ]
    else:
        lines += [
            _saved_line(outcome),
            streak,
            encouragement(outcome.streak, used="yes" if outcome.used == "yes" else "no"),
        ]
    if outcome.used == "yes":
        lines += [
            "",
            "A return to use doesn't erase the work you've done. You are still in this "
            "program and your team is here for you, without judgment.",
        ]
        if settings.harm_reduction_info.strip():
            lines += ["", settings.harm_reduction_info.strip()]
    elif outcome.coping and settings.coping_info.strip():
        lines += ["", settings.coping_info.strip()]
    if not outcome.safety_yes and (outcome.used == "yes" or outcome.coping):
        lines += ["", TALK_INVITE]
    if outcome.crisis and not outcome.safety_yes:
        lines += ["", crisis_resources_text(services)]
    lines += ["", "Only you and your care team can see your answers."]
    return "\n".join(lines)


def reply_view(outcome: SubmitOutcome) -> discord.ui.View | None:
    """The buttons the reply needs (handled by persistent items), or None."""
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    if outcome.safety_yes:
        buttons.append(
            discord.ui.Button(
                label="My safety plan",
                custom_id=SAFETY_PLAN_CUSTOM_ID,
                style=discord.ButtonStyle.secondary,
            )
        )
    if outcome.safety_yes or outcome.used == "yes" or outcome.coping:
        buttons.append(
            discord.ui.Button(
                label="Talk to a facilitator",
                custom_id=TALK_CUSTOM_ID,
                style=discord.ButtonStyle.primary,
            )
        )
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    view.stop()
    return view
