"""The labelled corpus (tests/data/crisis): figures on the held-out half, the goals, and
the learned part's reproducibility. Run with ``-s`` to see the per-category table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import SafetySettings
from bot.crisis_scan import Figures, scan
from bot.domain.crisis import detect_crisis
from bot.domain.crisis import model as learned

DATA = Path(__file__).parent.parent / "data" / "crisis"
GOAL_RECALL, GOAL_CATEGORY_RECALL, GOAL_FALSE_ALARMS, GOAL_IDIOM_FALSE_ALARMS = 0.9, 0.8, 0.05, 0.02
# What the held-out half measured when docs/SAFETY.md was written, minus a small margin:
# a change that does worse than this is a regression.
FLOOR_RECALL, CEILING_FALSE_ALARMS = 0.78, 0.09


def load(name: str) -> list[dict[str, object]]:
    lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


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


def test_corpus_is_large_balanced_and_split_without_overlap():
    dev, held = load("dev"), load("heldout")
    assert len(dev) + len(held) >= 1500
    assert {r["text"] for r in dev}.isdisjoint({r["text"] for r in held})
    crisis_categories = {r["category"] for r in dev + held if r["label"] == "crisis"}
    safe_categories = {r["category"] for r in dev + held if r["label"] == "safe"}
    assert len(crisis_categories) == 10 and len(safe_categories) == 8
    for rows in (dev, held):
        assert {r["category"] for r in rows} == crisis_categories | safe_categories


def test_heldout_figures_print_and_hold_the_floor():
    held = load("heldout")
    objects = [dict(r) for r in held]
    _, counts = scan(objects, SafetySettings())
    assert isinstance(counts, Figures)
    print("\n" + "\n".join(counts.lines()))
    rules_only = overall(held, "crisis", use_model=False)
    print(
        f"  rules only: recall {rules_only:.3f}, false alarms "
        f"{overall(held, 'safe', use_model=False):.3f}"
    )
    assert overall(held, "crisis") >= FLOOR_RECALL
    assert overall(held, "safe") <= CEILING_FALSE_ALARMS


@pytest.mark.xfail(
    strict=True, reason="held-out figures are below the issue's goals; see SAFETY.md"
)
def test_heldout_figures_meet_the_goals():
    held = load("heldout")
    per_category = figures(held)
    assert overall(held, "crisis") >= GOAL_RECALL
    assert overall(held, "safe") <= GOAL_FALSE_ALARMS
    for (label, category), rate in per_category.items():
        if label == "crisis":
            assert rate >= GOAL_CATEGORY_RECALL, category
    assert per_category[("safe", "idiom")] <= GOAL_IDIOM_FALSE_ALARMS


def test_shipped_model_is_what_the_dev_half_trains():
    rows = [(str(r["text"]), r["label"] == "crisis") for r in load("dev")]
    shipped = (Path(learned.__file__).parent / learned.WEIGHTS_FILE).read_text(encoding="utf-8")
    assert learned.to_json(learned.train(rows)) == shipped.strip()


def test_corpus_wording_is_not_reused_from_other_tests():
    sources = " ".join(
        p.read_text(encoding="utf-8").lower()
        for p in Path(__file__).parent.parent.rglob("*.py")
        if p.name != "test_crisis_corpus.py"
    )
    reused = [
        r["text"]
        for r in load("dev") + load("heldout")
        if len(str(r["text"])) >= 12
        and (f'"{str(r["text"]).lower()}"' in sources or f"'{str(r['text']).lower()}'" in sources)
    ]
    assert reused == []
