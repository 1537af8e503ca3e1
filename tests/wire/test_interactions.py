from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.sandbox.emulator import InteractionError
from tests.wire.conftest import Wired


class NoteModal(discord.ui.Modal, title="A note"):
    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(label="Note", custom_id="note")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"saved: {self.note.value}", ephemeral=True)


class AskView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Write a note", custom_id="ask:note")
    async def write(
        self, interaction: discord.Interaction, button: discord.ui.Button[AskView]
    ) -> None:
        await interaction.response.send_modal(NoteModal())

    @discord.ui.button(label="Done", custom_id="ask:done")
    async def done(
        self, interaction: discord.Interaction, button: discord.ui.Button[AskView]
    ) -> None:
        await interaction.response.edit_message(content="all done", view=None)


def add_commands(bot: commands.Bot, guild_id: int) -> None:
    group = app_commands.Group(name="client", description="clients")

    @group.command(name="greet", description="greet someone")
    async def greet(
        interaction: discord.Interaction, member: discord.Member, times: int = 1
    ) -> None:
        await interaction.response.send_message(
            f"hello {member.display_name} x{times}", ephemeral=True
        )

    @app_commands.command(name="ask", description="ask for a note")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Want to write a note?", view=AskView())

    @app_commands.command(name="slow", description="defer then follow up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True, ephemeral=True)
        await interaction.followup.send("done thinking", ephemeral=True)
        await interaction.followup.send("and one more", ephemeral=True)

    @app_commands.context_menu(name="Flag message")
    async def flag(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"flagged {message.id}", ephemeral=True)

    for command in (group, ask, slow, flag):
        bot.tree.add_command(command, guild=discord.Object(guild_id))


async def start(wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]) -> commands.Bot:
    async def prepare(bot: commands.Bot) -> None:
        add_commands(bot, wired.guild_id)

    return await run_bot(prepare)


async def test_slash_round_trip(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    await start(wired, run_bot)
    emu = wired.emulator
    reply = await emu.slash(
        wired.alice_id, wired.general_id, "client greet", {"member": wired.bob_id, "times": 2}
    )
    assert reply.response_name == "message"
    assert reply.ephemeral
    assert reply.content == "hello Bob x2"
    assert emu.channel_messages(wired.general_id) == []
    assert emu.transcript.entries[-1]["kind"] == "ephemeral"
    assert emu.transcript.entries[-1]["recipient_id"] == str(wired.alice_id)
    with pytest.raises(InteractionError):
        await emu.slash(wired.alice_id, wired.general_id, "client greet", {})


async def test_deferred_then_followups(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    await start(wired, run_bot)
    reply = await wired.emulator.slash(wired.alice_id, wired.general_id, "slow")
    assert reply.response_name == "deferred_message"
    await wired.emulator.settle()
    assert reply.content == "done thinking"
    assert [f["content"] for f in reply.followups] == ["and one more"]


async def test_button_then_modal_then_update(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    await start(wired, run_bot)
    emu = wired.emulator
    reply = await emu.slash(wired.bob_id, wired.general_id, "ask")
    assert not reply.ephemeral and reply.message_id is not None
    [posted] = emu.channel_messages(wired.general_id)
    assert [c["custom_id"] for c in posted["components"]] == ["ask:note", "ask:done"]

    opened = await emu.click(wired.bob_id, reply.message_id, "ask:note")
    assert opened.response_name == "modal" and opened.modal is not None
    assert opened.modal["title"] == "A note"
    saved = await emu.submit_modal(wired.bob_id, opened.modal["custom_id"], {"note": "hi there"})
    assert saved.content == "saved: hi there" and saved.ephemeral

    done = await emu.click(wired.bob_id, reply.message_id, "ask:done")
    assert done.response_name == "update_message"
    [after] = emu.channel_messages(wired.general_id)
    assert after["content"] == "all done" and after["components"] == []


async def test_context_menu(wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]) -> None:
    await start(wired, run_bot)
    emu = wired.emulator
    posted = await emu.post_message(wired.bob_id, wired.general_id, "a message")
    reply = await emu.context_menu(wired.alice_id, int(posted["id"]), "Flag message")
    assert reply.content == f"flagged {posted['id']}"


async def test_double_ack_is_40060(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    statuses: list[tuple[int, int]] = []
    url = f"{wired.emulator.api_base}/api/v10/interactions/{{}}/{{}}/callback"

    async def prepare(bot: commands.Bot) -> None:
        @app_commands.command(name="twice", description="answers twice")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("one")
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    url.format(interaction.id, interaction.token),
                    json={"type": 4, "data": {"content": "two"}},
                ) as response,
            ):
                statuses.append((response.status, (await response.json())["code"]))

        bot.tree.add_command(twice, guild=discord.Object(wired.guild_id))

    await run_bot(prepare)
    reply = await wired.emulator.slash(wired.alice_id, wired.general_id, "twice")
    await wired.emulator.settle()
    assert reply.content == "one"
    assert statuses == [(400, 40060)]


async def test_late_answer_is_unknown_interaction(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    codes: list[int] = []

    async def prepare(bot: commands.Bot) -> None:
        @app_commands.command(name="late", description="answers after 3 seconds")
        async def late(interaction: discord.Interaction) -> None:
            await asyncio.sleep(3.05)
            try:
                await interaction.response.send_message("too late")
            except discord.NotFound as error:
                codes.append(error.code)

        bot.tree.add_command(late, guild=discord.Object(wired.guild_id))

    await run_bot(prepare)
    reply = await wired.emulator.slash(wired.alice_id, wired.general_id, "late")
    assert not reply.answered
    await wired.emulator.settle()
    assert codes == [10062]
