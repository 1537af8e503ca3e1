"""The AutoMod backstop generated from the lexicon stays within Discord's limits and
covers each category."""

from __future__ import annotations

import re

import pytest

from bot.domain.crisis.automod import (
    MAX_ALLOW,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_REGEX_LENGTH,
    MAX_REGEXES,
    crisis_automod_spec,
)
from bot.sandbox.emulator.automod import matching_keyword


def rule(spec):
    return {
        "trigger_metadata": {
            "keyword_filter": spec.keywords,
            "regex_patterns": spec.regexes,
            "allow_list": spec.allow_list,
        }
    }


def test_within_discord_limits_and_rust_compatible():
    spec = crisis_automod_spec(["my own phrase", "overdose_intent: go dark*"] * 600)
    assert 0 < len(spec.keywords) <= MAX_KEYWORDS
    assert all(0 < len(k) <= MAX_KEYWORD_LENGTH for k in spec.keywords)
    assert len(set(spec.keywords)) == len(spec.keywords)
    assert 0 < len(spec.regexes) <= MAX_REGEXES
    assert all(len(r) <= MAX_REGEX_LENGTH for r in spec.regexes)
    assert len(spec.allow_list) <= MAX_ALLOW
    assert all(len(a) <= MAX_KEYWORD_LENGTH for a in spec.allow_list)
    for pattern in spec.regexes:
        re.compile(pattern)  # Python's syntax is close; Rust lacks look-around/back-refs:
        assert not re.search(r"\(\?[=!<]|\\[1-9]", pattern)


def test_program_terms_come_first_normalized_with_wildcards():
    spec = crisis_automod_spec(["Going DARK for good", "method: blue bridge*"])
    assert spec.keywords[:2] == ["going dark for good", "blue bridge*"]


@pytest.mark.parametrize(
    "text",
    [
        "i really want to k1ll myself",
        "feeling s*icidal again",
        "i wanna die",
        "don't want to live anymore",
        "might take all my pills tonight",
        "wrote my note",
        "cutting myself again",
        "thinking about unaliving",
        "going to od on purpose",
        "kms",
    ],
)
def test_backstop_triggers_on_each_kind(text):
    assert matching_keyword(rule(crisis_automod_spec()), text) is not None


def test_apostrophe_and_chat_forms_are_listed():
    keywords = crisis_automod_spec().keywords
    for form in ("don't want to live", "dont want to live", "don't wanna be alive", "i'm a burden"):
        assert form in keywords
