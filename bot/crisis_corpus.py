"""The crisis corpus on disk: which writers' files train and which are held out, how a
new writer's corpus is checked and split in halves (``tests/data/crisis``, docs/SAFETY.md).

Used by :mod:`bot.crisis_train` and the corpus tests; the bot itself never reads it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import crisis_everyday

CORPUS = Path(__file__).parent.parent / "tests" / "data" / "crisis"
# Writer id -> (development half, held-out half). Writer 1's files predate the others.
WRITERS = {
    "w1": ("dev.jsonl", "heldout.jsonl"),
    "w2": ("w2_dev.jsonl", "w2_heldout.jsonl"),
    "w3": ("w3_dev.jsonl", "w3_heldout.jsonl"),
    # Written later, never seen before their figures were taken (docs/SAFETY.md).
    "w4": ("w4_dev.jsonl", "w4_heldout.jsonl"),
    "w5": ("w5_dev.jsonl", "w5_heldout.jsonl"),
    "w6": ("w6_dev.jsonl", "w6_heldout.jsonl"),
    "w7": ("w7_dev.jsonl", "w7_heldout.jsonl"),
    "w8": ("w8_dev.jsonl", "w8_heldout.jsonl"),
    "w9": ("w9_dev.jsonl", "w9_heldout.jsonl"),
    "w10": ("w10_dev.jsonl", "w10_heldout.jsonl"),
    "w11": ("w11_dev.jsonl", "w11_heldout.jsonl"),
    "w12": ("w12_dev.jsonl", "w12_heldout.jsonl"),
    "w13": ("w13_dev.jsonl", "w13_heldout.jsonl"),
    "w14": ("w14_dev.jsonl", "w14_heldout.jsonl"),
    "w15": ("w15_dev.jsonl", "w15_heldout.jsonl"),
    "w16": ("w16_dev.jsonl", "w16_heldout.jsonl"),
    "w17": ("w17_dev.jsonl", "w17_heldout.jsonl"),
    "w18": ("w18_dev.jsonl", "w18_heldout.jsonl"),
    "w19": ("w19_dev.jsonl", "w19_heldout.jsonl"),
    "w20": ("w20_dev.jsonl", "w20_heldout.jsonl"),
    "w21": ("w21_dev.jsonl", "w21_heldout.jsonl"),
    "w22": ("w22_dev.jsonl", "w22_heldout.jsonl"),
    "w23": ("w23_dev.jsonl", "w23_heldout.jsonl"),
    "w24": ("w24_dev.jsonl", "w24_heldout.jsonl"),
    "w25": ("w25_dev.jsonl", "w25_heldout.jsonl"),
    "w26": ("w26_dev.jsonl", "w26_heldout.jsonl"),
    "w27": ("w27_dev.jsonl", "w27_heldout.jsonl"),
    "w28": ("w28_dev.jsonl", "w28_heldout.jsonl"),
    "w29": ("w29_dev.jsonl", "w29_heldout.jsonl"),
    # Writers 30 to 33 are lockbox 3 (never trained on).
    "w34": ("w34_dev.jsonl", "w34_heldout.jsonl"),
    "w35": ("w35_dev.jsonl", "w35_heldout.jsonl"),
    "w36": ("w36_dev.jsonl", "w36_heldout.jsonl"),
    "w37": ("w37_dev.jsonl", "w37_heldout.jsonl"),
    "w38": ("w38_dev.jsonl", "w38_heldout.jsonl"),
    # Writers 48 and 49 wrote only sayings, slang and crisis messages dressed as jokes;
    # writers 42 to 47 were sealed until their first pass on the ninth round's detector
    # (docs/SAFETY.md).
    "w48": ("w48_dev.jsonl", "w48_heldout.jsonl"),
    "w49": ("w49_dev.jsonl", "w49_heldout.jsonl"),
    "w42": ("w42_dev.jsonl", "w42_heldout.jsonl"),
    "w43": ("w43_dev.jsonl", "w43_heldout.jsonl"),
    "w44": ("w44_dev.jsonl", "w44_heldout.jsonl"),
    "w45": ("w45_dev.jsonl", "w45_heldout.jsonl"),
    "w46": ("w46_dev.jsonl", "w46_heldout.jsonl"),
    "w47": ("w47_dev.jsonl", "w47_heldout.jsonl"),
    # Sealed until their first pass on the ninth round's last detector (2ab88e4); writers
    # 56 to 61, measured on the shipped detector, are lockbox 4, and 62 to 65 lockbox 5
    # (never trained on).
    "w50": ("w50_dev.jsonl", "w50_heldout.jsonl"),
    "w51": ("w51_dev.jsonl", "w51_heldout.jsonl"),
    "w52": ("w52_dev.jsonl", "w52_heldout.jsonl"),
    "w53": ("w53_dev.jsonl", "w53_heldout.jsonl"),
    "w54": ("w54_dev.jsonl", "w54_heldout.jsonl"),
    "w55": ("w55_dev.jsonl", "w55_heldout.jsonl"),
}
# Writers added after the first three are split by ``split_halves`` (stratified by class and
# category, seeded), not by the hash of the text.
SPLIT_SEED = 12
# Everyday chat ("hello", "running late") written for this project: safe messages of a kind
# the three writers' corpora lack. Its development half is in every training set.
CHAT = ("chat_dev.jsonl", "chat_heldout.jsonl")
# More everyday chat, generated from templates (tools/ none: see docs/SAFETY.md); training
# only, never measured (template sentences resemble each other too much to test on).
CHAT_TEMPLATES = "chat_templates.jsonl"
# Two more everyday group chats (about 700 messages each, many of 1 to 6 words), split in
# halves like a writer (``--add-writer chatA DIR``): development halves train like
# ``CHAT``'s, held-out halves are the everyday-chat false alarms docs/SAFETY.md reports.
CHATS = {
    "chat": CHAT,
    "chatA": ("chatA_dev.jsonl", "chatA_heldout.jsonl"),
    "chatB": ("chatB_dev.jsonl", "chatB_heldout.jsonl"),
}
CHAT_CATEGORY = "everyday_chat"
Row = dict[str, Any]


def load(name: str, corpus: Path = CORPUS) -> list[Row]:
    lines = (corpus / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def dev_rows(corpus: Path = CORPUS) -> list[Row]:
    """What the shipped model is trained on: every development half, in a fixed order."""
    rows = [row for dev, _ in WRITERS.values() for row in load(dev, corpus)]
    return rows + chat_dev_rows(corpus)


def chat_dev_rows(corpus: Path = CORPUS, leave_out: str | None = None) -> list[Row]:
    """Every everyday-chat row training may read (all but ``leave_out``'s development half)."""
    chats = [dev for name, (dev, _) in CHATS.items() if name != leave_out]
    rows = [row for dev in chats for row in load(dev, corpus)]
    return rows + load(CHAT_TEMPLATES, corpus) + crisis_everyday.rows()


def split_halves(rows: Sequence[Row], seed: int = SPLIT_SEED) -> tuple[list[Row], list[Row]]:
    """Development and held-out halves of one writer's rows: within each (label, category)
    the rows, sorted by text, are shuffled with ``seed`` and the first half (rounded up) is
    development, so the input's order does not matter. Order inside each half follows the
    input."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault((str(row["label"]), str(row["category"])), []).append(index)
    dev: set[int] = set()
    shuffler = random.Random(seed)  # noqa: S311 (a reproducible split, not a secret)
    for key in sorted(groups):
        indices = sorted(groups[key], key=lambda i: str(rows[i]["text"]))
        shuffler.shuffle(indices)
        dev.update(indices[: (len(indices) + 1) // 2])
    return (
        [row for i, row in enumerate(rows) if i in dev],
        [row for i, row in enumerate(rows) if i not in dev],
    )


def severity_of(row: Row) -> str | None:
    """The row's severity; a crisis row without one is urgent unless its category is
    passive ideation (concern), as in docs/SAFETY.md."""
    if row["label"] != "crisis":
        return None
    if row.get("severity") in ("urgent", "concern"):
        return str(row["severity"])
    return "concern" if "passive" in str(row["category"]) else "urgent"


def quoted_in(text: str, sources: str) -> bool:
    """The message's wording is already a quoted string in a test (the corpus must be
    written fresh; tests/domain/test_crisis_corpus.py checks the same way)."""
    lowered = text.lower()
    return len(text) >= 12 and (f'"{lowered}"' in sources or f"'{lowered}'" in sources)


def new_writer_rows(source: Path, corpus: Path = CORPUS) -> list[Row]:
    """A new writer's labelled rows (every ``*.jsonl`` in ``source``, in name order),
    without rows whose text is already in the corpus or repeated (the first copy stays),
    so nothing can be trained on in one writer and measured in another, and without rows
    whose wording is quoted in a test."""
    known = {
        str(row["text"])
        for path in sorted(corpus.glob("*.jsonl"))
        for row in load(path.name, corpus)
    }
    tests = corpus.parent.parent
    quoted = " ".join(
        path.read_text(encoding="utf-8").lower()
        for path in sorted(tests.rglob("*.py"))
        if path.name != "test_crisis_corpus.py"
    )
    out: list[Row] = []
    for path in sorted(source.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["label"] not in ("crisis", "safe") or not isinstance(row["text"], str):
                raise ValueError(f"{path}: bad row {line[:80]!r}")
            if row["text"] in known or quoted_in(row["text"], quoted):
                continue
            known.add(row["text"])
            out.append(
                {
                    "text": row["text"],
                    "label": row["label"],
                    "severity": severity_of(row),
                    "category": row["category"],
                    **{
                        k: v
                        for k, v in row.items()
                        if k not in ("text", "label", "severity", "category")
                    },
                }
            )
    return out


def add_writer(name: str, source: Path, corpus: Path = CORPUS) -> tuple[int, int]:
    """Write ``{name}_dev.jsonl`` and ``{name}_heldout.jsonl`` from ``source``."""
    dev, held = split_halves(new_writer_rows(source, corpus))
    for rows, half in ((dev, "dev"), (held, "heldout")):
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (corpus / f"{name}_{half}.jsonl").write_text(text, encoding="utf-8")
    return len(dev), len(held)
