"""Structured logging: one JSON object a line, ids only, and the token redacted.

Secrets are removed from the final formatted line (message, arguments, ``extra`` fields
and tracebacks alike). Tracebacks show where an error happened but not its message,
which can carry what a user typed; messages from SQLite and from Discord's API (which
name the failing constraint or route, never user text) are kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

import discord

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RedactFilter(logging.Filter):
    """Replaces any secret that slips into a message or its arguments."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self._clean(str(record.msg))
            if record.args:
                args = record.args if isinstance(record.args, tuple) else (record.args,)
                record.args = tuple(self._clean(a) if isinstance(a, str) else a for a in args)
        return True


KEEP_MESSAGE: tuple[type[BaseException], ...] = (sqlite3.Error, discord.HTTPException)


def traceback_without_messages(exc: BaseException) -> str:
    """The traceback of ``exc`` and its causes, each exception's message withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        else:
            current = None if current.__suppress_context__ else current.__context__
    parts: list[str] = []
    for position, error in enumerate(reversed(chain)):
        if position:
            parts.append("\nThen, while handling it:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(error.__traceback__))
        name = f"{type(error).__module__}.{type(error).__qualname__}"
        shown = str(error) if isinstance(error, KEEP_MESSAGE) else "(message withheld)"
        parts.append(f"{name}: {shown}\n")
    return "".join(parts).rstrip("\n")


class SafeExceptionsMixin(logging.Formatter):
    def formatException(self, ei: Any) -> str:
        error = ei[1] if ei else None
        if not isinstance(error, BaseException):
            return ""
        return traceback_without_messages(error)


class PlainFormatter(SafeExceptionsMixin, logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the full traceback text on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


class RedactingFormatter(logging.Formatter):
    """Formats with ``inner``, then removes every secret from the finished line."""

    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self.inner = inner
        forms = {s for s in secrets if s} | {json.dumps(s)[1:-1] for s in secrets if s}
        self.secrets = sorted(forms, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self.inner.format(record)
        for secret in self.secrets:
            line = line.replace(secret, "[redacted]")
        return line


class JsonFormatter(SafeExceptionsMixin, logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure_logging(level: str, *, json_format: bool, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    inner: logging.Formatter = (
        JsonFormatter()
        if json_format
        else PlainFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    handler.setFormatter(RedactingFormatter(inner, secrets))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("discord").setLevel(max(logging.INFO, root.level))
    # aiosqlite logs every statement's parameters at DEBUG: check-in answers must never
    # reach the logs, whatever level the program asks for.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
