"""Logs carry ids, never tokens: the redaction filter and the JSON formatter."""

from __future__ import annotations

import json
import logging

from bot.logsetup import JsonFormatter, RedactFilter


def test_token_is_redacted_from_messages_and_args():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token is %s", ("sekrit-123",), None)
    RedactFilter(["sekrit-123"]).filter(record)
    assert "sekrit-123" not in record.getMessage()
    assert "[redacted]" in record.getMessage()


def test_json_lines_carry_extra_ids():
    record = logging.LogRecord("iopbot.x", logging.INFO, __file__, 1, "outbox.run", (), None)
    record.outbox_id = 7
    data = json.loads(JsonFormatter().format(record))
    assert data["event"] == "outbox.run"
    assert data["outbox_id"] == 7
    assert data["level"] == "info"


def test_debug_level_never_logs_sql_parameters(capsys):
    from bot.logsetup import configure_logging

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        configure_logging("DEBUG", json_format=True, secrets=[])
        logging.getLogger("aiosqlite").debug("executing %s", ("mood 2, note: private",))
        assert "private" not in capsys.readouterr().err
        assert logging.getLogger("aiosqlite").getEffectiveLevel() >= logging.INFO
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
