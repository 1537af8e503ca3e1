"""One running bot per database file: an advisory lock the OS drops when the process dies.

The running bot holds ``<database>.lock`` (``flock``); ``iopbot restore`` refuses while
anyone holds it, and a second bot on the same file refuses to start. A SIGKILLed bot
leaves no stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseInUse(Exception):
    pass


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseInUse(
                f"{self.path.with_suffix('')} is in use by a running iopbot"
            ) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def database_in_use(database: Path) -> bool:
    """True while a running iopbot holds ``database``."""
    if not lock_path(database).exists():
        return False
    probe = DatabaseLock(database)
    try:
        probe.acquire()
    except DatabaseInUse:
        return True
    probe.release()
    return False
