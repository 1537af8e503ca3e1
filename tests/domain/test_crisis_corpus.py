"""The labelled corpus (tests/data/crisis, twelve writers, each split in halves): figures
on the held-out halves, the goals, and the learned part's reproducibility. Run with
``-s`` to see the per-category tables."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bot import crisis_corpus, crisis_train
from bot.config import SafetySettings
from bot.crisis_scan import Figures, scan
from bot.domain.crisis import detect_crisis, linear

DATA = Path(__file__).parent.parent / "data" / "crisis"
GOAL_RECALL, GOAL_CATEGORY_RECALL, GOAL_FALSE_ALARMS, GOAL_IDIOM_FALSE_ALARMS = 0.9, 0.8, 0.05, 0.02
# What each writer's held-out half measured when docs/SAFETY.md was written, minus a small
# margin: a change that does worse than this is a regression. writer -> (recall, false alarms)
FLOORS = {
    "w1": (0.92, 0.055),
    "w2": (0.91, 0.055),
    "w3": (0.87, 0.065),
    "w4": (0.85, 0.065),
    "w5": (0.88, 0.065),
    "w6": (0.89, 0.05),
    "w7": (0.91, 0.065),
    "w8": (0.85, 0.105),
    "w9": (0.90, 0.085),
    "w10": (0.89, 0.045),
    "w11": (0.90, 0.045),
    "w12": (0.87, 0.03),
    "w13": (0.90, 0.035),
    "w14": (0.77, 0.04),
    "w15": (0.85, 0.08),
    "w16": (0.895, 0.05),
    "w17": (0.875, 0.075),
    "w18": (0.85, 0.045),
    "w19": (0.875, 0.025),
    "w20": (0.93, 0.05),
    "w21": (0.935, 0.045),
    "w22": (0.935, 0.04),
    "w23": (0.94, 0.055),
    "w24": (0.89, 0.06),
    "w25": (0.92, 0.045),
    "w26": (0.915, 0.045),
    "w27": (0.905, 0.03),
    "w28": (0.915, 0.065),
    "w29": (0.885, 0.055),
    "w34": (0.91, 0.045),
    "w35": (0.955, 0.045),
    "w36": (0.925, 0.04),
    "w37": (0.91, 0.035),
    "w38": (0.945, 0.035),
    # Sayings writers: only idioms, harmless slang and crisis messages dressed as jokes.
    "w48": (0.90, 0.045),
    "w49": (0.98, 0.03),
    "w42": (0.955, 0.035),
    "w43": (0.94, 0.025),
    "w44": (0.90, 0.035),
    "w45": (0.915, 0.04),
    "w46": (0.915, 0.02),
    "w47": (0.905, 0.045),
    "w50": (0.955, 0.03),
    "w51": (0.97, 0.03),
    "w52": (0.935, 0.035),
    "w53": (0.895, 0.025),
    "w54": (0.925, 0.03),
    "w55": (0.92, 0.03),
}
# Everyday group chat, held-out halves: at most this share flagged, and at most this share
# flagged urgent (what pages staff). name -> (flagged, urgent)
CHAT_CEILINGS = {"chat": (0.035, 0.035), "chatA": (0.02, 0.02), "chatB": (0.02, 0.02)}
# Writers whose files were split by the hash of the text (later ones: split_halves).
HASH_SPLIT = {"w1", "w2", "w3"}


def load(name: str) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def dev(writer: str) -> list[dict[str, object]]:
    return load(crisis_corpus.WRITERS[writer][0])


def heldout(writer: str) -> list[dict[str, object]]:
    return load(crisis_corpus.WRITERS[writer][1])


def all_rows() -> list[dict[str, object]]:
    return [row for w in crisis_corpus.WRITERS for row in dev(w) + heldout(w)]


def figures(rows: list[dict[str, object]], **kwargs: bool) -> dict[tuple[str, str], float]:
    result: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        key = (str(row["label"]), str(row["category"]))
        hit = detect_crisis(str(row["text"]), **kwargs) is not None
        counts = result.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += int(hit)
    return {key: flagged / total for key, (total, flagged) in result.items()}


def overall(rows: list[dict[str, object]], label: str, **kwargs: bool) -> float:
    chosen = [r for r in rows if r["label"] == label]
    return sum(detect_crisis(str(r["text"]), **kwargs) is not None for r in chosen) / len(chosen)


@pytest.mark.parametrize("writer", sorted(HASH_SPLIT))
def test_each_writer_is_split_in_halves_by_the_hash_of_the_text(writer: str):
    first, second = dev(writer), heldout(writer)
    assert len(first) > 400 and len(second) > 400
    assert {r["text"] for r in first}.isdisjoint({r["text"] for r in second})
    for rows, parity in ((first, 0), (second, 1)):
        for row in rows:
            digest = hashlib.sha256(str(row["text"]).encode()).hexdigest()
            assert int(digest, 16) % 2 == parity, row["text"]
    crisis = {r["category"] for r in first + second if r["label"] == "crisis"}
    safe = {r["category"] for r in first + second if r["label"] == "safe"}
    assert len(crisis) >= 10 and len(safe) >= 8
    assert {r["category"] for r in first} == {r["category"] for r in second} == crisis | safe


@pytest.mark.parametrize("writer", sorted(set(crisis_corpus.WRITERS) - HASH_SPLIT))
def test_later_writers_are_split_in_halves_within_each_category(writer: str):
    first, second = dev(writer), heldout(writer)
    assert len(first) > 100 and len(second) > 100
    assert {str(r["text"]) for r in first}.isdisjoint({str(r["text"]) for r in second})
    counts: dict[tuple[str, str], list[int]] = {}
    for rows, side in ((first, 0), (second, 1)):
        for row in rows:
            counts.setdefault((str(row["label"]), str(row["category"])), [0, 0])[side] += 1
    assert all(0 <= d - h <= 1 for d, h in counts.values()), counts
    assert {label for label, _ in counts} == {"crisis", "safe"}
    # The split is the seeded one: splitting the halves again puts the rows the same way.
    again, _ = crisis_corpus.split_halves(first + second)
    assert sorted(str(r["text"]) for r in again) == sorted(str(r["text"]) for r in first)


def test_split_halves_is_stratified_and_seeded():
    rows = [
        {"text": f"m{i}", "label": "crisis" if i % 3 else "safe", "category": f"c{i % 5}"}
        for i in range(101)
    ]
    first, second = crisis_corpus.split_halves(rows)
    assert crisis_corpus.split_halves(rows) == (first, second)
    assert len(first) + len(second) == 101
    assert {r["text"] for r in first}.isdisjoint({r["text"] for r in second})
    for key in {(r["label"], r["category"]) for r in rows}:
        d = sum((r["label"], r["category"]) == key for r in first)
        h = sum((r["label"], r["category"]) == key for r in second)
        assert d - h in (0, 1)
    assert crisis_corpus.split_halves(rows, seed=1) != (first, second)


def test_corpus_is_large_and_from_several_writers():
    rows = all_rows()
    assert len(rows) >= 10000
    # A few short messages were written by more than one writer; the hash split puts every
    # copy on the same side, so nothing trained on is ever measured.
    trained = {str(r["text"]) for w in crisis_corpus.WRITERS for r in dev(w)}
    measured = {str(r["text"]) for w in crisis_corpus.WRITERS for r in heldout(w)}
    assert trained.isdisjoint(measured)
    trained_all = {str(r["text"]) for r in crisis_corpus.dev_rows()}
    for _, held in crisis_corpus.CHATS.values():
        assert {str(r["text"]) for r in load(held)}.isdisjoint(trained_all), held


@pytest.mark.parametrize("writer", sorted(crisis_corpus.WRITERS))
def test_heldout_figures_print_and_hold_the_floor(writer: str):
    held = heldout(writer)
    objects = [dict(r) for r in held]
    _, counts = scan(objects, SafetySettings())
    assert isinstance(counts, Figures)
    print(f"\nwriter {writer}, held-out half\n" + "\n".join(counts.lines()))
    rules_only = overall(held, "crisis", use_model=False)
    print(
        f"  rules only: recall {rules_only:.3f}, false alarms "
        f"{overall(held, 'safe', use_model=False):.3f}"
    )
    floor_recall, ceiling_false_alarms = FLOORS[writer]
    assert overall(held, "crisis") >= floor_recall
    assert overall(held, "safe") <= ceiling_false_alarms


@pytest.mark.parametrize("name", sorted(CHAT_CEILINGS))
def test_everyday_chat_heldout_false_alarms_stay_low(name: str):
    held = load(crisis_corpus.CHATS[name][1])
    assert held and all(r["label"] == "safe" for r in held)
    found = [detect_crisis(str(r["text"])) for r in held]
    flagged = sum(f is not None for f in found) / len(held)
    urgent = sum(f is not None and f.severity == "urgent" for f in found) / len(held)
    print(
        f"\neveryday chat {name}, held-out half ({len(held)}): {flagged:.1%} flagged, "
        f"{urgent:.1%} urgent"
    )
    ceiling, urgent_ceiling = CHAT_CEILINGS[name]
    assert flagged <= ceiling
    assert urgent <= urgent_ceiling


@pytest.mark.xfail(
    strict=True,
    reason=(
        "the goals hold on the lockboxes (below) and pooled over the 48 held-out halves "
        "(recall 0.941, false alarms 2.6%, idioms 1.0%, every category >= 0.86 but writer "
        "3's question form 0.75), but not for every writer's half on its own "
        "(docs/SAFETY.md): recall down to 0.875 (w18), categories down to 0.71 (w34 typos, "
        "17 messages), false alarms up to 5.6% (w3) and idioms up to 5.6% (w35, 2 of 36)"
    ),
)
def test_heldout_figures_meet_the_goals():
    for writer in crisis_corpus.WRITERS:
        held = heldout(writer)
        per_category = figures(held)
        assert overall(held, "crisis") >= GOAL_RECALL, writer
        assert overall(held, "safe") <= GOAL_FALSE_ALARMS, writer
        for (label, category), rate in per_category.items():
            if label == "crisis":
                assert rate >= GOAL_CATEGORY_RECALL, (writer, category)
            if label == "safe" and "idiom" in category:
                assert rate <= GOAL_IDIOM_FALSE_ALARMS, (writer, category)


def test_shipped_model_was_trained_on_the_development_halves():
    models = linear.load()
    assert models is not None
    rows = crisis_corpus.dev_rows()
    crisis = [(str(r["text"]), r["label"] == "crisis") for r in rows]
    urgent = [(str(r["text"]), r["severity"] == "urgent") for r in rows if r["label"] == "crisis"]
    assert models.crisis.data_sha256 == linear.data_digest(crisis)
    assert models.urgent.data_sha256 == linear.data_digest(urgent)


def test_a_fresh_training_run_gives_the_shipped_model():
    pytest.importorskip("sklearn")
    shipped = linear.load()
    assert shipped is not None
    fresh = crisis_train.train(crisis_corpus.dev_rows())
    sample = [str(r["text"]) for r in all_rows()[::7]]
    for text in sample:
        for old, new in ((shipped.crisis, fresh.crisis), (shipped.urgent, fresh.urgent)):
            assert abs(old.logit(text) - new.logit(text)) < 1e-3, text


def test_corpus_wording_is_not_reused_from_other_tests():
    sources = " ".join(
        p.read_text(encoding="utf-8").lower()
        for p in Path(__file__).parent.parent.rglob("*.py")
        if p.name != "test_crisis_corpus.py"
    )
    reused = [
        r["text"]
        for r in all_rows()
        if len(str(r["text"])) >= 12
        and (f'"{str(r["text"]).lower()}"' in sources or f"'{str(r['text']).lower()}'" in sources)
    ]
    assert reused == []


# Writers' corpora kept out of every round of development: never split, never trained on,
# never used to choose a setting (docs/SAFETY.md, "Lockbox"). The first came with the
# thirteenth writer, the second with the twentieth; the third is the sixth round's four
# never-seen writers (w30 to w33), measured once on the shipped detector; the fourth and
# fifth likewise (w56 to w61, w62 to w65). They meet every goal, every category included;
# a change that falls below them here has lost what never-seen writers showed.
LOCKBOXES = tuple(f"lockbox{n}.jsonl" for n in ("", "2", "3", "4", "5"))


@pytest.mark.parametrize("name", LOCKBOXES)
def test_a_lockbox_is_not_in_any_training_set(name: str):
    lockbox = {str(r["text"]) for r in load(name)}
    assert len(lockbox) > 600
    trained = {str(r["text"]) for r in crisis_corpus.dev_rows()}
    assert lockbox.isdisjoint(trained)
    assert name not in {file for pair in crisis_corpus.WRITERS.values() for file in pair}


@pytest.mark.parametrize("name", LOCKBOXES)
def test_a_lockbox_meets_the_overall_goals(name: str):
    rows = load(name)
    idioms = [r for r in rows if r["category"] == "idiom"]
    assert overall(rows, "crisis") >= GOAL_RECALL
    assert overall(rows, "safe") <= GOAL_FALSE_ALARMS
    assert overall(idioms, "safe") <= GOAL_IDIOM_FALSE_ALARMS
    for (label, category), rate in figures(rows).items():
        if label == "crisis":
            assert rate >= GOAL_CATEGORY_RECALL, category
