"""The private crisis reply: resources first, then when the space is staffed."""

from __future__ import annotations

from collections.abc import Iterable


def resources_text(
    resources: Iterable[tuple[str, str]], staffed_hours: str, *, facilitator_told: bool = True
) -> str:
    """The private crisis reply: resources first, then when the space is staffed.

    ``facilitator_told=False`` (e.g. ``/help-now``, which alerts nobody) leaves out the
    sentence saying a facilitator was told.
    """
    lines = [
        "You matter, and you don't have to go through this alone. If you are thinking about "
        "harming yourself or are in crisis, please reach out now:",
        "",
    ]
    lines += [f"• **{name}**: {contact}" for name, contact in resources]
    notice = (
        f"This space is staffed {staffed_hours}. Outside those hours nobody may see messages "
        "here right away: iopbot is not a crisis service."
    )
    if facilitator_told:
        notice += " A facilitator has been told privately so someone can check in with you."
    lines += ["", notice]
    return "\n".join(lines)
