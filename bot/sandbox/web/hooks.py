"""What the page knows beyond the emulator: the seeded people's time zones and the demo.

`iopbot sandbox` fills these in (runner.py); a bare `Emulator` leaves them empty and the
page still works (every member is listed, in UTC, and "Play the demo" is off).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """A seeded person: `key` is the scenario name ("client1"), `timezone` an IANA zone."""

    key: str
    id: int
    name: str
    timezone: str


@dataclass
class DemoStatus:
    state: str = "idle"  # idle, running, passed, failed
    failures: list[str] = field(default_factory=list)


@dataclass
class PageHooks:
    people: list[Person] = field(default_factory=list)
    demo: Callable[[], Awaitable[list[str]]] | None = None
    demo_status: DemoStatus = field(default_factory=DemoStatus)
    checkin_time: str = "09:00"

    def person(self, user_id: int) -> Person | None:
        return next((p for p in self.people if p.id == user_id), None)
