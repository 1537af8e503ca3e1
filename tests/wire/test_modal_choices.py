"""The emulator carries discord.py 2.7's modal choice inputs (radio group, checkbox group,
checkbox inside labels) both ways: the form as the bot sends it, the submission as
Discord sends it back (``value`` / ``values``), read by discord.py's own items."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.sandbox.emulator import InteractionError
from tests.wire.conftest import Wired


class ChoiceModal(discord.ui.Modal, title="Choices"):
    def __init__(self) -> None:
        super().__init__(custom_id="choices")
        self.radio: discord.ui.RadioGroup[Any] = discord.ui.RadioGroup(
            custom_id="pick",
            options=[
                discord.RadioGroupOption(label="No", value="no"),
                discord.RadioGroupOption(label="Yes", value="yes"),
            ],
        )
        self.group: discord.ui.CheckboxGroup[Any] = discord.ui.CheckboxGroup(
            custom_id="many",
            required=False,
            options=[
                discord.CheckboxGroupOption(label="A", value="a"),
                discord.CheckboxGroupOption(label="B", value="b"),
            ],
        )
        self.box: discord.ui.Checkbox[Any] = discord.ui.Checkbox(custom_id="agree")
        self.add_item(discord.ui.Label(text="Pick one", component=self.radio))
        self.add_item(discord.ui.Label(text="Pick some", component=self.group))
        self.add_item(discord.ui.Label(text="Agree?", component=self.box))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"pick={self.radio.value} many={','.join(self.group.values)} agree={self.box.value}",
            ephemeral=True,
        )


async def start(wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]) -> None:
    async def prepare(bot: commands.Bot) -> None:
        @app_commands.command(name="choose", description="open a form with choices")
        async def choose(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(ChoiceModal())

        bot.tree.add_command(choose, guild=discord.Object(wired.guild_id))

    await run_bot(prepare)


async def test_radio_checkbox_group_and_checkbox_round_trip(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    await start(wired, run_bot)
    emu = wired.emulator
    opened = await emu.slash(wired.bob_id, wired.general_id, "choose")
    assert opened.modal is not None
    kinds = [row["component"]["type"] for row in opened.modal["components"]]
    assert kinds == [21, 22, 23]
    done = await emu.submit_modal(
        wired.bob_id, "choices", {"pick": "yes", "many": ["a", "b"], "agree": True}
    )
    assert done.content == "pick=yes many=a,b agree=True"


@pytest.mark.parametrize(
    "values",
    [
        {"pick": "maybe"},  # not an option
        {},  # the radio group is required
        {"pick": "no", "agree": "yes"},  # a checkbox takes a bool
        {"pick": ["no", "yes"]},  # one option only
    ],
)
async def test_choices_a_client_could_not_send_are_refused(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]], values: dict[str, Any]
) -> None:
    await start(wired, run_bot)
    emu = wired.emulator
    await emu.slash(wired.bob_id, wired.general_id, "choose")
    with pytest.raises(InteractionError):
        await emu.submit_modal(wired.bob_id, "choices", values)
