"""The weekly recovery-check prompt in two zones across both DST weekends of 2026.

Sunday 01:30 local: in London the spring-forward night (29 March) has no 01:30, so the
prompt moves forward to 02:30 BST (gap → forward); on the fall-back night (25 October)
01:30 happens twice and the prompt takes the first (fold → first). New York changes on
other weekends (8 March, 1 November), where 01:30 falls just before the gap and on the
fold. Every week each client gets exactly one prompt, at the expected UTC instant, on the
FakeClock, with no week lost or doubled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.codec import parse_ts
from tests.cogs.checkins_helpers import breathe, enroll
from tests.cogs.survey_helpers import survey_prompts
from tests.harness import program_world

COGS = ("clients", "survey")
SUNDAY_0130 = {"day": "sun", "time": "01:30"}


def utc(month: int, day: int, hour: int, minute: int = 30) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# (zone, expected UTC instant of the Sunday 01:30 prompt)
SPRING = [
    ("America/New_York", utc(3, 8, 6)),  # 01:30 EST, the gap comes at 02:00
    ("Europe/London", utc(3, 8, 1)),  # 01:30 GMT
    ("America/New_York", utc(3, 15, 5)),  # 01:30 EDT
    ("Europe/London", utc(3, 15, 1)),
    ("Europe/London", utc(3, 22, 1)),
    ("America/New_York", utc(3, 22, 5)),
    ("Europe/London", utc(3, 29, 1)),  # no 01:30 that night: 02:30 BST
    ("America/New_York", utc(3, 29, 5)),
    ("Europe/London", utc(4, 5, 0)),  # 01:30 BST
    ("America/New_York", utc(4, 5, 5)),
]
FALL = [
    ("Europe/London", utc(10, 18, 0)),  # 01:30 BST
    ("America/New_York", utc(10, 18, 5)),  # 01:30 EDT
    ("Europe/London", utc(10, 25, 0)),  # 01:30 twice: the first (BST)
    ("America/New_York", utc(10, 25, 5)),
    ("Europe/London", utc(11, 1, 1)),  # 01:30 GMT
    ("America/New_York", utc(11, 1, 5)),  # 01:30 twice: the first (EDT)
    ("America/New_York", utc(11, 8, 6)),  # 01:30 EST
    ("Europe/London", utc(11, 8, 1)),
]


async def _walk(w, members, expected) -> None:
    for zone, instant in sorted(expected, key=lambda pair: pair[1]):
        member = members[zone]
        counts = {z: len(survey_prompts(w, m)) for z, m in members.items()}
        await breathe(w)
        w.clock.set(instant - timedelta(minutes=1))
        await w.run_due_work()
        assert {z: len(survey_prompts(w, m)) for z, m in members.items()} == counts, instant
        await breathe(w)
        w.clock.set(instant)
        await w.run_due_work()
        counts[zone] += 1
        assert {z: len(survey_prompts(w, m)) for z, m in members.items()} == counts, (
            zone,
            instant,
        )
        row = await w.db.fetchone(
            "SELECT planned_at, status FROM prompt_periods WHERE schedule = 'survey' "
            "AND user_id = ? ORDER BY planned_at DESC LIMIT 1",
            (member.id,),
        )
        assert (parse_ts(row["planned_at"]), row["status"]) == (instant, "queued"), zone


async def test_the_weekly_prompt_keeps_local_time_across_both_dst_changes(tmp_path) -> None:
    async with program_world(tmp_path, cogs=COGS, survey=SUNDAY_0130) as w:
        alex, sam = w.clients[0], w.clients[1]
        await enroll(w, alex, "America/New_York")
        await enroll(w, sam, "Europe/London")
        members = {"America/New_York": alex, "Europe/London": sam}
        await _walk(w, members, SPRING)

        # Months later: the summer's periods are past (skipped, not sent all at once).
        before = {z: len(survey_prompts(w, m)) for z, m in members.items()}
        w.clock.set(utc(10, 13, 12))
        await breathe(w)
        await w.run_due_work()
        assert {z: len(survey_prompts(w, m)) for z, m in members.items()} == before
        await _walk(w, members, FALL)

        # One prompt per period: nothing more until the next Sunday.
        after = {z: len(survey_prompts(w, m)) for z, m in members.items()}
        w.clock.set(utc(11, 14, 23))
        await breathe(w)
        await w.run_due_work()
        assert {z: len(survey_prompts(w, m)) for z, m in members.items()} == after
        assert after == {"America/New_York": 9, "Europe/London": 9}
