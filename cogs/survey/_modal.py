"""The recovery check's form: a few steps of at most five questions, each a choice.

The form is built fresh each time it opens and never kept in memory: its custom id
carries the person, the period and the step (``iop:survey:form:{user}:{period}:{step}``),
and every submission, including one sent after a restart, is read from the interaction
itself by :func:`cogs.survey._submit.handle_step_submit` (the cog's listener). Each step
is saved as it is submitted; Discord cannot open a form from another form's submission,
so the step's reply carries a Continue button that opens the next one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import discord

from bot.domain.survey import Item

FORM_PREFIX = "iop:survey:form:"
STEP_PREFIX = "iop:survey:step:"
_FORM_ID = re.compile(
    r"^iop:survey:form:(?P<user>\d{1,20}):(?P<period>\d{4}-(?:W\d{2}|\d{2})):(?P<step>\d{1,2})$"
)
TITLE_MAX = 45


def form_custom_id(user_id: int, period: str, step: int) -> str:
    return f"{FORM_PREFIX}{user_id}:{period}:{step}"


def parse_form_custom_id(custom_id: str) -> tuple[int, str, int] | None:
    """``(user_id, period, step)`` from a form's custom id, or None."""
    match = _FORM_ID.match(custom_id)
    if match is None:
        return None
    return int(match["user"]), match["period"], int(match["step"])


def submitted_values(components: Iterable[Any]) -> dict[str, str | None]:
    """``custom_id → value`` from a MODAL_SUBMIT payload (labels wrap the radio groups)."""
    found: dict[str, str | None] = {}
    stack = [c for c in components if isinstance(c, dict)]
    while stack:
        node = stack.pop()
        inner = node.get("component")
        if isinstance(inner, dict):
            stack.append(inner)
        stack.extend(c for c in node.get("components") or [] if isinstance(c, dict))
        custom_id = node.get("custom_id")
        if isinstance(custom_id, str) and "value" in node:
            value = node.get("value")
            found[custom_id] = None if value is None else str(value)
    return found


def _question(item: Item, chosen: int | None) -> discord.ui.Label[Any]:
    return discord.ui.Label(
        text=item.text,
        description=item.description or None,
        component=discord.ui.RadioGroup(
            custom_id=item.key,
            required=True,
            options=[
                discord.RadioGroupOption(label=option.label, value=str(i), default=i == chosen)
                for i, option in enumerate(item.options)
            ],
        ),
    )


def step_modal(
    user_id: int,
    period: str,
    step: int,
    step_count: int,
    questions: Sequence[Item],
    chosen: Mapping[str, int],
    *,
    title: str,
) -> discord.ui.Modal:
    """Step ``step`` (0-based) of the form, with earlier answers in this period chosen."""
    heading = f"{title} ({step + 1} of {step_count})"[:TITLE_MAX]
    modal = discord.ui.Modal(title=heading, custom_id=form_custom_id(user_id, period, step))
    for item in questions:
        modal.add_item(_question(item, chosen.get(item.key)))
    # Not kept in discord.py's in-memory store: the cog's listener reads every submission.
    modal.stop()
    return modal


def continue_view(step: int) -> discord.ui.View:
    """The Continue button to step ``step`` (handled by a persistent item in ``_views``)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(
            label="Continue", custom_id=f"{STEP_PREFIX}{step}", style=discord.ButtonStyle.primary
        )
    )
    view.stop()
    return view
