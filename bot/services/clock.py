"""The one source of "now". Production uses :class:`SystemClock`; tests and the sandbox
use :class:`FakeClock`, which only moves when told to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.domain.localtime import require_utc


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock for tests and the sandbox: starts at ``start`` and moves on request."""

    def __init__(self, start: datetime) -> None:
        self._now = require_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = require_utc(instant)

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock does not go backwards")
        self._now += delta
        return self._now
