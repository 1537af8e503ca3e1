"""The dispatcher's on_failed hook: called once when a row is marked failed (a refused
post, or retries exhausted), never for a retry, a 50007 or a send that worked."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.services.dispatcher import KindHooks
from tests.services.test_outbox import enqueue, http_error, spine  # noqa: F401 (fixture)


@pytest.fixture
def failed(spine):  # noqa: F811
    seen: list[int] = []

    async def on_failed(tx, row):
        seen.append(row.id)

    spine.dispatcher.register("test", KindHooks(on_failed=on_failed))
    return seen


@pytest.mark.parametrize(
    ("cls", "status", "code"),
    [
        (discord.Forbidden, 403, 50013),  # Missing Permissions
        (discord.Forbidden, 403, 50001),  # Missing Access
        (discord.NotFound, 404, 10003),  # Unknown Channel
        (discord.HTTPException, 400, 50035),  # Invalid Form Body
    ],
)
async def test_a_refused_post_calls_on_failed_once(spine, failed, cls, status, code):  # noqa: F811
    row_id = await enqueue(spine, "refused")
    spine.send.failures = [http_error(cls, status, code)]
    report = await spine.dispatcher.run_once()
    assert report.failed == 1
    assert failed == [row_id]
    await spine.dispatcher.run_once()
    assert failed == [row_id]


async def test_retries_exhausted_call_on_failed_after_the_last_attempt(spine, failed):  # noqa: F811
    row_id = await enqueue(spine, "busy")
    spine.send.failures = [http_error(discord.DiscordServerError, 503, 0) for _ in range(3)]
    await spine.dispatcher.run_once()
    assert failed == []  # a retry is not a failure
    spine.clock.advance(timedelta(seconds=30))
    await spine.dispatcher.run_once()
    assert failed == []
    spine.clock.advance(timedelta(seconds=60))
    await spine.dispatcher.run_once()
    assert failed == [row_id]  # max_attempts = 3


async def test_dm_closed_and_sent_rows_do_not_call_on_failed(spine, failed):  # noqa: F811
    await enqueue(spine, "closed")
    spine.send.failures = [http_error(discord.Forbidden, 403, 50007)]
    await spine.dispatcher.run_once()
    await enqueue(spine, "fine")
    await spine.dispatcher.run_once()
    assert failed == []
