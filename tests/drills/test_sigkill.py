"""Durability drills: the real bot in a subprocess, SIGKILLed mid-work, started again.

* The long outage: the same, but the restart comes after 30 simulated minutes (the
  emulator's clock, which decides the nonce window, and the bot's clock both jump): the
  nonce no longer protects a re-send, so the rows the crash left in ``sending`` must be
  recognised in the channels' history instead.

* 200 queued notices, the bot killed mid-batch: after a restart every row is delivered
  exactly once (the same ``ob{id}`` nonce is re-sent; the emulator, like Discord with
  ``enforce_nonce``, returns the first message instead of making a second one).
* A check-in the bot has confirmed is in the database after a SIGKILL.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repositories.outbox import OutboxRepository
from bot.services.notices import Notice
from tests.drills._support import Drill, drill_world, wait_for
from tests.wire.conftest import assert_contract_kept

ROWS = 200
KILL_AFTER = 70  # stored messages before the SIGKILL (the batch is 200 rows)
CHANNELS = 35  # 35 channels x 5 + 5 DM users x 5 = 200: within one rate-limit window each


def outbox_statuses(db_path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        rows = conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
    finally:
        conn.close()
    return {status: n for status, n in rows}


async def queue_rows(drill: Drill) -> list[int]:
    """200 notices: 5 to each drill channel and 5 by DM to each seeded person."""
    targets: list[tuple[str, int]] = []
    for name, channel_id in drill.world.channels.items():
        if name.startswith("drill-"):
            targets.extend([("channel", channel_id)] * 5)
    for user in drill.world.users.values():
        targets.extend([("dm", user.id)] * 5)
    assert len(targets) == ROWS
    db = Database(drill.db_path)
    await db.connect()
    try:
        await migrate(db)
        repo = OutboxRepository(db)
        now = datetime.now(UTC)
        ids = []
        async with db.transaction() as tx:
            for n, (target_type, target_id) in enumerate(targets):
                row_id = await repo.insert(
                    tx,
                    dedupe_key=f"drill:{n}",
                    kind="drill",
                    target_type=target_type,
                    target_id=target_id,
                    subject_user_id=None,
                    payload=Notice(content=f"Drill notice {n + 1} of {ROWS}").to_json(),
                    due_at=now,
                    expires_at=None,
                    now=now,
                )
                assert row_id is not None
                ids.append(row_id)
    finally:
        await db.close()
    return ids


async def test_sigkill_mid_batch_delivers_every_row_exactly_once(tmp_path):
    async with drill_world(tmp_path, cogs=("clients", "data"), extra_channels=CHANNELS) as drill:
        ids = await queue_rows(drill)
        nonces = {f"ob{row_id}" for row_id in ids}

        def delivered() -> int:
            return sum(1 for nonce in drill.messages_by_nonce() if nonce in nonces)

        await drill.bot.start()
        await wait_for(lambda: delivered() >= KILL_AFTER, 60, "the first sends", drill)
        drill.bot.kill()
        await drill.bot.wait_dead()
        at_kill = delivered()
        statuses_at_kill = outbox_statuses(drill.db_path)
        assert at_kill < ROWS, "the batch finished before the kill; the drill proves nothing"

        await drill.bot.start()

        def settled() -> bool:
            statuses = outbox_statuses(drill.db_path)
            return statuses.get("pending", 0) + statuses.get("sending", 0) == 0

        await wait_for(settled, 60, "the outbox to drain after the restart", drill)
        await drill.emulator.settle()
        counts = drill.messages_by_nonce()
        per_row = [counts.get(nonce, 0) for nonce in nonces]
        got = sum(1 for n in per_row if n >= 1)
        duplicates = sum(n - 1 for n in per_row if n > 1)
        final = outbox_statuses(drill.db_path)
        posts = sum(
            1
            for r in drill.emulator.requests
            if r.get("route") == "POST /channels/{channel_id}/messages" and r.get("status") == 200
        )
        print(
            f"\nSIGKILL drill: killed after {at_kill}/{ROWS} stored "
            f"(outbox at kill: {statuses_at_kill}); after restart: {final}"
        )
        print(
            f"message POSTs answered {posts} for {ROWS} rows "
            f"({posts - got} re-sent with the same nonce and de-duplicated)"
        )
        print(f"rows delivered {got}/{ROWS}, duplicates {duplicates}")
        assert got == ROWS, f"lost {ROWS - got} row(s)"
        assert duplicates == 0
        assert final == {"sent": ROWS}
        assert drill.emulator.unimplemented == []
        assert_contract_kept(drill.emulator)


async def test_a_confirmed_checkin_survives_sigkill(tmp_path):
    async with drill_world(tmp_path, cogs=("clients", "checkins", "data")) as drill:
        emu, world = drill.emulator, drill.world
        alex = world.user("client1")
        await drill.bot.start()
        await drill.wait_connected()
        await wait_for(lambda: bool(emu.commands_for_guild(world.guild_id)), 30, "sync", drill)
        enrolled = await emu.slash(
            world.user("facilitator").id,
            world.channels["staff-alerts"],
            "client enroll",
            {"member": alex.id, "timezone": alex.timezone},
        )
        assert "Enrolled Alex" in enrolled.text, enrolled.text
        form = await emu.slash(alex.id, world.channels["welcome"], "checkin today")
        assert form.modal is not None, form.text
        saved = await emu.submit_modal(
            alex.id,
            form.modal["custom_id"],
            {"mood": "6", "craving": "2", "used": "no", "safety": "no", "note": "drill"},
        )
        assert saved.answered and not saved.is_error, saved.text
        # The bot has told Alex the check-in is saved: crash right now.
        drill.bot.kill()
        await drill.bot.wait_dead()
        conn = sqlite3.connect(drill.db_path)
        try:
            row = conn.execute(
                "SELECT mood, craving, used, safety FROM checkins WHERE user_id = ?",
                (alex.id,),
            ).fetchone()
        finally:
            conn.close()
        print(f"\ncheck-in after SIGKILL: {'found' if row else 'MISSING'} {row}")
        assert row == (6, 2, "no", "no")


DOWNTIME = timedelta(minutes=30)


async def test_long_outage_sigkill_then_30_minutes_down_delivers_every_row_once(tmp_path):
    async with drill_world(tmp_path, cogs=("clients", "data"), extra_channels=CHANNELS) as drill:
        offset = timedelta(0)
        drill.emulator.set_clock(lambda: datetime.now(UTC) + offset)
        ids = await queue_rows(drill)
        nonces = {f"ob{row_id}": row_id for row_id in ids}

        def delivered() -> int:
            return sum(1 for nonce in drill.messages_by_nonce() if nonce in nonces)

        await drill.bot.start()
        await wait_for(lambda: delivered() >= KILL_AFTER, 60, "the first sends", drill)
        drill.bot.kill()
        await drill.bot.wait_dead()
        at_kill = delivered()
        assert at_kill < ROWS, "the batch finished before the kill; the drill proves nothing"
        statuses_at_kill = outbox_statuses(drill.db_path)
        recorded = recorded_sent(drill.db_path)
        ambiguous = sum(
            1
            for nonce in drill.messages_by_nonce()
            if nonce in nonces and nonces[nonce] not in recorded
        )

        offset = DOWNTIME  # 30 minutes pass: Discord has forgotten every nonce
        config = json.loads(drill.bot.config_path.read_text())
        config["clock_offset_seconds"] = DOWNTIME.total_seconds()
        drill.bot.config_path.write_text(json.dumps(config))
        await drill.bot.start()

        def settled() -> bool:
            statuses = outbox_statuses(drill.db_path)
            return statuses.get("pending", 0) + statuses.get("sending", 0) == 0

        await wait_for(settled, 90, "the outbox to drain after the restart", drill)
        await drill.emulator.settle()
        counts = drill.messages_by_nonce()
        per_row = [counts.get(nonce, 0) for nonce in nonces]
        got = sum(1 for n in per_row if n >= 1)
        duplicates = sum(n - 1 for n in per_row if n > 1)
        final = outbox_statuses(drill.db_path)
        print(
            f"\nlong outage: killed after {at_kill}/{ROWS} stored, {ambiguous} of them not yet "
            f"recorded (outbox at kill: {statuses_at_kill}); after restart: {final}"
        )
        print(f"long-outage drill: delivered {got}/{ROWS}, duplicates {duplicates}")
        assert got == ROWS, f"lost {ROWS - got} row(s)"
        assert duplicates == 0
        assert final == {"sent": ROWS}
        assert drill.emulator.unimplemented == []


def recorded_sent(db_path) -> set[int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        rows = conn.execute("SELECT id FROM outbox WHERE status = 'sent'").fetchall()
    finally:
        conn.close()
    return {row_id for (row_id,) in rows}
