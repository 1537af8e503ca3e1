"""Care-line rules with no I/O: which attachments are passed on, how long text is split,
and the rate-limit window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Images Discord shows inline, and PDF: what a client might send their care team (a photo
# of a form, a letter). Anything else (archives, executables, audio) is refused.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PDF_TYPE = "application/pdf"
_EXTENSIONS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": PDF_TYPE,
}


@dataclass(frozen=True, slots=True)
class FileInfo:
    name: str
    content_type: str | None
    size: int
    url: str


@dataclass(frozen=True, slots=True)
class FileVerdict:
    file: FileInfo
    kind: str | None  # "image" or "PDF" when it is passed on, else None
    reason: str | None  # why it was refused (shown to both sides), else None

    @property
    def passed(self) -> bool:
        return self.kind is not None


def _type_of(file: FileInfo) -> str | None:
    """The media type, trusting the extension only when Discord gave none."""
    given = (file.content_type or "").split(";")[0].strip().lower()
    if given:
        return given
    dot = file.name.rfind(".")
    return _EXTENSIONS.get(file.name[dot:].lower()) if dot >= 0 else None


def judge_file(file: FileInfo, max_bytes: int) -> FileVerdict:
    media = _type_of(file)
    if media in IMAGE_TYPES:
        kind = "image"
    elif media == PDF_TYPE:
        kind = "PDF"
    else:
        return FileVerdict(file, None, "only images (PNG, JPEG, GIF, WebP) and PDF files")
    if file.size > max_bytes:
        return FileVerdict(file, None, f"files up to {size_text(max_bytes)}")
    return FileVerdict(file, kind, None)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at a line break or a space
    where one is near the end (that one break character is dropped; nothing else is)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", limit // 2, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", limit // 2, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut + 1 :] if rest[cut : cut + 1] in ("\n", " ") else rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def window_start(now: datetime, minutes: int) -> datetime:
    return now - timedelta(minutes=minutes)


def window_bucket(now: datetime, minutes: int) -> int:
    """A number that changes once per ``minutes`` (one rate-limit notice per window)."""
    return int(now.timestamp() // (minutes * 60))
