"""Write ids into ``config.toml`` without losing anyone's comments (tomlkit).

A missing file starts from ``config.example.toml`` (every key documented) when it is
beside the code; otherwise from the few sections setup fills. Only keys whose value
changes are touched; the file is replaced atomically and stays private (``0600``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from bot.files import PRIVATE_FILE_MODE

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"
MINIMAL = """\
# iopbot configuration, written by `iopbot setup`. config.example.toml documents every key.
# The token is not kept here: set IOPBOT_DISCORD__TOKEN in the environment.

[discord]

[roles]

[channels]
"""

Key = tuple[str, str]


def read_document(path: Path) -> tomlkit.TOMLDocument:
    if path.is_file():
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    template = EXAMPLE.read_text(encoding="utf-8") if EXAMPLE.is_file() else MINIMAL
    return tomlkit.parse(template)


def current_value(doc: tomlkit.TOMLDocument, key: Key) -> Any:
    section = doc.get(key[0])
    if not isinstance(section, Table | dict):
        return None
    value: Any = section.get(key[1])
    return value.unwrap() if hasattr(value, "unwrap") else value


def changes(doc: tomlkit.TOMLDocument, wanted: Mapping[Key, int]) -> dict[Key, int]:
    """The keys whose value in ``doc`` differs from ``wanted``."""
    return {key: value for key, value in wanted.items() if current_value(doc, key) != value}


def apply_changes(doc: tomlkit.TOMLDocument, updates: Mapping[Key, int]) -> None:
    for (section_name, name), value in updates.items():
        section = doc.get(section_name)
        if section is None:
            section = tomlkit.table()
            doc[section_name] = section
        section[name] = value  # tomlkit keeps the line's comment when a value changes


def write_document(path: Path, doc: tomlkit.TOMLDocument) -> None:
    """Replace ``path`` atomically. A new file is private (``0600``); an existing one keeps
    its mode and, where allowed, its owner and group (e.g. root:iopbot 0640 in /etc)."""
    temp = path.with_name(f".{path.name}.tmp")
    if os.path.lexists(temp):
        temp.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(tomlkit.dumps(doc))
    if path.is_file():
        old = path.stat()
        os.chmod(temp, old.st_mode & 0o777)
        with contextlib.suppress(PermissionError):
            os.chown(temp, old.st_uid, old.st_gid)
    os.replace(temp, path)
