"""The doctor's checks that need no Discord server: intents, commands, and this machine."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord

from bot.config import Settings
from bot.services.doctor import CheckLine, commands_check, intent_checks
from bot.services.doctor_local import database_checks, record_backup
from tests.security_helpers import audit_rows, migrated

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PORTAL = "turn it on in the developer portal: your app → Bot → Privileged Gateway Intents"


def flags(value: int) -> discord.ApplicationFlags:
    return discord.ApplicationFlags._from_value(value)


def test_intents_off_in_the_portal_are_named_with_the_fix():
    lines = intent_checks(flags(0), Settings(discord={"message_content": True}))
    assert [line.render() for line in lines] == [
        f"✗ intent: Server Members: {PORTAL}",
        f"✗ intent: Message Content: {PORTAL}",
    ]
    # Message content is only checked when the config asks for it; "limited" counts.
    no_content = Settings(discord={"message_content": False})
    assert intent_checks(flags(1 << 15), no_content) == [CheckLine(True, "intent: Server Members")]
    limited = intent_checks(flags((1 << 15) | (1 << 19)), Settings())
    assert all(line.ok for line in limited) and len(limited) == 2


def test_unsynced_commands_are_listed():
    assert commands_check(["client", "mod"], ["mod", "client", "extra"]).ok
    line = commands_check(["client", "mod", "iopbot"], ["mod"])
    assert line.render() == (
        "✗ slash commands synced: /client, /iopbot not synced; run `iopbot sync`"
    )


def by_label(lines: list[CheckLine], start: str) -> CheckLine:
    return next(line for line in lines if line.label.startswith(start))


async def test_local_checks_pass_then_name_each_problem(tmp_path: Path):
    path = tmp_path / "iopbot.sqlite3"
    settings = Settings(database={"path": path, "backup_max_age_hours": 48})
    db = await migrated(path)
    try:
        await audit_rows(db, 3)
        record_backup(path, NOW - timedelta(hours=3))
        lines = await database_checks(db, settings, NOW)
        assert all(line.ok for line in lines), [line.render() for line in lines]
        assert by_label(lines, "last backup").label == (
            "last backup: 2026-03-02 09:00 UTC (3 h ago)"
        )

        stale = await database_checks(db, settings, NOW + timedelta(days=3))
        assert (
            by_label(stale, "last backup")
            .render()
            .endswith(
                "older than 2 days; run `iopbot backup PATH` and schedule it daily "
                "(docs/DEPLOY.md, Backups)"
            )
        )
        path.chmod(0o644)
        opened = by_label(await database_checks(db, settings, NOW), "file permissions")
        assert not opened.ok and f"run: chmod 600 {path}" in opened.fix
        path.chmod(0o600)
    finally:
        await db.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_append_only")
    conn.execute("UPDATE audit_log SET subject_user_id = 999 WHERE id = 2")
    conn.commit()
    conn.close()
    db = await migrated(path)
    try:
        chain = by_label(await database_checks(db, settings, NOW), "audit chain")
    finally:
        await db.close()
    assert not chain.ok
    assert chain.fix.startswith("audit_log row 2: hash mismatch")


async def test_no_backup_recorded_is_a_failure(tmp_path: Path):
    path = tmp_path / "iopbot.sqlite3"
    db = await migrated(path)
    try:
        lines = await database_checks(db, Settings(database={"path": path}), NOW)
    finally:
        await db.close()
    assert by_label(lines, "last backup").render() == (
        "✗ last backup: none recorded: run `iopbot backup PATH` and schedule it daily "
        "(docs/DEPLOY.md, Backups)"
    )
