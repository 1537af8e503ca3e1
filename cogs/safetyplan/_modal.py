"""The safety-plan form: two steps of three parts (a Discord form holds at most five
inputs). Each step is saved as it is submitted, so nothing is lost between the steps; the
first step's reply carries a Continue button that opens the second (Discord can't open a
form straight from another form's submission)."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.domain.safetyplan import PART_MAX, STEPS, PlanTooLong, clean_parts, resources_suggestion
from bot.services.container import Services
from bot.services.errors import IopModal, UserError, reply_ephemeral
from cogs.safetyplan._common import CONTINUE_CUSTOM_ID, MODAL_PREFIX, parts, repo, require_client
from cogs.safetyplan._render import FINISHED, plan_embed, step_saved_text

log = logging.getLogger("iopbot.safetyplan")

STEP_TITLES = ("My safety plan (1 of 2)", "My safety plan (2 of 2)")


def modal_custom_id(step: int, user_id: int) -> str:
    """One form per person and step (discord.py keys open forms by custom id)."""
    return f"{MODAL_PREFIX}{step + 1}:{user_id}"


class PlanStepModal(IopModal):
    def __init__(self, services: Services, user_id: int, step: int, current: dict[str, str]):
        super().__init__(
            title=STEP_TITLES[step], custom_id=modal_custom_id(step, user_id), timeout=None
        )
        self.services = services
        self.user_id = user_id
        self.step = step
        self.step_parts = [p for p in parts(services) if p.key in STEPS[step]]
        self.inputs: dict[str, discord.ui.TextInput[PlanStepModal]] = {}
        for part in self.step_parts:
            field: discord.ui.TextInput[PlanStepModal] = discord.ui.TextInput(
                label=part.title,
                placeholder=part.prompt,
                custom_id=part.key,
                style=discord.TextStyle.paragraph,
                required=False,
                max_length=PART_MAX,
                default=current.get(part.key) or None,
            )
            self.inputs[part.key] = field
            self.add_item(field)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return interaction.user.id == self.user_id

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        services = self.services
        client = await require_client(services, interaction.user.id)
        try:
            texts = clean_parts(
                {key: field.value for key, field in self.inputs.items()}, self.step_parts
            )
        except PlanTooLong as exc:
            log.info(
                "safetyplan.rejected",
                extra={
                    "person": services.key.pseudonym(client.user_id),
                    "step": self.step + 1,
                    "parts": len(exc.problems),
                },
            )
            raise UserError(exc.message()) from None
        async with services.db.transaction() as tx:
            await repo(services).save_parts(tx, client.user_id, texts, services.clock.now())
        log.info(
            "safetyplan.saved",
            extra={"person": services.key.pseudonym(client.user_id), "step": self.step + 1},
        )
        if self.step == 0:
            await reply_ephemeral(
                interaction, step_saved_text(self.step_parts), view=continue_view()
            )
            return
        plan = await repo(services).get(client.user_id)
        if plan is None:  # deleted between the save and now (a /mydata delete)
            await reply_ephemeral(interaction, "Your safety plan was deleted meanwhile.")
            return
        embed = plan_embed(plan, parts(services), title="My safety plan", own=True)
        await reply_ephemeral(interaction, FINISHED, embed=embed)


def continue_view() -> discord.ui.View:
    """The Continue button; its click is handled by a persistent item (``_views``)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Continue", custom_id=CONTINUE_CUSTOM_ID, style=discord.ButtonStyle.primary
        )
    )
    view.stop()
    return view


async def open_plan_step(
    services: Services, interaction: discord.Interaction[Any], step: int
) -> None:
    """Show step ``step`` (0 or 1) of the form, filled in with the client's current plan.

    A plan without professionals yet starts from the program's crisis resources.
    """
    client = await require_client(services, interaction.user.id)
    plan = await repo(services).get(client.user_id)
    current = {key: text for key, text in (plan.texts if plan else {}).items() if text}
    if step == 1 and not current.get("professionals"):
        resources = [(r.name, r.contact) for r in services.settings.safety.resources]
        current["professionals"] = resources_suggestion(resources)
    await interaction.response.send_modal(PlanStepModal(services, client.user_id, step, current))
