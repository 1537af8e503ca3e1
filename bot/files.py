"""Files that hold program data are private to the account iopbot runs as.

``main()`` sets a ``077`` umask so everything iopbot creates (the database and its ``-wal``
and ``-shm`` files, backups, restores, the key file) is ``0600``; the database files are
also ``chmod``ed on open in case they were created some other way. ``permission_problems``
lists files other accounts can read or write: start-up logs each as a warning, and a
``doctor`` command can print them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def restrict_umask() -> int:
    """Make new files private to this account; return the previous umask."""
    return os.umask(PRIVATE_UMASK)


def database_files(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in DATABASE_SUFFIXES]


def make_private(path: Path) -> None:
    """``chmod 600`` a regular file we own (a no-op for a missing file or a symlink)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(PRIVATE_FILE_MODE)


def open_new_private(path: Path) -> int:
    """Create ``path`` for writing, ``0600``; refuse if anything (even a symlink) is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, PRIVATE_FILE_MODE)


def program_file_problems(database: Path, key_file: Path) -> list[str]:
    """``permission_problems`` for the database, its ``-wal``/``-shm`` and the key file:
    what start-up logs as ``files.too_open`` (and what a ``doctor`` command can print)."""
    return permission_problems([*database_files(database), key_file])


def permission_problems(paths: list[Path]) -> list[str]:
    """One line for each existing file that other accounts may read or write."""
    problems = []
    for path in paths:
        try:
            info = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            problems.append(
                f"{path} is readable or writable by other accounts (mode {mode:04o}); "
                f"run: chmod 600 {path}"
            )
    return problems
