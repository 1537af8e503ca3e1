"""Issue 16 item 3: the error reply says what was and was not saved; the handler never raises."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bot.db.database import Database
from bot.services.errors import handle_interaction_error, note_done


class FakeResponse:
    def __init__(self, fail: BaseException | None = None) -> None:
        self.sent: list[str] = []
        self.fail = fail

    def is_done(self) -> bool:
        return False

    async def send_message(self, content, **kwargs):
        if self.fail is not None:
            raise self.fail
        self.sent.append(content)


def interaction(db: Database | None, fail: BaseException | None = None):
    services = SimpleNamespace(db=db) if db is not None else None
    return SimpleNamespace(
        id=1,
        user=SimpleNamespace(id=7),
        command=None,
        data={"custom_id": "iop:test"},
        extras={},
        client=SimpleNamespace(services=services),
        response=FakeResponse(fail),
        followup=None,
    )


@pytest.fixture
async def db(tmp_path):
    database = Database(tmp_path / "e.sqlite3")
    await database.connect()
    async with database.transaction() as tx:
        await tx.execute("CREATE TABLE t (v TEXT)")
    yield database
    await database.close()


async def in_new_task(coro):
    return await asyncio.get_running_loop().create_task(coro)


async def test_nothing_saved_is_said_only_when_nothing_was(db):
    fresh = interaction(db)

    async def fails_before_writing():
        await handle_interaction_error(fresh, RuntimeError("boom"))

    await in_new_task(fails_before_writing())
    assert "Nothing was saved" in fresh.response.sent[0]

    worked = interaction(db)

    async def fails_after_writing():
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('consent')")
        await handle_interaction_error(worked, RuntimeError("reply failed"))

    await in_new_task(fails_after_writing())
    text = worked.response.sent[0]
    assert "Nothing" not in text
    assert "may already be saved" in text and "ref " in text


async def test_a_command_says_what_it_did(db):
    done = interaction(db)

    async def run():
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES ('consent')")
        note_done(done, "Your consent is saved: Sam will get family-session notices.")
        await handle_interaction_error(done, RuntimeError("reply failed"))

    await in_new_task(run())
    text = done.response.sent[0]
    assert "after this was done: Your consent is saved: Sam will" in text
    assert "Nothing" not in text


async def test_without_a_database_it_claims_nothing():
    unknown = interaction(None)
    await handle_interaction_error(unknown, RuntimeError("x"))
    assert "Nothing" not in unknown.response.sent[0]


@pytest.mark.parametrize("failure", [RuntimeError("not http"), ValueError("odd payload")])
async def test_the_handler_never_raises_when_its_reply_fails(db, failure):
    broken = interaction(db, fail=failure)
    await handle_interaction_error(broken, RuntimeError("boom"))  # no exception escapes


async def test_the_handler_never_raises_on_a_strange_interaction():
    await handle_interaction_error(SimpleNamespace(), RuntimeError("boom"))
