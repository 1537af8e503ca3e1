"""What a data-owning part of iopbot promises (DESIGN.md): export and delete one member's
data, and purge what is past its retention.

:class:`DataOwner` is the protocol the data-rights service (``bot/services/userdata.py``)
works with; ``bot.cogbase.IopCog`` implements it. Keeping the protocol here, below the
cogs, lets the service find every loaded cog that owns data without importing the cog base
(import contracts in pyproject.toml: services never import the command layer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable


@dataclass(slots=True)
class DeletionReport:
    """What a cog removed for a member, and what it had to keep and why."""

    removed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)

    def merge(self, other: DeletionReport) -> None:
        for table, count in other.removed.items():
            self.removed[table] = self.removed.get(table, 0) + count
        self.kept.update(other.kept)


@runtime_checkable
class DataOwner(Protocol):
    """A loaded cog that can export, delete and purge a member's data."""

    owned_tables: ClassVar[tuple[str, ...]]

    @property
    def qualified_name(self) -> str: ...

    async def export_user_data(self, user_id: int) -> dict[str, Any]: ...

    async def delete_user_data(self, user_id: int) -> DeletionReport: ...

    async def purge_expired(self) -> dict[str, int]: ...
