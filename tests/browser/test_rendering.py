"""How the page draws what the emulator holds: markdown, mentions, times, embeds, forms.

A bare emulator (no bot) is enough: messages are put in its state as the bot's, and a
form is opened the way the page opens one the bot sent.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.emulator import Emulator
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, _need_browser

RAISED = 1741010460  # 2025-03-03 14:01 UTC: 15:01 in Berlin


@pytest.fixture
async def world() -> AsyncIterator[tuple[Emulator, dict[str, Any]]]:
    _need_browser()
    emu = Emulator(token="render-token")
    await emu.start()
    try:
        guild = emu.create_guild("Render Test")
        general = emu.create_channel(guild.id, "general")
        alex = emu.add_member(guild.id, "Alex")
        yield emu, {"guild": guild, "general": general, "alex": alex}
    finally:
        await emu.stop()


@pytest.fixture
async def berlin_page(tmp_path: Path) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 800},
            timezone_id="Europe/Berlin",  # the viewer has no zone in the world: the browser's
        )
        try:
            page = context.pages[0] if context.pages else await context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            await context.close()


def bot_says(emu: Emulator, channel: dict[str, Any], payload: dict[str, Any]) -> None:
    message = emu.build_message(channel, emu.bot_user, payload, [])
    emu.deliver(emu.state.channels[int(channel["id"])], message)


async def test_messages_render_like_discord(world, berlin_page, tmp_path: Path):
    from playwright.async_api import expect

    emu, w = world
    alex_id = w["alex"]["user"]["id"]
    bot_says(
        emu,
        w["general"],
        {
            "content": (
                f"**Hello** <@{alex_id}>, see <#{w['general']['id']}> at <t:{RAISED}:t>.\n"
                "<img src=x onerror=alert(1)> `code` ~~old~~"
            ),
            "embeds": [
                {
                    "title": "An alert",
                    "description": "Something to look at",
                    "color": 0xF0B232,
                    "fields": [
                        {"name": "Client", "value": f"<@{alex_id}>", "inline": True},
                        {"name": "Raised", "value": f"<t:{RAISED}:f>", "inline": True},
                    ],
                }
            ],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 1, "label": "Press me", "custom_id": "p"},
                        {"type": 2, "style": 2, "label": "Off", "custom_id": "o", "disabled": True},
                    ],
                }
            ],
        },
    )
    page = berlin_page
    await page.goto(emu.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)
    message = page.locator("#messages .message").first
    content = message.locator(".content")
    await expect(content.locator("strong")).to_have_text("Hello")
    await expect(content.locator(".mention").first).to_have_text("@Alex")
    await expect(content.locator(".mention").nth(1)).to_have_text("#general")
    await expect(content.locator("time")).to_have_text("3:01 PM")  # in Berlin
    await expect(content.locator("code")).to_have_text("code")
    await expect(content.locator("s")).to_have_text("old")
    await expect(content).to_contain_text("<img src=x onerror=alert(1)>")  # text, not HTML
    assert await content.locator("img").count() == 0
    embed = message.locator(".embed")
    await expect(embed.locator(".embed-title")).to_have_text("An alert")
    await expect(embed.locator(".embed-field.inline")).to_have_count(2)
    await expect(embed.locator(".embed-field-value time")).to_have_text("March 3, 2025 at 3:01 PM")
    await expect(message.get_by_role("button", name="Press me")).to_be_enabled()
    await expect(message.get_by_role("button", name="Off")).to_be_disabled()
    await page.screenshot(path=str(tmp_path / "rendering.png"))


async def test_forms_show_every_component_type_and_send_typed_values(world, berlin_page):
    from playwright.async_api import expect

    emu, _ = world
    page = berlin_page
    await page.goto(emu.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)
    modal = {
        "custom_id": "form:1",
        "title": "A bit of everything",
        "components": [
            {"type": 10, "content": "Answer **what you can**."},
            {
                "type": 18,
                "label": "How was today?",
                "component": {
                    "type": 21,
                    "custom_id": "day",
                    "options": [
                        {"label": "Good", "value": "good"},
                        {"label": "Hard", "value": "hard"},
                    ],
                },
            },
            {
                "type": 18,
                "label": "What helped?",
                "component": {
                    "type": 22,
                    "custom_id": "helped",
                    "required": False,
                    "options": [
                        {"label": "Meetings", "value": "meetings"},
                        {"label": "Sleep", "value": "sleep"},
                        {"label": "Friends", "value": "friends"},
                    ],
                },
            },
            {
                "type": 18,
                "label": "Share with my counselor",
                "component": {"type": 23, "custom_id": "share"},
            },
            {
                "type": 18,
                "label": "Mood",
                "component": {
                    "type": 3,
                    "custom_id": "mood",
                    "options": [{"label": str(n), "value": str(n)} for n in range(1, 4)],
                },
            },
            {
                "type": 1,
                "components": [
                    {"type": 4, "custom_id": "note", "label": "Note", "style": 2, "required": False}
                ],
            },
        ],
    }
    sent: list[dict[str, Any]] = []

    async def capture(route: Any) -> None:
        sent.append(json.loads(route.request.post_data))
        await route.fulfill(status=400, json={"error": "refused on purpose"})

    await page.route("**/_control/modal", capture)
    await page.evaluate("m => openModal(m)", modal)
    dialog = page.get_by_test_id("modal")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator(".content strong")).to_have_text("what you can")
    await dialog.get_by_label("Hard").check()
    await dialog.get_by_label("Meetings").check()
    await dialog.get_by_label("Friends").check()
    await dialog.get_by_label("Share with my counselor").check()
    await dialog.get_by_label("Mood").select_option("2")
    await dialog.get_by_label("Note").fill("a long day")
    await page.locator("#modal-submit").click()
    await expect(page.locator("#toast")).to_have_text("refused on purpose")
    # A refused form stays open with the answers in it.
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Note")).to_have_value("a long day")
    assert sent[0]["custom_id"] == "form:1"
    assert sent[0]["values"] == {
        "day": "hard",
        "helped": ["meetings", "friends"],
        "share": True,
        "mood": ["2"],
        "note": "a long day",
    }
