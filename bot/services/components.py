"""Persistent buttons whose custom id carries an integer (``IdButton``), several parts
(``PartsButton``) or nothing (``FixedButton``).

discord.py's ``DynamicItem`` re-creates a button from its custom id after a restart; most
of iopbot's buttons carry a single id (an alert, a check-in, a session, a milestone), so
they share this base and only say their template, label and style::

    class HereButton(IdButton, template=r"iop:group:here:(?P<id>\\d+)"):
        prefix = "iop:group:here:"
        label = "I'm here"
        style = discord.ButtonStyle.success

        @guarded
        async def callback(self, interaction): ...  # self.item_id is the id
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import discord


class IdButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    prefix: ClassVar[str]
    label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.primary

    def __init__(self, item_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.label, style=self.style, custom_id=f"{self.prefix}{item_id}"
            )
        )
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls(int(match["id"]))


class PartsButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A persistent button whose custom id carries several parts (the template's named
    groups, e.g. ``iop:alert:outcome:(?P<id>\\d+):(?P<code>[a-z_]+)``). A subclass builds its
    button in ``__init__`` and says how a matched id becomes one in :meth:`from_match`."""

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls.from_match(match)


class FixedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A persistent button with one fixed custom id (the template is that id)."""

    custom_id_value: ClassVar[str]
    label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.primary

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label=self.label, style=self.style, custom_id=self.custom_id_value)
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        return cls()
