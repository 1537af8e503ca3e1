"""What the detector added for unseen writers: the gap rules (lethality questions, plans
in plain words, sideways passive wishes and self-harm), the learned part kept quiet on
helping someone else and on denials of self-harm, program terms the model cannot veto,
and the everyday frames in training."""

from __future__ import annotations

import pytest

from bot import crisis_everyday
from bot.domain.crisis import detect_crisis

GAP_FIRES = [
    ("whats the most painless way to check out", "method"),
    ("how many of my seroquel counts as an overdose", "overdose_intent"),
    ("downed the entire weekly pillbox just now", "overdose_intent"),
    ("recorded goodbye videos for both of my boys last night", "plan_preparation"),
    ("found a new home for my cats. for after", "plan_preparation"),
    ("sunday, thats the plan", "plan_preparation"),
    ("picked the songs for my funeral today", "plan_preparation"),
    ("wrote out my own will on the back of a receipt", "plan_preparation"),
    ("i really shouldve died in that wreck", "passive_ideation"),
    ("whats even left to stay alive for at this point", "passive_ideation"),
    ("my wrists look like a barcode again", "self_harm"),
    ("my sh streak is back to zero", "self_harm"),
    ("honestly i would not mind dying in my sleep", "passive_ideation"),
    ("do you guys ever wish you had never been born", "passive_ideation"),
    ("i am nothing but dead weight to my family", "passive_ideation"),
    ("they keep bringing me back and i wish they would stop", "passive_ideation"),
    ("the charcoal and the tape are in the bathroom", "method"),
    ("i dont expect to be around by spring", "passive_ideation"),
    ("S/I pretty loud tonight", "intent"),
    ("suey thoughts all day again", "active_ideation"),
    ("thinking about an early retirement from living", "active_ideation"),
    ("scared ill end up one of the 22", "active_ideation"),
    ("i plan on ending things this weekend", "intent"),
    ("left a note for my sister explaining why", "plan_preparation"),
    ("might unalive myself this weekend", "intent"),
]


@pytest.mark.parametrize(("text", "category"), GAP_FIRES)
def test_gap_rules_fire_with_their_category(text: str, category: str) -> None:
    match = detect_crisis(text, use_model=False)
    assert match is not None, text
    assert match.category == category


@pytest.mark.parametrize(
    "text",
    [
        "we set a date for the wedding, october!!",
        "the cravings are gone for good i hope",
        "tonight thats the plan: tacos and a movie",
        "clean streak reset to 0, day 1 again tomorrow",
        "how many addicts does it take to change a lightbulb",
        "kms how did i lock my keys in the car again",
        "gonna unalive this whole pizza",
        "nearly killed myself tripping on the stairs lol",
        "saying goodbye forever to my old truck, sold it today",
        "see you all on the other side of the holidays",
        "chop suey and egg rolls for the potluck",
    ],
)
def test_gap_rules_and_idioms_leave_ordinary_messages_alone(text: str) -> None:
    assert detect_crisis(text, use_model=False) is None, text


def test_the_learned_part_does_not_fire_alone_on_helping_someone_else() -> None:
    assert detect_crisis("my cousin has been cutting again, what should i do") is None
    # A clause about the writer still fires by rule.
    assert detect_crisis("my cousin worries me but honestly i want to kill myself") is not None


def test_a_plain_denial_of_self_harm_silences_the_learned_part() -> None:
    assert detect_crisis("i will not hurt myself tonight, i just need to vent") is None


def test_a_program_term_stands_whatever_the_model_says() -> None:
    text = "thinking about the purple canoe ride"
    assert detect_crisis(text) is None
    match = detect_crisis(text, ["method: purple canoe ride"])
    assert match is not None and match.rule.startswith("program_term_")


def test_everyday_frames_are_safe_unique_and_stable() -> None:
    rows = crisis_everyday.rows()
    assert rows == crisis_everyday.rows()
    assert len(rows) == len({r["text"] for r in rows}) == 160
    assert {r["label"] for r in rows} == {"safe"}
    used = {
        frame
        for frame in crisis_everyday.FRAMES
        if any(r["text"].startswith(frame.split("{")[0]) for r in rows)
    }
    assert used == set(crisis_everyday.FRAMES)
