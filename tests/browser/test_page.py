"""The sandbox web page in a real browser: a facilitator and a client use it end to end.

Each step saves a screenshot under the test's folder (`tmp_path / "screenshots"`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.sandbox.runner import Sandbox


async def shot(page: Any, folder: Path, name: str) -> None:
    # Playwright creates the folder.
    await page.screenshot(path=str(folder / f"{name}.png"))


async def act_as(page: Any, name: str) -> None:
    picker = page.get_by_test_id("person-picker")
    value = await picker.locator("option", has_text=name).first.get_attribute("value")
    await picker.select_option(value)
    await page.wait_for_function(
        "v => document.getElementById('person-picker').value === v", arg=value
    )


async def open_channel(page: Any, name: str) -> None:
    await page.locator("#channel-list button", has_text=name).click()
    await page.wait_for_function(
        "n => document.getElementById('channel-title').textContent === n", arg=f"#{name}"
    )


async def test_page_loads_and_lists_the_channels(page: Any, sandbox: Sandbox, tmp_path: Path):
    from playwright.async_api import expect

    await page.goto(sandbox.emulator.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)
    channels = page.get_by_test_id("channel-list")
    # Dana (facilitator) is the first person: she sees the staff-only channels too.
    await expect(page.get_by_test_id("person-picker")).to_contain_text("Dana (facilitator)")
    for name in ("welcome", "staff-alerts", "mod-log"):
        await expect(channels).to_contain_text(name)
    # The key left the address bar once the page had stored it.
    assert "key=" not in page.url
    await shot(page, tmp_path / "screenshots", "01-loaded")

    # A client does not see the staff channels.
    await act_as(page, "Alex")
    await expect(channels).to_contain_text("welcome")
    await expect(channels).not_to_contain_text("staff-alerts")


async def test_without_the_key_the_page_shows_no_data(page: Any, sandbox: Sandbox):
    from playwright.async_api import expect

    await page.goto(sandbox.emulator.base_url + "/")
    await expect(page.locator("#keyless")).to_be_visible()
    await expect(page.get_by_test_id("channel-list")).to_be_empty()


async def test_enroll_check_in_and_acknowledge_the_alert(
    page: Any, sandbox: Sandbox, tmp_path: Path
):
    from playwright.async_api import expect

    shots = tmp_path / "screenshots"
    messages = page.get_by_test_id("messages")
    await page.goto(sandbox.emulator.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)

    # 1. As the facilitator, enroll Alex with the slash-command form.
    await act_as(page, "Dana")
    await open_channel(page, "staff-alerts")
    await page.locator("#composer-input").focus()
    await page.keyboard.type("/")  # typing "/" opens the command form, as in Discord
    await expect(page.locator("#command-panel")).to_be_visible()
    await page.get_by_test_id("command-picker").select_option("client enroll")
    member = page.locator("#opt-member")
    alex = await member.locator("option", has_text="Alex").get_attribute("value")
    await member.select_option(alex)
    await page.locator("#opt-timezone").fill("America/New_York")
    await shot(page, shots, "02-enroll-form")
    await page.locator("#command-run").click()
    enrolled = messages.locator(".message.ephemeral", has_text="Enrolled Alex")
    await expect(enrolled).to_be_visible()
    await expect(enrolled).to_contain_text("Only you can see this")
    await shot(page, shots, "03-enrolled")

    # 2. Advance to Alex's 09:00.
    client_pick = page.locator("#next-client")
    await client_pick.select_option(alex)
    await expect(page.get_by_test_id("next-local")).to_have_text("Next 09:00 for Alex")
    await page.get_by_test_id("next-local").click()
    await expect(page.locator("#clock-now")).to_contain_text("14:01 UTC")

    # 3. As Alex, open the check-in from the DM button, fill the form, submit.
    await act_as(page, "Alex")
    await page.locator("#dm-list button", has_text="iopbot").click()
    prompt = messages.locator(".message", has_text="Your daily check-in is open.")
    await expect(prompt).to_be_visible()
    await shot(page, shots, "04-client-dm")
    await prompt.get_by_role("button", name="Check in").click()
    dialog = page.get_by_test_id("modal")
    await expect(dialog).to_be_visible()
    await expect(page.locator("#modal-title")).to_have_text("Daily check-in")
    await dialog.get_by_label("Mood", exact=False).fill("6")
    await dialog.get_by_label("Craving", exact=False).fill("9")
    # "Used since your last check-in?" and the safety question are radio groups.
    groups = dialog.get_by_role("group")
    await expect(groups).to_have_count(2)
    for group in await groups.all():
        await group.get_by_label("No", exact=True).check()
    await shot(page, shots, "05-check-in-form")
    await page.locator("#modal-submit").click()
    await expect(dialog).to_be_hidden()
    saved = messages.locator(".message.ephemeral", has_text="your check-in for today is saved")
    await expect(saved).to_be_visible()
    await expect(saved).to_contain_text("Only you can see this")
    await shot(page, shots, "06-check-in-saved")

    # 4. As the facilitator, see the alert and acknowledge it.
    await act_as(page, "Dana")
    await open_channel(page, "staff-alerts")
    alert = messages.locator(".message", has_text="High craving in a check-in")
    await expect(alert).to_be_visible()
    await expect(alert.locator(".embed-field-name", has_text="Client")).to_be_visible()
    await shot(page, shots, "07-alert")
    await alert.get_by_role("button", name="Acknowledge").click()
    await expect(alert).to_contain_text("Acknowledged")
    # Who acknowledged it is a mention Discord (and the page) shows by name.
    await expect(alert.locator(".embed-field", has_text="Acknowledged")).to_contain_text(
        "by @Dana (facilitator)"
    )
    await expect(alert.get_by_role("button", name="Acknowledge")).to_have_count(0)
    await shot(page, shots, "08-acknowledged")

    for name in ("02-enroll-form", "05-check-in-form", "06-check-in-saved", "08-acknowledged"):
        assert (shots / f"{name}.png").stat().st_size > 10_000


async def test_play_the_demo_live(page: Any, sandbox: Sandbox, tmp_path: Path):
    from playwright.async_api import expect

    shots = tmp_path / "screenshots"
    await page.goto(sandbox.emulator.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)
    await act_as(page, "Dana")
    await open_channel(page, "staff-alerts")
    await page.get_by_test_id("play-demo").click()
    await expect(page.get_by_test_id("play-demo")).to_be_disabled()
    # The demo's steps stream into the activity log while it plays.
    await expect(page.locator("#activity .step").first).to_be_visible()
    await expect(page.locator("#demo-status")).to_have_text("The demo finished.", timeout=120_000)
    await expect(page.get_by_test_id("play-demo")).to_be_enabled()
    # Its alerts are in the facilitator's channel, drawn as embeds with fields.
    await expect(page.locator("#messages .embed").first).to_be_visible()
    await shot(page, shots, "09-after-demo-staff")
    channels = page.locator("#channel-list button")
    names = [n.strip("# \n") for n in await channels.all_inner_texts()]
    assert len(names) > 3, names  # the demo added the cohort channel(s)
    for name in names:
        await open_channel(page, name)
        await shot(page, shots, f"10-after-demo-{name}")
    await act_as(page, "Alex")
    await open_channel(page, "welcome")
    # Alex's private 30-day chart is a PNG drawn inline, loaded from the emulator.
    chart = page.locator("#messages .message.ephemeral img[alt='checkins.png']")
    await expect(chart).to_be_visible()
    # Scrolled to and checked in one step, looked up afresh each try: a message arriving
    # meanwhile redraws the list, and a node held from before would be gone.
    await page.wait_for_function(
        """sel => {
            const img = document.querySelector(sel);
            if (!img) return false;
            img.scrollIntoView({block: "center"});
            return img.complete && img.naturalWidth > 100;
        }""",
        arg="#messages .message.ephemeral img[alt='checkins.png']",
    )
    await shot(page, shots, "11-after-demo-alex-chart")
    await page.locator("#dm-list button", has_text="iopbot").click()
    await expect(page.locator("#messages .message").first).to_be_visible()
    await shot(page, shots, "12-after-demo-alex-dm")


async def test_a_refresh_that_changed_nothing_keeps_the_message_list(page: Any, sandbox: Sandbox):
    from playwright.async_api import expect

    await page.goto(sandbox.emulator.page_url)
    await expect(page.locator("body[data-ready=true]")).to_have_count(1)
    await act_as(page, "Dana")
    await open_channel(page, "staff-alerts")
    await page.locator("#composer-input").fill("first note")
    await page.locator("#composer-input").press("Enter")
    first = page.locator("#messages .message", has_text="first note")
    await expect(first).to_be_visible()
    await first.evaluate("node => { node.dataset.kept = 'yes'; }")
    await page.evaluate("refreshAll()")
    await expect(page.locator("#messages .message[data-kept=yes]")).to_have_count(1)
    # Something new in the channel draws the list afresh, the new message included.
    await page.locator("#composer-input").fill("second note")
    await page.locator("#composer-input").press("Enter")
    await expect(page.locator("#messages .message", has_text="second note")).to_be_visible()
    await expect(page.locator("#messages .message[data-kept=yes]")).to_have_count(0)
