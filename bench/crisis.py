"""Crisis detector speed: time per message over the whole labelled corpus
(tests/data/crisis), after one warm-up pass (the first call compiles the rules). Each
message is timed in every round and its fastest round is kept, so a busy machine's
scheduling pauses do not count as detector time; the mean of all rounds is reported too.

    python -m bench.crisis        # prints one JSON line
"""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

from bot.crisis_corpus import WRITERS
from bot.domain.crisis import detect_crisis, linear

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "crisis"


def texts() -> list[str]:
    out = []
    for name in (name for halves in WRITERS.values() for name in halves):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(str(json.loads(line)["text"]))
    return out


def measure(rounds: int = 3) -> dict[str, Any]:
    messages = texts()
    for text in messages:
        detect_crisis(text)
    every: list[list[float]] = [[] for _ in messages]
    for _ in range(rounds):
        for index, text in enumerate(messages):
            started = time.perf_counter()
            detect_crisis(text)
            every[index].append((time.perf_counter() - started) * 1000)
    per_message = sorted(min(times) for times in every)
    models = linear.load()
    model_ms = []  # the learned part alone (both models), fastest of the rounds
    if models is not None:
        for text in messages:
            best = math.inf
            for _ in range(rounds):
                linear.features.cache_clear()  # each round reads the message afresh
                started = time.perf_counter()
                models.crisis.probability(text)
                models.urgent.probability(text)
                best = min(best, (time.perf_counter() - started) * 1000)
            model_ms.append(best)
    return {
        "messages": len(messages),
        "rounds": rounds,
        "mean_all_rounds_ms": statistics.fmean(t for times in every for t in times),
        "mean_ms": statistics.fmean(per_message),
        "p50_ms": per_message[len(per_message) // 2],
        "p99_ms": per_message[int(len(per_message) * 0.99)],
        "max_ms": per_message[-1],
        "learned_part_mean_ms": statistics.fmean(model_ms) if model_ms else None,
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
