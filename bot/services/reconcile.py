"""Recognising, after a crash, the notices that reached Discord before the bot died.

A row left in ``sending`` by a crash is ambiguous: its request may or may not have made a
message. Re-sending with the same nonce is safe only while Discord still remembers the nonce
(a few minutes); Discord does not store the nonce with the message, so history can't be
searched for it. Instead the dispatcher reads the bot's own recent messages in the row's
channel, from shortly before the claim, and recognises the notice by what it says:

* the author is the bot, and the message was created after ``claimed_at - CLOCK_SKEW``;
* its content, its embeds (title and description) and its buttons' custom ids equal the
  notice's (``signature``);
* it is not already attributed to another outbox row (its id is not a recorded
  ``message_id``), and each message is matched to at most one row, oldest row first.

Two identical notices to one channel in one batch both match (in order) only if both
messages exist, so identical notices are never under-counted or double-counted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.repositories.outbox import OutboxRow
from bot.services.notices import Notice

CLOCK_SKEW = timedelta(minutes=2)

Signature = tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SeenMessage:
    """One of the bot's messages in a channel, as read back from Discord."""

    id: int
    created_at: datetime
    signature: Signature
    nonce: str | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    message_id: int
    sent_at: datetime


# (target_type, target_id, after) -> the bot's messages there created after ``after``
HistoryFn = Callable[[str, int, datetime], Awaitable[Sequence[SeenMessage]]]


def embed_signature(embeds: Iterable[dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(e.get("title") or ""), str(e.get("description") or "")) for e in embeds)


def signature(notice: Notice) -> Signature:
    return (
        notice.content or "",
        embed_signature(notice.embeds),
        tuple(b.custom_id for b in notice.buttons),
    )


def match_delivered(
    rows: Sequence[OutboxRow], seen: Sequence[SeenMessage], attributed: set[int]
) -> dict[int, Delivered]:
    """Rows of one channel whose message is among ``seen``: ``row id -> Delivered``."""
    free = sorted((m for m in seen if m.id not in attributed), key=lambda m: m.id)
    used: set[int] = set()
    found: dict[int, Delivered] = {}
    for row in sorted(rows, key=lambda r: r.id):
        try:
            wanted = signature(Notice.from_json(row.payload))
        except (ValueError, TypeError, KeyError):
            continue
        earliest = (row.claimed_at or row.created_at) - CLOCK_SKEW
        for message in free:
            if message.id in used or message.created_at < earliest:
                continue
            by_nonce = message.nonce is not None and message.nonce == row.nonce
            if by_nonce or (message.nonce is None and message.signature == wanted):
                used.add(message.id)
                found[row.id] = Delivered(message.id, message.created_at)
                break
    return found
