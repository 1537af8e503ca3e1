"""The personal safety plan: its six parts, their wording, and checking what a client wrote.

The parts follow the structure of the Stanley-Brown safety plan (warning signs, coping on
one's own, people and places that distract, people to ask for help, professionals and
crisis lines, making one's surroundings safer). The titles and prompts below are iopbot's
own words; a program can replace any of them (``[safetyplan]`` in the config). The form
has two steps of three parts each, because a Discord form holds at most five inputs.

Pure: no I/O, no Discord.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The longest text a part may hold. Six parts of this length, with their titles, fit in
# one Discord embed (6,000 characters in all, 1,024 per field).
PART_MAX = 800

PART_KEYS = (
    "warning_signs",
    "coping",
    "distraction",
    "support",
    "professionals",
    "environment",
)
STEPS: tuple[tuple[str, ...], tuple[str, ...]] = (PART_KEYS[:3], PART_KEYS[3:])

# Discord's limits for a form input: its label and its placeholder.
TITLE_MAX = 45
PROMPT_MAX = 100


@dataclass(frozen=True, slots=True)
class PlanPart:
    key: str
    title: str  # the input's label and the heading in the plan
    prompt: str  # the input's placeholder: what to write here


DEFAULT_PARTS: Mapping[str, PlanPart] = {
    part.key: part
    for part in (
        PlanPart(
            "warning_signs",
            "Signs a hard time is starting",
            "Thoughts, feelings, places or times that tell me things are getting worse",
        ),
        PlanPart(
            "coping",
            "What I can do on my own",
            "Things that calm me or take my mind off it: a walk, music, a shower, prayer",
        ),
        PlanPart(
            "distraction",
            "People and places that help me reset",
            "Who I can be around, and where I can go, to get out of my own head",
        ),
        PlanPart(
            "support",
            "People I can ask for help",
            "Names and numbers of people I trust to tell when I'm struggling",
        ),
        PlanPart(
            "professionals",
            "Professionals and crisis lines",
            "My counselor, sponsor, doctor, and lines I can call or text any time",
        ),
        PlanPart(
            "environment",
            "Making my surroundings safer",
            "What I can put away or hand to someone (e.g. who can hold my medications)",
        ),
    )
}


def plan_parts(
    overrides: Mapping[str, tuple[str | None, str | None]] | None = None,
) -> tuple[PlanPart, ...]:
    """The six parts in order, with a program's replacement title/prompt where it set one."""
    parts = []
    for key in PART_KEYS:
        default = DEFAULT_PARTS[key]
        title, prompt = (overrides or {}).get(key, (None, None))
        parts.append(PlanPart(key, title or default.title, prompt or default.prompt))
    return tuple(parts)


class PlanTooLong(ValueError):
    """One or more parts are longer than :data:`PART_MAX`; ``message()`` says which."""

    def __init__(self, problems: list[tuple[str, int]]) -> None:
        super().__init__(f"{len(problems)} parts too long")
        self.problems = problems  # (part title, its length)

    def message(self) -> str:
        lines = [
            "I couldn't save this step of your safety plan: each part can hold up to "
            f"{PART_MAX} characters."
        ]
        lines += [f"• {title}: {length} characters" for title, length in self.problems]
        lines.append(
            "Nothing was changed. Please shorten it and try again (short lists work well)."
        )
        return "\n".join(lines)


def clean_parts(
    values: Mapping[str, str | None], parts: Iterable[PlanPart]
) -> dict[str, str | None]:
    """The submitted text for ``parts``, trimmed (empty → None); raises :class:`PlanTooLong`."""
    cleaned: dict[str, str | None] = {}
    problems: list[tuple[str, int]] = []
    for part in parts:
        text = (values.get(part.key) or "").strip()
        if len(text) > PART_MAX:
            problems.append((part.title, len(text)))
        cleaned[part.key] = text or None
    if problems:
        raise PlanTooLong(problems)
    return cleaned


def resources_suggestion(resources: Iterable[tuple[str, str]], limit: int = PART_MAX) -> str:
    """The program's crisis resources as a starting text for the "professionals" part:
    one line each, as many whole lines as fit in ``limit``."""
    lines: list[str] = []
    for name, contact in resources:
        line = f"{name}: {contact}"
        if len("\n".join([*lines, line])) > limit:
            break
        lines.append(line)
    return "\n".join(lines)
