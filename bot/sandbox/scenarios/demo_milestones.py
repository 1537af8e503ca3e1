"""Demo part "milestones": a public 30-day celebration with peers' congratulations, a
private milestone (DM only) and a program milestone (the first week).

* Alex (client1, New York) sets a sobriety date 29 days ago and shares celebrations;
* Sam (client2, Berlin) sets a date 6 days ago and keeps celebrations private;
* Riley (client3, Los Angeles): the facilitator corrects the program start to 6 days ago
  (unless a first week was already celebrated in an earlier part).

The clock then moves to each client's local 09:00 the next day, in order; Sam and Riley
press "Send congrats" on Alex's post; at 20:00 in New York Alex gets their good wishes in
one DM. The cohort channel comes from the groups part; without one, this part makes a
group with /group create and /group add, and if there is no groups feature at all the
public celebration is skipped with a note.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.repositories.cohorts import CohortRepository
from bot.domain.localtime import at_local, local_date, parse_hhmm
from bot.sandbox.emulator import permissions as perm
from bot.sandbox.emulator.results import InteractionError
from bot.sandbox.scenario import ScenarioContext
from bot.sandbox.world import WorldUser

DEMO_GROUP = "Milestone Circle"
CONGRATS_PREFIX = "iop:milestone:congrats:"


async def run(ctx: ScenarioContext) -> None:
    alex, sam, riley = ctx.user("client1"), ctx.user("client2"), ctx.user("client3")
    facilitator = ctx.user("facilitator")
    channel_id = await _cohort_channel(ctx, alex, (alex, sam, riley))
    where = channel_id if channel_id is not None else ctx.channel("welcome").id

    now = ctx.now()
    alex_today = _today(ctx, alex)
    reply = await ctx.slash(
        alex, where, "sobriety set", date=(alex_today - timedelta(days=29)).isoformat()
    )
    ctx.expect(reply.ephemeral and "29 days" in reply.text, "/sobriety set answers privately")
    reply = await ctx.slash(alex, where, "milestones public", choice="on")
    ctx.expect(reply.ephemeral, "/milestones public on answers privately")
    reply = await ctx.slash(
        sam, where, "sobriety set", date=(_today(ctx, sam) - timedelta(days=6)).isoformat()
    )
    ctx.expect(reply.ephemeral and "6 days" in reply.text, "Sam's date is set privately")
    if not await _first_week_celebrated(ctx, riley):
        reply = await ctx.slash(
            facilitator,
            ctx.channel("staff-alerts"),
            "client enroll",
            member=riley,
            timezone=riley.timezone,
            start_date=(_today(ctx, riley) - timedelta(days=6)).isoformat(),
        )
        ctx.expect(not reply.is_error, "the facilitator corrected Riley's program start")

    # Each client's 09:00 tomorrow, earliest first (Berlin, New York, Los Angeles).
    mornings = sorted(
        _nine_tomorrow(ctx, user, now) + timedelta(minutes=1) for user in (sam, alex, riley)
    )
    for instant in mornings:
        if instant > ctx.now():
            await ctx.advance(instant - ctx.now())

    ctx.expect(
        any("30 days of recovery" in m["content"] for m in ctx.dms(alex)),
        "Alex got a 30-day congratulation by DM",
    )
    ctx.expect(
        any("7 days of recovery" in m["content"] for m in ctx.dms(sam)),
        "Sam got a private 7-day congratulation by DM",
    )
    ctx.expect(
        any("first week in the program" in m["content"] for m in ctx.dms(riley)),
        "Riley got a first-week congratulation by DM",
    )
    if channel_id is None:
        ctx.step("no cohort channel (groups feature missing): public celebration skipped")
        return
    posts = [m for m in ctx.channel_messages(channel_id) if CONGRATS_PREFIX in _ids(m)]
    ctx.expect(
        all("Sam" not in m["content"] and "7 days" not in m["content"] for m in posts),
        "Sam's private milestone is not in the group channel",
    )
    thirty = [m for m in posts if "Alex" in m["content"] and "30 days" in m["content"]]
    if not ctx.expect(len(thirty) == 1, "one public 30-day celebration for Alex"):
        return
    post = thirty[0]
    custom_id = next(c for c in _ids(post).split() if c.startswith(CONGRATS_PREFIX))
    for peer in (sam, riley):
        thanks = await ctx.click(peer, post, custom_id)
        ctx.expect(thanks.ephemeral and "Thank you" in thanks.text, f"{peer.name} thanked")
    again = await ctx.click(sam, post, custom_id)
    ctx.expect("already sent" in again.text, "one congratulation per peer")

    evening = at_local(_today(ctx, alex), parse_hhmm("20:00"), _zone(alex))
    await ctx.advance(evening + timedelta(minutes=1) - ctx.now())
    bundles = [m for m in ctx.dms(alex) if "\n💌" in m["content"]]
    ctx.expect(
        len(bundles) == 1 and "Sam" in bundles[0]["content"] and "Riley" in bundles[0]["content"],
        "Alex got peers' congratulations as one DM at the end of their day",
    )


def _zone(user: WorldUser) -> ZoneInfo:
    return ZoneInfo(user.timezone)


def _today(ctx: ScenarioContext, user: WorldUser) -> Any:
    return local_date(ctx.now(), _zone(user))


def _nine_tomorrow(ctx: ScenarioContext, user: WorldUser, now: datetime) -> datetime:
    tomorrow = local_date(now, _zone(user)) + timedelta(days=1)
    return at_local(tomorrow, parse_hhmm("09:00"), _zone(user))


def _ids(message: dict[str, Any]) -> str:
    return " ".join(str(c.get("custom_id") or "") for c in message.get("components") or [])


async def _first_week_celebrated(ctx: ScenarioContext, user: WorldUser) -> bool:
    value = await ctx.bot.services.db.fetchval(
        "SELECT COUNT(*) FROM milestones WHERE user_id = ? AND kind = 'weeks' AND n = 1 "
        "AND status = 'celebrated'",
        (user.id,),
    )
    return bool(value)


async def _cohort_channel(
    ctx: ScenarioContext, client: WorldUser, members: tuple[WorldUser, ...]
) -> int | None:
    """The client's cohort channel, made with /group create and /group add if needed."""
    cohorts = CohortRepository(ctx.bot.services.db)
    channel_id: int | None = await cohorts.channel_for_client(client.id)
    if channel_id is not None:
        return channel_id
    if ctx.bot.get_cog("GroupsCog") is None:
        return await _seed_cohort(ctx, members)
    staff = ctx.channel("staff-alerts")
    facilitator = ctx.user("facilitator")
    try:
        reply = await ctx.slash(facilitator, staff, "group create", name=DEMO_GROUP)
        ctx.expect(not reply.is_error, "/group create for the milestones demo")
        for member in members:
            if await cohorts.channel_for_client(member.id) is None:
                await ctx.slash(facilitator, staff, "group add", member=member, cohort=DEMO_GROUP)
    except InteractionError as exc:
        ctx.step(f"/group is not available here ({exc})")
    found: int | None = await cohorts.channel_for_client(client.id)
    return found if found is not None else await _seed_cohort(ctx, members)


async def _seed_cohort(ctx: ScenarioContext, members: tuple[WorldUser, ...]) -> int:
    """Without the groups feature, seed a private group channel as the program's setup
    would (the emulator makes the channel; the cohort row goes in the bot's database)."""
    ctx.step("no groups part: the milestones demo seeds a private group channel")
    world = ctx.world
    view = perm.VIEW_CHANNEL | perm.READ_MESSAGE_HISTORY
    allow = [
        {"id": str(world.roles[key]), "type": 0, "allow": str(view), "deny": "0"}
        for key in ("client", "facilitator")
    ]
    channel = ctx.emulator.create_channel(
        world.guild_id,
        DEMO_GROUP.lower().replace(" ", "-"),
        overwrites=[
            {"id": str(world.guild_id), "type": 0, "allow": "0", "deny": str(perm.VIEW_CHANNEL)},
            *allow,
            {
                "id": str(world.bot_user_id),
                "type": 1,
                "allow": str(view | perm.SEND_MESSAGES),
                "deny": "0",
            },
        ],
    )
    await ctx.settle()
    services = ctx.bot.services
    cohorts = CohortRepository(services.db)
    now = services.clock.now()
    async with services.db.transaction() as tx:
        cohort_id = await cohorts.create(
            tx,
            guild_id=world.guild_id,
            name=DEMO_GROUP,
            channel_id=int(channel["id"]),
            created_by=ctx.user("facilitator").id,
            now=now,
        )
        for member in members:
            await cohorts.join(
                tx,
                cohort_id=cohort_id,
                user_id=member.id,
                added_by=ctx.user("facilitator").id,
                now=now,
            )
    return int(channel["id"])
