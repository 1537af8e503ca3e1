"""Everyday sayings built on crisis words (idioms.SAYINGS): the saying is blanked, and
the literal act next to it still fires."""

from __future__ import annotations

import pytest

from bot.domain.crisis import detect_crisis, rule_evidence

SAYINGS = [
    "took a stab at the crossword on my lunch break",
    "total stab in the dark but is group at 6?",
    "shooting for 60 days before my birthday",
    "shoot me a message once the van pulls up",
    "flu shot today, arm is sore",
    "give it a shot, worst case you hate it",
    "didn't want to jump the gun on telling my sponsor",
    "anyone got jumper cables? battery died again",
    "sticking to my guns about no bars this weekend",
    "just gotta bite the bullet and call the dentist",
    "dodged a bullet, that party got busted",
    "finally pulled the trigger on the new couch",
    "still learning the ropes at the new job",
    "not gonna burn that bridge, he was my first sponsor",
    "we'll cross that bridge when we get there",
    "somebody hand me a chill pill",
    "final boss of my week: the dmv",
    "that was the last straw with my landlord",
    "bleeding money on car repairs",
    "completely burnt out after a double shift",
    "drowning in paperwork from probation",
    "killing myself laughing at my kid's drawing",
    "the printer unalived itself again",
    "this humidity is unaliving me",
    "gonna rot in bed watching baking shows",
    "said goodbye to the bottle 200 days ago today",
    "i always od on candy corn this time of year lol",
    "cut myself some slack on the step work today",
    "that will be my funeral if i forget our anniversary",
    "my laptop finally gave up the ghost",
    "my car officially kicked the bucket",
    "working the graveyard shift this week",
    "grandpa would be rolling in his grave seeing my tattoos",
    "left me hanging at the bus stop",
    "my phones about to die, call you from the landline",
    "the dishwasher flooded the kitchen. shoot me now",
    "i'd give my right arm for a full night of sleep",
    "gonna kill this interview tomorrow, wish me luck",
    "sober til i die, one day at a time",
    "my shifts got cut again, gotta find a second job",
    "locked my keys in the van again kms",
    "im going to be so dead when my wife sees the credit card bill",
    "heads up the bridge is closed on route 9, leave early",
    "it's cold enough to die at the bus stop this morning",
    "my basil is dying again, i overwater everything",
    "my sisters roast cut deep lol",
    "pulled the plug on the garage sale, rain all weekend",
    "if i have to hear that ringtone one more time i will perish",
    "kms if i have to sit through another fire drill",
    "this humidity is about to take me out",
    "last man standing in the squad again, carry me",
    "relax it's not life or death, it's pickleball",
    "cut my thumb on a tin can opening the beans",
    "gonna end the night with a big bowl of ice cream",
    "i was about to die on the spot when my name got called",
]


@pytest.mark.parametrize("text", SAYINGS)
def test_sayings_do_not_fire(text: str) -> None:
    assert detect_crisis(text) is None, text
    assert rule_evidence(text).idiom, text


LITERAL = [
    ("gonna take a stab at my wrists tonight", "self_harm"),
    ("cut myself some slack today lol jk i just cut myself", "self_harm"),
    ("said goodbye to the bottle, and i want to die anyway", "active_ideation"),
    ("bought a gun today, sticking to my guns on ending it", "method"),
    ("killing myself laughing lol. no really i want to kill myself", "active_ideation"),
    ("so tired of everything i just wanna die lol", "active_ideation"),
    ("i want to unalive my self tonight", "intent"),
    ("feeling like dead weight to my family", "passive_ideation"),
    ("i have a rope in the trunk of my car", "method"),
    ("i wanna dye. not my hair. you know what i mean", "active_ideation"),
    ("relapsed again and i want to die of shame", "active_ideation"),
    ("honestly might kms (as in k*ll my s*lf)", "active_ideation"),
]


@pytest.mark.parametrize(("text", "category"), LITERAL)
def test_the_literal_act_beside_a_saying_still_fires(text: str, category: str) -> None:
    match = detect_crisis(text)
    assert match is not None, text
    assert match.category == category or match.severity == "urgent", (text, match)


def test_a_joke_said_not_to_be_a_joke_is_not_hyperbole() -> None:
    text = "posting memes all day but i actually want to die, that part isnt a joke"
    assert detect_crisis(text, use_model=False) is not None


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("the printer jammed again i will unalive my laptop", False),
        ("that pun was so bad i want to unalive it", False),
        ("i want to unalive my self", True),
        ("thinking about how to unalive myself", True),
    ],
)
def test_unalive_with_a_thing_as_its_object_is_not_about_oneself(text: str, fires: bool) -> None:
    assert (detect_crisis(text, use_model=False) is not None) is fires, text
