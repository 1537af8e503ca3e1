"""Crisis detection, table-driven: each category fires, each scope rule holds, the
normalization undoes masking, program terms and idioms work, and the reply text."""

from __future__ import annotations

import pytest

from bot.domain.crisis import CATEGORIES, CrisisMatch, detect_crisis, normalize, resources_text
from bot.domain.crisis.normalize import variants
from bot.domain.language import find_stigma

# (text, category) written for these tests; none of it is in the corpus files.
FIRES = [
    ("honestly i want to die and i mean it", "active_ideation"),
    ("been thinking about killing myself most nights", "active_ideation"),
    ("im feeling really suicidal again", "active_ideation"),
    ("my si is loud this week", "active_ideation"),
    ("i wish i could fall asleep and never wake up", "passive_ideation"),
    ("honestly my kids would be better off without me", "passive_ideation"),
    ("i feel like such a burden on everyone", "passive_ideation"),
    ("whats the point of living like this", "passive_ideation"),
    ("i'm going to end it tonight after everyone is asleep", "intent"),
    ("i wont be around much longer", "intent"),
    ("been picturing jumping off the roof of my building", "method"),
    ("the bridge keeps looking peaceful to me", "method"),
    ("i looked up how to hang myself last night", "method"),
    ("wrote a goodbye letter for my sister", "plan_preparation"),
    ("been stockpiling my seroquel for weeks", "plan_preparation"),
    ("please take care of my cat after im gone", "plan_preparation"),
    ("cut myself again last night, deeper this time", "self_harm"),
    ("the urge to cut is unbearable today", "self_harm"),
    ("gonna swallow the whole bottle of my klonopin", "overdose_intent"),
    ("i want to od and not wake up", "overdose_intent"),
    ("going to use until it kills me, dont care anymore", "relapse_ideation"),
    ("drinking myself to death and im fine with it", "relapse_ideation"),
    # Check-in form answers, which the learned part reads as an ordinary form.
    ("mood 2/10, cravings 6, slept 4h. SI+", "active_ideation"),
    ("sleep bad. passive SI. no use", "active_ideation"),
    ("cravings 9. feel safe: no", "passive_ideation"),
    ("overdose planned for after my shift", "overdose_intent"),
    ("so tired. thoughts of dying most of the day", "passive_ideation"),
    ("might just steer the truck off the overpass on the way home", "method"),
]


@pytest.mark.parametrize(("text", "category"), FIRES)
def test_each_category_fires_with_its_category_and_severity(text, category):
    match = detect_crisis(text, use_model=False)
    assert match is not None, text
    assert match.category == category, (text, match)
    assert match.severity == CATEGORIES[category]


@pytest.mark.parametrize(
    "text",
    [
        "KiLL MY SELF",
        "i wanna k*ll myself",
        "feeling s*icidal",
        "su1c1d3 thoughts again since monday",
        "want 2 die",
        "i want to dieeeee",
        "k i l l m y s e l f",
        "killmyself",
        "thinking about sewerslide",
        "might unal!ve myself this weekend",
        "im sucidal",
        "kms fr",
        "i rly wanna ctb",
        "i want to 🪦",
        "🔫 to my head",
    ],
)
def test_masked_misspelled_and_coded_spellings_fire(text):
    assert detect_crisis(text, use_model=False) is not None, normalize(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # negation and denial
        ("i'm not going to kill myself, i just needed to vent", "negation"),
        ("i would never hurt myself, my daughter needs me", "negation"),
        ("no si, no sh. craving 3", "negation"),
        ("suicidal thoughts: none this week", "negation"),
        ("were you thinking of ending your life? no", "negation"),
        # someone else
        ("my cousin told me he's suicidal, how do i help", "other people"),
        ("she keeps saying she wants to die and i'm scared for her", "other people"),
        # a past the writer came through
        ("i used to cut every day. 400 days free now", "past recovery"),
        ("years ago i tried to overdose on purpose. today i got my 2 year chip", "past recovery"),
        # teaching, news, lyrics
        ("we covered the warning signs of suicide in group today", "education"),
        ("the song lyrics go i want to die, kind of dark", "education"),
        # idioms, jokes, games
        ("my phone is dead and so is my laptop", "idiom"),
        ("this commute is killing me", "idiom"),
        ("overdosed on halloween candy again", "idiom"),
        ("these heels are killing my feet", "idiom"),
        ("i died five times on that boss in elden ring", "gaming"),
        ("this homework makes me want to die lol", "hyperbole"),
        ("ran 5 kms this morning", "distance"),
        # form answers and their look-alikes
        ("feel safe: no complaints, good week", "answer"),
        ("our facilitator asked about passive si vs active, good talk", "education"),
        ("gonna hang it up for tonight, early start", "idiom"),
        ("this line is so slow im gonna die if it doesnt move", "idiom"),
        ("grenades in halo keep killing myself lol, fall damage too", "gaming"),
        ("finally gonna shoot my shot with the cute guy from the meeting", "idiom"),
        ("id jump off a bridge for one more slice of that pie", "idiom"),
        ("cant make it, taking all my stuff to the storage unit saturday", "idiom"),
    ],
)
def test_scope_rules_remove_false_alarms(text, rule):
    assert detect_crisis(text) is None, (rule, normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "that hot shot of espresso hit different this morning",
        "one more email from hr and i will die of annoyance",
        "i would literally die for those tacos from the truck on 5th",
    ],
)
def test_sayings_do_not_match_a_rule(text):
    # The learned part would veto these too; the rules alone must already be quiet.
    assert detect_crisis(text, use_model=False) is None, normalize(text)


@pytest.mark.parametrize(
    "text",
    [
        "i'm not okay. i want to die",
        "im not ok i want to die",
        "i'm not suicidal, but tonight i want to end it",
        "i used to cut and lately i'm doing it again",
        "my brother says i'm fine but i want to kill myself",
        "dead tired and honestly i want to die",
    ],
)
def test_a_denied_or_framed_clause_does_not_hide_a_real_one(text):
    assert detect_crisis(text) is not None, normalize(text)


def test_normalization():
    assert normalize("I DON\u2019T") == "i dont"
    assert normalize("su1c1dal!!") == "suicidal"
    assert normalize("k*ll my self") == "kill my self"
    assert normalize("wanna die tn") == "want to die tonight"
    assert normalize("I'm fine. Really, I am") == "im fine | really , i am"
    assert normalize("s.h urges") == "sh urges"
    assert normalize("988 and 741741") == "988 and 741741"
    assert normalize("💊💊 tonight") == "pills pills tonight"
    assert variants("dieeeee") == ["diee", "die"]
    assert normalize("   !!! ") == ""


def test_empty_and_blank_text():
    assert detect_crisis("") is None
    assert detect_crisis("   !!! ") is None
    assert detect_crisis("hello everyone, see you thursday") is None


def test_program_terms_with_category_prefix_and_wildcard():
    terms = ["overdose_intent: go dark for good", "graveyard shift*"]
    found = detect_crisis("thinking i'll go dark for good", terms, use_model=False)
    assert found == CrisisMatch("urgent", "overdose_intent", "program_term_0")
    wild = detect_crisis("graveyard shifting again", terms, use_model=False)
    assert wild is not None and wild.category == "active_ideation"
    # scope rules apply to program terms too
    assert detect_crisis("i'm not going to go dark for good", terms, use_model=False) is None
    assert detect_crisis("my sister wants to go dark for good", terms, use_model=False) is None


def test_program_idioms_silence_a_phrase():
    text = "anyone want to play End It All tonight? board game night"
    assert detect_crisis(text, use_model=False) is not None
    assert detect_crisis(text, extra_idioms=["play end it all"], use_model=False) is None


def test_match_carries_no_text_and_the_old_phrase_name():
    match = detect_crisis("i want to die")
    assert match is not None
    assert match.phrase == match.rule
    assert "die" not in match.rule.split("_") or match.rule == "want_to_die"
    assert set(CATEGORIES.values()) == {"urgent", "concern"}


def test_resources_text_lists_resources_and_staffed_hours():
    text = resources_text([("988 Lifeline", "call or text 988")], "weekdays 9-5")
    assert "988 Lifeline" in text and "weekdays 9-5" in text
    assert "not a crisis service" in text
    assert find_stigma(text) == []
    quiet = resources_text([("988", "call")], "weekdays", facilitator_told=False)
    assert "facilitator has been told" not in quiet


def test_the_reply_says_honestly_when_staff_are_away():
    away = resources_text([("988", "call")], "weekdays", staffed_now=False)
    assert "until later" in away
    staffed = resources_text([("988", "call")], "weekdays", staffed_now=True)
    assert "until later" not in staffed and "check in with you" in staffed
