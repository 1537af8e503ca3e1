"""Train the crisis detector's naive Bayes part from the development half of the corpus.

    python -m bot.crisis_model_train [tests/data/crisis/dev.jsonl]

Writes ``bot/domain/crisis/model_weights.json``. Deterministic: the same corpus gives the
same file (sorted keys, rounded weights). Never train on ``heldout.jsonl``: it is what
the figures in docs/SAFETY.md are measured on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.domain.crisis import model

DEFAULT_CORPUS = Path("tests/data/crisis/dev.jsonl")
TARGET = Path(__file__).parent / "domain" / "crisis" / model.WEIGHTS_FILE


def rows(path: Path) -> list[tuple[str, bool]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            value = json.loads(line)
            out.append((str(value["text"]), value["label"] == "crisis"))
    return out


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    if "heldout" in corpus.name:
        print("refusing to train on the held-out half", file=sys.stderr)
        return 2
    trained = model.train(rows(corpus))
    TARGET.write_text(model.to_json(trained) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({len(trained.weights)} features) from {corpus}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
