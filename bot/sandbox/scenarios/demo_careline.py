"""Demo part "careline": Alex DMs the bot and the message reaches the care team.

* Alex's DM opens a private thread named "Alex" in the staff-only care-line channel (the
  bot creates the channel: only facilitators and the bot can see it), and Alex gets the
  automatic reply: who reads these messages, staffed hours, when to expect an answer,
  crisis resources.
* Dana answers from the thread (a plain message there with the message-content intent,
  else /careline reply in the thread) and writes a staff note that is never sent.
* Alex gets Dana's answer by DM; Dana closes the conversation and Alex is told.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldChannel

QUESTION = "Hi, I have a doctor's appointment Thursday and might be 30 minutes late to group."
ANSWER = "Thanks for telling us, Alex. Come in when you can; we'll save you a seat."
NOTE = "// check Thursday's attendance with Alex's arrival time"


def _care_channel(ctx: ScenarioContext) -> dict[str, Any] | None:
    for channel in ctx.emulator.state.guild_channels(ctx.world.guild_id):
        if channel.get("type") == 0 and channel.get("name") == "care-line":
            return channel
    return None


def _thread(ctx: ScenarioContext, parent: dict[str, Any], name: str) -> WorldChannel | None:
    for channel in ctx.emulator.state.guild_channels(ctx.world.guild_id):
        if channel.get("parent_id") == parent["id"] and channel.get("name") == name:
            return WorldChannel(id=int(channel["id"]), name=name)
    return None


def _bodies(ctx: ScenarioContext, user: str) -> list[str]:
    bot_id = str(ctx.world.bot_user_id)
    return [str(m.get("content") or "") for m in ctx.dms(user) if str(m.get("author_id")) == bot_id]


async def _deliver(ctx: ScenarioContext) -> None:
    """Let the bot finish: its listener's work, then a dispatcher run for what it queued."""
    await ctx.settle(0.3)
    await ctx.advance(timedelta(seconds=30))
    await ctx.settle(0.3)


def _reads_content(ctx: ScenarioContext) -> bool:
    """Does the bot have the message-content intent (so it reads plain thread messages)?"""
    settings = getattr(ctx.bot, "settings", None)
    return bool(settings is not None and settings.discord.message_content)


async def run(ctx: ScenarioContext) -> None:
    alex = ctx.user("client1")
    dana = ctx.user("facilitator")
    dm_channel = int(ctx.emulator.dm_channel_for(alex.id)["id"])
    before = len(_bodies(ctx, "client1"))

    await ctx.post(alex, dm_channel, QUESTION)
    await _deliver(ctx)
    parent = _care_channel(ctx)
    ctx.expect(parent is not None, "the bot made a staff-only care-line channel")
    if parent is None:
        return
    thread = _thread(ctx, parent, alex.name)
    ctx.expect(thread is not None, "Alex's message opened a thread named Alex")
    if thread is None:
        return
    posts = [str(m.get("content") or "") for m in ctx.channel_messages(thread)]
    ctx.expect(any(QUESTION in p for p in posts), "Alex's words are in the thread")
    ctx.expect(
        any("program week" in p for p in posts),
        "the thread opens with Alex's enrollment details",
    )
    replies = _bodies(ctx, "client1")[before:]
    ctx.expect(
        len(replies) == 1 and "only the program's facilitators read" in replies[0],
        "Alex gets the automatic reply (who reads, hours, answer time, crisis lines)",
    )
    sam = ctx.user("client2")
    ctx.step(f"{sam.name} (another client) tries to post in Alex's thread")
    try:
        await ctx.emulator.post_message(sam.id, thread.id, "can I see this?")
        refused = False
    except PermissionError:
        refused = True
    ctx.expect(refused, "another client cannot post in (or see) Alex's thread")

    if _reads_content(ctx):
        await ctx.post(dana, thread, ANSWER)
        await ctx.post(dana, thread, NOTE)
    else:
        await ctx.slash(dana, thread, "careline reply", text=ANSWER)
        await ctx.slash(dana, thread, "careline note", text=NOTE[2:].strip())
    await _deliver(ctx)
    latest = _bodies(ctx, "client1")
    ctx.expect(any(ANSWER in b for b in latest), "Alex gets Dana's answer by DM")
    ctx.expect(not any("attendance" in b for b in latest), "the staff note is not sent")

    closed = await ctx.slash(dana, thread, "careline close")
    await _deliver(ctx)
    ctx.expect(closed.ephemeral and "Closed" in closed.text, "Dana closes the conversation")
    ctx.expect(
        "closed this conversation" in _bodies(ctx, "client1")[-1],
        "Alex is told the conversation is closed",
    )
