"""The check-in form's handler, driven directly: who may submit, and the first response."""

from __future__ import annotations

import asyncio
from datetime import date
from types import SimpleNamespace
from typing import Any

import discord

from cogs.checkins._interactions import handle_checkin_submit
from tests.cogs.checkins_helpers import GOOD, enroll
from tests.harness import program_world

COGS = ("clients", "checkins")


async def test_a_form_for_someone_else_is_refused_and_saves_nothing(tmp_path):
    async with program_world(tmp_path, cogs=COGS) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex)
        await enroll(w, sam)
        services = w.bot.services
        interaction = _FakeInteraction(sam.id, f"iop:checkin:modal:{alex.id}:2026-03-02")
        await w.bot.get_cog("CheckinsCog").on_checkin_form(interaction)
        assert interaction.calls == [("send", "This check-in form was opened by someone else.")]
        assert await w.count("SELECT COUNT(*) FROM checkins") == 0
        assert services is w.bot.services


class _FakeResponse:
    def __init__(self, calls: list[tuple[str, str]]) -> None:
        self.calls = calls
        self.done = False

    def is_done(self) -> bool:
        return self.done

    async def defer(self, *, ephemeral: bool, thinking: bool) -> None:
        assert ephemeral and thinking
        self.done = True
        self.calls.append(("defer", ""))

    async def send_message(self, content: str, **_: Any) -> None:
        self.done = True
        self.calls.append(("send", content.split(" Please")[0]))


class _FakeFollowup:
    def __init__(self, calls: list[tuple[str, str]]) -> None:
        self.calls = calls

    async def send(self, content: str, **_: Any) -> None:
        self.calls.append(("followup", content))


class _FakeInteraction:
    """Only what the check-in form handler touches (a modal submit interaction)."""

    type = discord.InteractionType.modal_submit

    def __init__(self, user_id: int, custom_id: str, values: dict[str, str] | None = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.user = SimpleNamespace(id=user_id)
        self.id = 1
        self.command = None
        labels = [
            {"type": 18, "component": {"type": 4, "custom_id": k, "value": v}}
            for k, v in (values or GOOD).items()
            if k not in ("used", "safety")
        ]
        radios = [
            {"type": 18, "component": {"type": 21, "custom_id": k, "value": v}}
            for k, v in (values or GOOD).items()
            if k in ("used", "safety")
        ]
        self.data = {"custom_id": custom_id, "components": labels + radios}
        self.response = _FakeResponse(self.calls)
        self.followup = _FakeFollowup(self.calls)


async def test_form_answers_first_even_while_the_database_is_locked(tmp_path):
    """The first response does not wait for the database: with the lock held (as by a
    500-row dispatcher batch, a backup or a purge), the form is deferred at once and the
    confirmation follows when the lock is free."""
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        today = date(2026, 3, 2)
        interaction = _FakeInteraction(alex.id, f"iop:checkin:modal:{alex.id}:{today}")
        release = asyncio.Event()
        locked = asyncio.Event()

        async def hold_the_lock() -> None:
            async with w.db.transaction():
                locked.set()
                await release.wait()

        holder = asyncio.create_task(hold_the_lock())
        await locked.wait()
        handler = asyncio.create_task(handle_checkin_submit(w.bot.services, interaction))
        for _ in range(50):
            await asyncio.sleep(0)
        assert interaction.calls == [("defer", "")]  # answered; the save waits for the lock
        assert not handler.done()
        release.set()
        await holder
        await handler
        assert [c[0] for c in interaction.calls] == ["defer", "followup"]
        assert "saved" in interaction.calls[1][1]
        assert await w.count("SELECT COUNT(*) FROM checkins") == 1


async def test_a_forged_submission_outside_the_choices_is_refused_and_saves_nothing(tmp_path):
    """A client's app only sends the offered options; anything else is refused clearly."""
    async with program_world(tmp_path, cogs=COGS) as w:
        alex = w.clients[0]
        await enroll(w, alex)
        for forged in ({"used": "maybe"}, {"safety": "perhaps"}, {"used": "<@&1>"}):
            interaction = _FakeInteraction(
                alex.id, f"iop:checkin:modal:{alex.id}:2026-03-02", {**GOOD, **forged}
            )
            await w.bot.get_cog("CheckinsCog").on_checkin_form(interaction)
            ((kind, text),) = interaction.calls
            assert kind == "send" and text.startswith("I couldn't save your check-in"), text
        assert await w.count("SELECT COUNT(*) FROM checkins") == 0
        assert await w.count("SELECT COUNT(*) FROM alerts") == 0


def test_submitted_values_reads_labels_action_rows_and_choices():
    from cogs.checkins._modal import parse_modal_custom_id, submitted_values

    payload = [
        {"type": 18, "component": {"type": 4, "custom_id": "mood", "value": "6"}},
        {"type": 1, "components": [{"type": 4, "custom_id": "sleep", "value": "7"}]},
        {"type": 18, "component": {"type": 21, "custom_id": "used", "value": None}},
        {"type": 18, "component": {"type": 22, "custom_id": "many", "values": ["a", "b"]}},
        {"type": 18, "component": {"type": 23, "custom_id": "box", "value": True}},
        {"type": 10, "content": "a text display has no answer"},
    ]
    assert submitted_values(payload) == {
        "mood": "6",
        "sleep": "7",
        "used": None,
        "many": "a,b",
        "box": "true",
    }
    assert parse_modal_custom_id("iop:checkin:modal:42:2026-03-02") == (42, date(2026, 3, 2))
    assert parse_modal_custom_id("iop:checkin:modal:42") == (42, None)  # an older form
    assert parse_modal_custom_id("iop:checkin:modal:42:2026-02-31") == (42, None)
    assert parse_modal_custom_id("iop:checkin:modal:x") is None
