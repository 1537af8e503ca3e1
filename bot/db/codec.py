"""How instants and dates are written to SQLite: ISO-8601 UTC text that sorts correctly."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.localtime import require_utc


def ts(instant: datetime) -> str:
    return require_utc(instant).isoformat(timespec="microseconds")


def ts_or_none(instant: datetime | None) -> str | None:
    return None if instant is None else ts(instant)


def parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def parse_ts_or_none(text: str | None) -> datetime | None:
    return None if text is None else parse_ts(text)


def day(value: date) -> str:
    return value.isoformat()


def parse_day(text: str) -> date:
    return date.fromisoformat(text)
