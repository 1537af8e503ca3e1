"""Persistent buttons: Confirm / Can't make it on notices, and the consent confirmation.

Everything a button needs is in its ``custom_id``, so they keep working after a restart.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.domain.consent import SCOPE, expiry_text
from bot.domain.family_notices import discord_time
from bot.domain.text import shown_name
from bot.services.components import FixedButton, PartsButton
from bot.services.container import Services
from bot.services.errors import UserError, guarded, note_done, reply_ephemeral
from cogs.family._common import Family, log, tell_staff
from cogs.family._consent import CANCEL_CUSTOM_ID, confirm_grant


class RsvpButton(
    PartsButton,
    template=r"iop:family:rsvp:(?P<session>\d+):(?P<answer>yes|no)",
):
    def __init__(self, session_id: int, yes: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Confirm" if yes else "Can't make it",
                style=discord.ButtonStyle.success if yes else discord.ButtonStyle.secondary,
                custom_id=f"iop:family:rsvp:{session_id}:{'yes' if yes else 'no'}",
            )
        )
        self.session_id = session_id
        self.yes = yes

    @classmethod
    def from_match(cls, match: re.Match[str]) -> RsvpButton:
        return cls(int(match["session"]), match["answer"] == "yes")

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        services: Services = interaction.client.services
        family = Family.of(services)
        session = await family.sessions.get(self.session_id)
        if session is None:
            raise UserError("That session is no longer on the calendar.")
        if session.is_cancelled:
            raise UserError("That session was cancelled, so there's nothing to answer.")
        if session.starts_at <= family.now():
            raise UserError("That session has already started.")
        user_id = interaction.user.id
        name = await self._responder_name(family, session.client_id, user_id)
        answer = "confirm" if self.yes else "cant"
        verb = "will be at" if self.yes else "can't make"
        now = family.now()
        async with services.db.transaction() as tx:
            earlier = await family.sessions.respond(tx, session.id, user_id, answer, now)
            if earlier == answer:  # a repeated click: the staff already know
                changed = False
            else:
                changed = True
                # Keyed by the interaction: a re-delivered click is the same notice.
                await tell_staff(
                    family,
                    tx,
                    dedupe_key=f"family:rsvp:{session.id}:{user_id}:{interaction.id}",
                    content=(
                        f"{name} {verb} family session #{session.id} "
                        f"({discord_time(session.starts_at, 'f')})."
                    ),
                    subject_user_id=session.client_id,
                    mention_user_id=session.facilitator_id,
                )
        log.info(
            "family.rsvp",
            extra={"session_id": session.id, "user_id": user_id, "changed": changed},
        )
        await reply_ephemeral(
            interaction,
            (
                f"Thank you. {session.facilitator_name} knows you'll be there."
                if self.yes
                else f"Thank you for letting us know. {session.facilitator_name} will be told."
            ),
        )

    @staticmethod
    async def _responder_name(family: Family, client_id: int, user_id: int) -> str:
        if user_id == client_id:
            client = await family.services.clients.get(client_id)
            return f"{shown_name(client.display_name) if client else 'The client'} (client)"
        for contact in await family.contacts.contacts_of_user(user_id):
            if contact.client_id == client_id and contact.is_linked:
                client = await family.services.clients.get(client_id)
                of = shown_name(client.display_name) if client else f"member {client_id}"
                return f"{shown_name(contact.label)}, family of {of},"
        raise UserError("This session's notice wasn't meant for you.")


class ConsentConfirmButton(
    PartsButton,
    template=r"iop:family:consent:ok:(?P<contact>\d+):(?P<expires>\d{8})",
):
    def __init__(self, contact_id: int, expires_on: date) -> None:
        super().__init__(
            discord.ui.Button(
                label="Confirm",
                style=discord.ButtonStyle.success,
                custom_id=f"iop:family:consent:ok:{contact_id}:{expires_on:%Y%m%d}",
            )
        )
        self.contact_id = contact_id
        self.expires_on = expires_on

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ConsentConfirmButton:
        raw = match["expires"]
        try:
            expires_on = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            expires_on = date.min
        return cls(int(match["contact"]), expires_on)

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        family = Family.of(interaction.client.services)
        terms = await confirm_grant(
            family,
            user_id=interaction.user.id,
            contact_id=self.contact_id,
            expires_on=self.expires_on,
        )
        note_done(
            interaction,
            f"Your consent is saved: {terms.recipient_name} will get family-session notices.",
        )
        await interaction.response.edit_message(
            content=(
                f"Saved. {shown_name(terms.recipient_name)} will get family-session notices "
                f"with the {SCOPE} only, {expiry_text(terms)}. You can revoke this at any time "
                "with /family consent revoke."
            ),
            embed=None,
            view=None,
        )


class ConsentCancelButton(FixedButton, template=r"iop:family:consent:no"):
    custom_id_value = CANCEL_CUSTOM_ID
    label = "Cancel"
    style = discord.ButtonStyle.secondary

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.edit_message(
            content="Nothing was saved. No one gets any notices.", embed=None, view=None
        )


def consent_view(contact_id: int, expires_on: date) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ConsentConfirmButton(contact_id, expires_on))
    view.add_item(ConsentCancelButton())
    view.stop()
    return view


DYNAMIC_ITEMS = (RsvpButton, ConsentConfirmButton, ConsentCancelButton)
