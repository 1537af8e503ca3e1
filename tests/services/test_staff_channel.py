"""The start-up check of the staff channel names exactly which permission is missing."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.config import Settings
from bot.services.staff_channel import alert_channel_problems, staff_member_ids

STAFF, ON_CALL, FACILITATOR = 21, 14, 11


def guild_with(allowed: discord.Permissions, *, mentionable: bool = True):
    me = SimpleNamespace(id=1)
    channel = SimpleNamespace(name="staff-alerts", permissions_for=lambda member: allowed)
    people = [SimpleNamespace(id=5, bot=False), SimpleNamespace(id=1, bot=True)]
    roles = {
        ON_CALL: SimpleNamespace(name="On-call", mentionable=mentionable, members=people),
        FACILITATOR: SimpleNamespace(name="Facilitator", mentionable=False, members=people[:1]),
    }
    return SimpleNamespace(
        me=me,
        get_channel=lambda cid: channel if cid == STAFF else None,
        get_role=roles.get,
    )


SETTINGS = Settings(
    channels={"staff_alerts": STAFF}, roles={"on_call": ON_CALL, "facilitator": FACILITATOR}
)
ALL_NEEDED = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)


def test_nothing_missing():
    assert alert_channel_problems(guild_with(ALL_NEEDED), SETTINGS) == []


@pytest.mark.parametrize(
    ("allowed", "named"),
    [
        (discord.Permissions(view_channel=True, embed_links=True), "Send Messages"),
        (discord.Permissions(view_channel=True, send_messages=True), "Embed Links"),
        (discord.Permissions(send_messages=True, embed_links=True), "View Channel"),
        (discord.Permissions(view_channel=True), "Send Messages, Embed Links"),
    ],
)
def test_each_missing_permission_is_named(allowed, named):
    problems = alert_channel_problems(guild_with(allowed), SETTINGS)
    assert problems == [f"channels.staff_alerts: the bot lacks {named} in #staff-alerts"]


def test_an_unmentionable_on_call_role_is_reported_unless_the_bot_may_mention_all():
    problems = alert_channel_problems(guild_with(ALL_NEEDED, mentionable=False), SETTINGS)
    assert len(problems) == 1 and "cannot mention @On-call" in problems[0]
    everyone = discord.Permissions(ALL_NEEDED.value)
    everyone.mention_everyone = True
    assert alert_channel_problems(guild_with(everyone, mentionable=False), SETTINGS) == []


def test_missing_channel_and_settings():
    assert alert_channel_problems(guild_with(ALL_NEEDED), Settings()) == [
        "channels.staff_alerts: not configured"
    ]
    other = Settings(channels={"staff_alerts": 99})
    assert "no channel 99" in alert_channel_problems(guild_with(ALL_NEEDED), other)[0]


def test_staff_member_ids_leave_out_bots():
    assert staff_member_ids(guild_with(ALL_NEEDED), SETTINGS) == ([5], [5])
    assert staff_member_ids(None, SETTINGS) == ([], [])
