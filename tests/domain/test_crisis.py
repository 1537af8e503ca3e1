"""Crisis detection: the synthetic corpus's precision and recall, and the idiom rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import SafetySettings
from bot.domain.crisis import detect_crisis, normalize, resources_text
from bot.domain.language import find_stigma

CORPUS = json.loads((Path(__file__).parent.parent / "data" / "crisis_corpus.json").read_text())
TERMS = SafetySettings().crisis_terms


def test_corpus_precision_and_recall():
    positives = CORPUS["crisis"] + CORPUS["coded"] + CORPUS["known_misses"]
    negatives = CORPUS["not_crisis"]
    true_pos = [t for t in positives if detect_crisis(t, TERMS)]
    false_neg = [t for t in positives if not detect_crisis(t, TERMS)]
    false_pos = [t for t in negatives if detect_crisis(t, TERMS)]
    precision = len(true_pos) / (len(true_pos) + len(false_pos))
    recall = len(true_pos) / len(positives)
    print(
        f"\ncrisis corpus: {len(positives)} crisis, {len(negatives)} not crisis; "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    print(f"  missed: {false_neg}")
    print(f"  false alarms: {false_pos}")
    assert precision >= 0.9
    assert recall >= 0.85


@pytest.mark.parametrize("text", CORPUS["crisis"] + CORPUS["coded"])
def test_every_written_crisis_sentence_fires(text):
    assert detect_crisis(text, TERMS) is not None


@pytest.mark.parametrize(
    "text",
    [
        "this workout is killing me",
        "I'm dying to see the new movie",
        "dead tired",
        "I'm not suicidal, just really tired",
        "I walked 5 kms today",
    ],
)
def test_idioms_do_not_fire(text):
    assert detect_crisis(text, TERMS) is None


def test_idiom_does_not_hide_crisis_language_in_the_same_message():
    assert detect_crisis("dead tired and I want to die", TERMS) is not None


def test_normalization_reads_apostrophes_leetspeak_and_case():
    assert normalize("I DON\u2019T") == "i dont"
    assert normalize("su1c1dal!!") == "suicidal"
    assert normalize("988 and 741741") == "988 and 741741"


def test_prefix_phrases():
    assert detect_crisis("unaliving", ["unaliv*"]) is not None
    assert detect_crisis("unalive", ["unaliv*"]) is not None
    assert detect_crisis("alive", ["unaliv*"]) is None


def test_empty_and_blank():
    assert detect_crisis("", TERMS) is None
    assert detect_crisis("   !!! ", TERMS) is None
    assert detect_crisis("anything", ["", "  "]) is None


def test_resources_text_lists_resources_and_staffed_hours():
    text = resources_text([("988 Lifeline", "call or text 988")], "weekdays 9-5")
    assert "988 Lifeline" in text
    assert "weekdays 9-5" in text
    assert "facilitator has been told" in text
    quiet = resources_text([("988", "call")], "weekdays", facilitator_told=False)
    assert "facilitator" not in quiet
    assert find_stigma(text) == []


def test_the_reply_says_honestly_when_staff_are_away():
    away = resources_text([("988", "call")], "weekdays", staffed_now=False)
    assert "until later" in away
    staffed = resources_text([("988", "call")], "weekdays", staffed_now=True)
    assert "until later" not in staffed and "check in with you" in staffed
