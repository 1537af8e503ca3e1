"""The learned part: a small Bernoulli naive Bayes over words, word pairs and 5-letter
pieces of the normalized text, trained on the development half of the repository's
corpus (``tests/data/crisis/dev.jsonl``) by ``python -m bot.crisis_model_train``.

It only speaks when the rules are silent: when a rule matched and a scope rule explained
the match away ("i'm not going to hurt myself"), the model is not asked. Its weights ship
in the package (``model_weights.json``); nothing is downloaded. Its contribution is
measured separately in docs/SAFETY.md.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise

from bot.domain.crisis.normalize import normalize

WEIGHTS_FILE = "model_weights.json"
# Log-odds above which the model calls a message crisis language. Chosen by 5-fold
# cross-validation on the development half only (docs/SAFETY.md).
THRESHOLD = 10.0
# Features kept in the shipped file: seen at least this often, weight at least this big.
MIN_COUNT = 2
MIN_WEIGHT = 0.7


def features(text: str) -> set[str]:
    words = normalize(text).replace("|", " ").replace(",", " ").split()
    found = set(words)
    found |= {f"{a}_{b}" for a, b in pairwise(words)}
    padded = f" {' '.join(words)} "
    found |= {"#" + padded[i : i + 5] for i in range(len(padded) - 4)}
    return found


@dataclass(frozen=True, slots=True)
class Model:
    bias: float
    weights: dict[str, float]

    def score(self, text: str) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in features(text))


def train(rows: Iterable[tuple[str, bool]]) -> Model:
    """Bernoulli naive Bayes log-odds per feature (add-half smoothing), pruned."""
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    docs: Counter[bool] = Counter()
    for text, crisis in rows:
        docs[crisis] += 1
        counts[crisis].update(features(text))
    weights: dict[str, float] = {}
    for feature in set(counts[True]) | set(counts[False]):
        yes, no = counts[True][feature], counts[False][feature]
        if yes + no < MIN_COUNT:
            continue
        weight = math.log(((yes + 0.5) / (docs[True] + 1)) / ((no + 0.5) / (docs[False] + 1)))
        if abs(weight) >= MIN_WEIGHT:
            weights[feature] = round(weight, 3)
    bias = math.log(max(docs[True], 1) / max(docs[False], 1))
    return Model(round(bias, 3), dict(sorted(weights.items())))


def to_json(model: Model) -> str:
    return json.dumps({"bias": model.bias, "weights": model.weights}, separators=(",", ":"))


def load() -> Model | None:
    """The shipped model, or None when the weights file is absent."""
    path = resources.files("bot.domain.crisis").joinpath(WEIGHTS_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()})
