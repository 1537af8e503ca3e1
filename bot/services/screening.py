"""What people are told about crisis screening (the group agreement, the enrollment welcome).

Honest and complete: which messages are read, that the words are not kept, what happens on
a match, and who sees the alerts.
"""

from __future__ import annotations

from bot.config import Settings


def screening_notice(settings: Settings) -> str:
    where = (
        "messages in the program's group spaces and messages you send to this bot by DM"
        if settings.discord.message_content
        else "messages you send to this bot by DM (and group messages Discord's AutoMod flags)"
    )
    return (
        f"For everyone's safety, {where} are checked automatically for words that suggest "
        "someone may be in crisis. The words are not saved. If something is found, you get "
        "crisis resources privately and the program's facilitators (including whoever is "
        "on call) get a private alert so a person can check in with you; only facilitators "
        "see these alerts, never other group members or family."
    )
