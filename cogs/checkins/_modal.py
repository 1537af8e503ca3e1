"""The check-in modal: the five questions of DOMAIN.md, answered privately."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.repositories.checkins import Checkin, CheckinRepository
from bot.domain.checkins import NOTE_MAX, USED_LABELS, AnswerErrors, parse_answers
from bot.domain.localtime import local_date
from bot.services.container import Services
from bot.services.errors import IopModal, UserError, reply_ephemeral
from cogs.checkins._submit import (
    TALK_CUSTOM_ID,
    confirmation_text,
    require_client,
    save_checkin,
)

log = logging.getLogger("iopbot.checkins")

MODAL_PREFIX = "iop:checkin:modal:"


def modal_custom_id(user_id: int) -> str:
    """One modal per person: discord.py keys open modals by custom id alone, so a shared
    id would let one client's submission land in another client's modal object."""
    return f"{MODAL_PREFIX}{user_id}"


class CheckinModal(IopModal, title="Daily check-in"):
    mood: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
        label="Mood today (1-10)",
        placeholder="1 = very low, 10 = very good",
        custom_id="mood",
        max_length=6,
    )
    craving: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
        label="Craving right now (0-10)",
        placeholder="0 = none, 10 = very strong",
        custom_id="craving",
        max_length=6,
    )
    used: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
        label="Used since your last check-in?",
        placeholder="yes / no / rather not say",
        custom_id="used",
        max_length=30,
    )
    sleep: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
        label="Hours of sleep last night",
        placeholder="e.g. 7 or 6.5",
        custom_id="sleep",
        max_length=12,
    )
    note: discord.ui.TextInput[CheckinModal] = discord.ui.TextInput(
        label="Anything for your counselor? (optional)",
        style=discord.TextStyle.paragraph,
        placeholder="Only your care team sees this.",
        custom_id="note",
        required=False,
        max_length=NOTE_MAX,
    )

    def __init__(self, services: Services, user_id: int, today: Checkin | None = None) -> None:
        super().__init__(custom_id=modal_custom_id(user_id), timeout=None)
        self.services = services
        self.user_id = user_id
        if today is not None:  # a second check-in today starts from the first one's answers
            self.mood.default = str(today.mood)
            self.craving.default = str(today.craving)
            self.used.default = USED_LABELS[today.used]
            self.sleep.default = f"{today.sleep_hours:g}"
            self.note.default = today.note or None

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return interaction.user.id == self.user_id

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        services = self.services
        raw = {
            "mood": self.mood.value,
            "craving": self.craving.value,
            "used": self.used.value,
            "sleep": self.sleep.value,
            "note": self.note.value,
        }
        client = await require_client(services, interaction.user.id)
        try:
            answers = parse_answers(**raw)
        except AnswerErrors as exc:
            log.info(
                "checkin.rejected",
                extra={
                    "person": services.key.pseudonym(client.user_id),
                    "fields": len(exc.problems),
                },
            )
            raise UserError(exc.message()) from None
        outcome = await save_checkin(services, client, answers)
        view = talk_view() if outcome.used == "yes" else None
        text = confirmation_text(services, outcome)
        if view is None:
            await reply_ephemeral(interaction, text)
        else:
            await reply_ephemeral(interaction, text, view=view)


def talk_view() -> discord.ui.View:
    """The "talk to a facilitator" button; its click is handled by a persistent item."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Talk to a facilitator",
            custom_id=TALK_CUSTOM_ID,
            style=discord.ButtonStyle.primary,
        )
    )
    view.stop()
    return view


async def open_checkin_modal(services: Services, interaction: discord.Interaction[Any]) -> None:
    """Show today's check-in modal to an active client (prefilled if they already sent one)."""
    client = await require_client(services, interaction.user.id)
    today = local_date(services.clock.now(), client.timezone)
    existing = await CheckinRepository(services.db).on_date(client.user_id, today)
    await interaction.response.send_modal(CheckinModal(services, client.user_id, existing))
