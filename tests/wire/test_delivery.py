"""DMs, 429s and nonces over the real discord.py HTTP client."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from datetime import timedelta

import discord
import pytest
from discord.ext import commands

from tests.wire.conftest import Wired


async def test_dm_to_member_arrives(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    user = await bot.fetch_user(wired.bob_id)
    await user.send("hello Bob")
    [message] = wired.emulator.dm_messages(wired.bob_id)
    assert message["content"] == "hello Bob"
    assert wired.emulator.transcript.entries[-1]["kind"] == "dm"
    assert wired.emulator.transcript.entries[-1]["channel"] == "DM:Bob"


async def test_closed_dms_are_forbidden_50007(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    wired.emulator.set_dms_open(wired.bob_id, False)
    channel = await bot.create_dm(discord.Object(wired.bob_id))
    with pytest.raises(discord.Forbidden) as closed:
        await channel.send("are you there?")
    assert closed.value.code == 50007

    stranger = await bot.create_dm(discord.Object(wired.outsider_id))
    with pytest.raises(discord.Forbidden) as no_shared_guild:
        await stranger.send("hi")
    assert no_shared_guild.value.code == 50007
    assert wired.emulator.dm_messages(wired.bob_id) == []


async def test_bucket_429_is_waited_out_and_retried_once(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    wired.emulator.inject_rate_limit(
        "POST", f"/channels/{wired.general_id}/messages", retry_after=0.3
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    await channel.send("after a 429")
    assert loop.time() - started >= 0.3
    assert [m["content"] for m in wired.emulator.channel_messages(wired.general_id)] == [
        "after a 429"
    ]
    posts = [
        r
        for r in wired.emulator.requests
        if r.get("route") == "POST /channels/{channel_id}/messages"
    ]
    assert [r["status"] for r in posts] == [429, 200]
    assert wired.emulator.rate_limit_counts() == {"global": 0, "bucket": 1}


async def test_bucket_limit_counts_a_burst(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    wired.emulator.limiter.windows.clear()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    # 5 per 5 s per channel; discord.py learns the bucket from X-RateLimit-* headers.
    for number in range(4):
        await channel.send(f"message {number}")
    assert len(wired.emulator.channel_messages(wired.general_id)) == 4
    assert wired.emulator.rate_limit_counts()["bucket"] == 0
    window = next(w for k, w in wired.emulator.limiter.windows.items() if "messages" in k)
    assert window.remaining == 1


async def test_global_limit_returns_global_429(wired: Wired) -> None:
    import aiohttp

    emu = wired.emulator
    url = f"{emu.api_base}/api/v10/users/@me"
    headers = {"Authorization": "Bot wire-token"}
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(55):
            async with session.get(url, headers=headers) as response:
                statuses.append(response.status)
                if response.status == 429:
                    body = await response.json()
                    assert body["global"] is True and body["retry_after"] > 0
                    assert response.headers["Via"] == "1.1 google"
                    assert response.headers["Content-Type"] == "application/json"
    assert statuses.count(429) == 5
    assert emu.rate_limit_counts()["global"] == 5
    assert emu.unimplemented == []


async def test_nonce_with_enforce_nonce_creates_one_message(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("exactly once", nonce="ob42")
    second = await channel.send("exactly once", nonce="ob42")
    assert first.id == second.id
    assert len(wired.emulator.channel_messages(wired.general_id)) == 1
    third = await channel.send("another", nonce="ob43")
    assert third.id != first.id


async def test_validation_errors_are_50035(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.code == 50035 and too_long.value.status == 400
    with pytest.raises(discord.HTTPException) as bad_embed:
        await channel.send(embed=discord.Embed(title="t" * 257))
    assert bad_embed.value.code == 50035
    assert "embeds" in str(bad_embed.value)
    # Discord's spec allows 4000 characters of content, so only the embed breaks it.
    caught = [v.describe() for v in wired.emulator.contract.take()]
    assert len(caught) == 1 and "request body at $.embeds[0].title" in caught[0], caught


async def test_permission_engine_403_50013(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    guild = bot.get_guild(wired.guild_id)
    assert guild is not None
    owner = guild.get_member(guild.owner_id or 0)
    assert owner is not None
    with pytest.raises(discord.Forbidden) as refused:
        await owner.timeout(discord.utils.utcnow() + timedelta(minutes=5))
    assert refused.value.code == 50013
    bob = guild.get_member(wired.bob_id)
    assert bob is not None
    await bob.timeout(discord.utils.utcnow() + timedelta(minutes=5))
    member = wired.emulator.state.guilds[wired.guild_id].members[wired.bob_id]
    assert member["communication_disabled_until"] is not None
    with pytest.raises(PermissionError):
        await wired.emulator.post_message(wired.bob_id, wired.general_id, "can I talk?")


async def test_files_go_up_as_multipart(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    channel = bot.get_channel(wired.general_id)
    assert isinstance(channel, discord.TextChannel)
    chart = discord.File(io.BytesIO(b"\x89PNG fake"), filename="chart.png")
    table = discord.File(io.BytesIO(b"date,mood\n2025-03-03,4\n"), filename="export.csv")
    sent = await channel.send("your data", files=[chart, table])
    assert [a.filename for a in sent.attachments] == ["chart.png", "export.csv"]
    assert await sent.attachments[1].read() == b"date,mood\n2025-03-03,4\n"
    [stored] = wired.emulator.channel_messages(wired.general_id)
    assert stored["attachments"] == ["chart.png", "export.csv"]
    assert wired.emulator.transcript.entries[-1]["attachments"] == ["chart.png", "export.csv"]


async def test_automod_rule_blocks_a_keyword_post(
    wired: Wired, run_bot: Callable[..., Awaitable[commands.Bot]]
) -> None:
    bot = await run_bot()
    guild = bot.get_guild(wired.guild_id)
    assert guild is not None
    rule = await guild.create_automod_rule(
        name="no spoilers",
        event_type=discord.AutoModRuleEventType.message_send,
        trigger=discord.AutoModTrigger(keyword_filter=["spoiler*"]),
        actions=[discord.AutoModRuleAction(custom_message="Please don't.")],
        enabled=True,
    )
    assert [r.id for r in await guild.fetch_automod_rules()] == [rule.id]
    executions: asyncio.Queue[discord.AutoModAction] = asyncio.Queue()
    bot.add_listener(executions.put, "on_automod_action")
    blocked = await wired.emulator.post_message(wired.bob_id, wired.general_id, "SPOILERS ahead")
    assert blocked["automod_blocked"] is True
    execution = await asyncio.wait_for(executions.get(), 2)
    assert execution.user_id == wired.bob_id and execution.rule_id == rule.id
    assert wired.emulator.channel_messages(wired.general_id) == []
    await wired.emulator.post_message(wired.bob_id, wired.general_id, "fine message")
    assert len(wired.emulator.channel_messages(wired.general_id)) == 1
