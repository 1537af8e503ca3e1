"""The program key: kept outside the database, it keys link-code digests and log pseudonyms.

A copy of the database alone (a backup, a stolen file) then neither lets anyone test
link codes offline nor turn the pseudonyms in shipped logs back into Discord ids. The key
comes from ``security.key`` (``IOPBOT_SECURITY__KEY``), else from ``security.key_file``
(default ``<database>.key``), which is created ``0600`` on first run.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.config import Settings
from bot.files import PRIVATE_FILE_MODE


class ProgramKeyError(Exception):
    """The key file is unreadable or malformed."""


def key_file_path(settings: Settings) -> Path:
    configured = settings.security.key_file
    if configured is not None:
        return configured
    db = settings.database.path
    return db.with_name(db.name + ".key")


class ProgramKey:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 32:
            raise ValueError("the program key must be at least 32 bytes")
        self._code_key = hmac.new(secret, b"iopbot link codes", hashlib.sha256).digest()
        self._log_key = hmac.new(secret, b"iopbot log pseudonyms", hashlib.sha256).digest()

    @classmethod
    def generate(cls) -> ProgramKey:
        """A fresh random key held only in memory (an in-memory database, tests)."""
        return cls(secrets.token_bytes(32))

    def code_digest(self, normalized_code: str) -> str:
        """HMAC-SHA256 of a normalized link code (what the database stores)."""
        data = normalized_code.encode("ascii", "ignore")
        return hmac.new(self._code_key, data, hashlib.sha256).hexdigest()

    def pseudonym(self, user_id: int) -> str:
        """A stable, keyed stand-in for a Discord id in logs of clinical events."""
        digest = hmac.new(self._log_key, str(int(user_id)).encode(), hashlib.sha256)
        return "p-" + digest.hexdigest()[:16]


def load_program_key(settings: Settings) -> ProgramKey:
    """The configured key, or the key file's (created with a new random key if missing)."""
    configured = settings.security.key
    if configured is not None:
        return ProgramKey(bytes.fromhex(configured.get_secret_value()))
    if str(settings.database.path) == ":memory:" and settings.security.key_file is None:
        return ProgramKey.generate()
    path = key_file_path(settings)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ProgramKey(_create_key_file(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramKeyError(f"cannot read the key file {path}: {type(exc).__name__}") from None
    try:
        return ProgramKey(bytes.fromhex(text))
    except ValueError:
        raise ProgramKeyError(
            f"the key file {path} does not hold a key (64 hexadecimal characters)"
        ) from None


def _create_key_file(path: Path) -> bytes:
    secret = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except FileExistsError:
        # Another process created it a moment ago: use theirs.
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret.hex() + "\n")
    return secret
