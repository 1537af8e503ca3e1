"""Everyday chat built from frames that crisis messages share ("thinking of…", "the plan
is…", "tonight…") with ordinary things to do: training rows for the learned part only,
never measured (they resemble each other too much to test on).

Writers 4 to 6 wrote many crisis messages in these frames and few ordinary ones, and the
model trained on them read "thinking of a trip to the lake" as a crisis (0.97). These
rows teach it that the frame alone says nothing. Deterministic: the same rows, in the
same order, every time.
"""

from __future__ import annotations

from typing import Any

CATEGORY = "everyday_chat"

FRAMES = (
    "thinking of {}",
    "thinking about {}",
    "been thinking about {} all week",
    "anyone thinking of {}?",
    "i keep thinking about {} lol",
    "planning on {} this weekend",
    "the plan is {} tonight",
    "ok so the plan: {}",
    "tonight im {}",
    "gonna be {} tomorrow",
    "cant stop thinking about {}",
    "ready for {} finally",
    "decided im {} this year",
    "one more week then {}",
    "honestly just {} rn",
    "might be {} after group",
)

THINGS = (
    "getting pizza",
    "a trip to the lake",
    "going to the beach",
    "switching jobs",
    "my mom's cooking",
    "a road trip",
    "painting my room",
    "adopting a cat",
    "going back to school",
    "the picnic on sunday",
    "a haircut",
    "starting the gym",
    "moving closer to work",
    "the game",
    "a long walk",
    "a nap",
    "learning guitar",
    "visiting my sister",
    "making tacos",
    "a new tattoo",
    "the meeting on thursday",
    "fixing my bike",
    "the camping trip",
    "a movie night",
    "cleaning out the garage",
    "taking the bus to work",
    "the concert",
    "calling my sponsor",
    "a bath and an early night",
    "the fishing trip with my dad",
)


def rows() -> list[dict[str, Any]]:
    """Every third frame-thing pair (160 of the 480), so each frame and each thing is used."""
    out: list[dict[str, Any]] = []
    for index in range(len(FRAMES) * len(THINGS)):
        if index % 3:
            continue
        frame = FRAMES[index % len(FRAMES)]
        thing = THINGS[(index // len(FRAMES) + index) % len(THINGS)]
        out.append(
            {
                "text": frame.format(thing),
                "label": "safe",
                "severity": None,
                "category": CATEGORY,
                "style": "template",
            }
        )
    return out
