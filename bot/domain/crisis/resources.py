"""The private crisis reply: resources first, then when the space is staffed."""

from __future__ import annotations

from collections.abc import Iterable


def resources_text(
    resources: Iterable[tuple[str, str]],
    staffed_hours: str,
    *,
    facilitator_told: bool = True,
    staffed_now: bool | None = None,
) -> str:
    """The private crisis reply: resources, then when staff are here.

    ``facilitator_told=False`` (e.g. ``/help-now``, which alerts nobody) leaves out the
    sentences about the alert. ``staffed_now=False`` says plainly that staff may not see
    the alert until staffed hours begin; None (unknown) says only when the space is staffed.
    A DM's neutral first line (``program.dm_preview``) is added by the sender.
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
    if facilitator_told and staffed_now is False:
        notice += (
            " A facilitator has been told privately, but it is outside staffed hours right "
            "now, so staff may not see it until later. Please use the resources above now."
        )
    elif facilitator_told:
        notice += " A facilitator has been told privately so someone can check in with you."
    lines += ["", notice]
    return "\n".join(lines)
