"""Discord-style rate limits: per-route buckets keyed by a major parameter, plus a global cap.

Time here is real (monotonic) time, because discord.py waits in real time; the sandbox
clock only stamps messages.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BucketRule:
    """`limit` requests per `period` seconds, shared by routes with the same `name`."""

    name: str
    limit: int
    period: float

    @property
    def hash(self) -> str:
        return hashlib.sha1(self.name.encode(), usedforsecurity=False).hexdigest()[:16]


@dataclass
class Window:
    remaining: int
    resets_at: float


@dataclass
class Decision:
    allowed: bool
    headers: dict[str, str]
    retry_after: float = 0.0
    is_global: bool = False


@dataclass
class InjectedLimit:
    """A 429 the control API asked for: the next `count` requests matching get it."""

    method: str
    path_contains: str
    retry_after: float
    is_global: bool
    count: int = 1


@dataclass
class RateLimiter:
    global_limit: int = 50
    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    windows: dict[str, Window] = field(default_factory=dict)
    global_windows: dict[str, Window] = field(default_factory=dict)
    injected: list[InjectedLimit] = field(default_factory=list)

    def check(
        self, rule: BucketRule, major: str, token: str, *, method: str, path: str, exempt: bool
    ) -> Decision:
        """Count one request against the global cap and its bucket; say whether it may pass."""
        now = self.monotonic()
        injected = self._take_injected(method, path)
        if injected is not None:
            return self._limited(rule, now, injected.retry_after, is_global=injected.is_global)
        if not exempt:
            window = self._window(self.global_windows, token, self.global_limit, 1.0, now)
            if window.remaining <= 0:
                return self._limited(rule, now, window.resets_at - now, is_global=True)
            window.remaining -= 1
        window = self._window(self.windows, f"{rule.name}:{major}", rule.limit, rule.period, now)
        if window.remaining <= 0:
            return self._limited(rule, now, window.resets_at - now, is_global=False, window=window)
        window.remaining -= 1
        return Decision(True, self._headers(rule, window, now))

    def inject(self, limit: InjectedLimit) -> None:
        self.injected.append(limit)

    def _take_injected(self, method: str, path: str) -> InjectedLimit | None:
        for limit in self.injected:
            if limit.method in (method, "*") and limit.path_contains in path:
                limit.count -= 1
                if limit.count <= 0:
                    self.injected.remove(limit)
                return limit
        return None

    @staticmethod
    def _window(
        windows: dict[str, Window], key: str, limit: int, period: float, now: float
    ) -> Window:
        window = windows.get(key)
        if window is None or window.resets_at <= now:
            window = Window(remaining=limit, resets_at=now + period)
            windows[key] = window
        return window

    def _headers(self, rule: BucketRule, window: Window, now: float) -> dict[str, str]:
        reset_after = max(window.resets_at - now, 0.0)
        return {
            "X-RateLimit-Limit": str(rule.limit),
            "X-RateLimit-Remaining": str(max(window.remaining, 0)),
            "X-RateLimit-Reset": f"{self.wall() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": rule.hash,
        }

    def _limited(
        self,
        rule: BucketRule,
        now: float,
        retry_after: float,
        *,
        is_global: bool,
        window: Window | None = None,
    ) -> Decision:
        retry_after = max(round(retry_after, 3), 0.001)
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            shown = window or Window(remaining=0, resets_at=now + retry_after)
            headers.update(self._headers(rule, shown, now))
        return Decision(False, headers, retry_after=retry_after, is_global=is_global)
