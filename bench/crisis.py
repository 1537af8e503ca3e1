"""Crisis detector speed: time per message over the whole labelled corpus
(tests/data/crisis), after one warm-up pass (the first call compiles the rules).

    python -m bench.crisis        # prints one JSON line
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from bot.domain.crisis import detect_crisis

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "crisis"


def texts() -> list[str]:
    out = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(str(json.loads(line)["text"]))
    return out


def measure(rounds: int = 3) -> dict[str, Any]:
    messages = texts()
    for text in messages:
        detect_crisis(text)
    per_message: list[float] = []
    for _ in range(rounds):
        for text in messages:
            started = time.perf_counter()
            detect_crisis(text)
            per_message.append((time.perf_counter() - started) * 1000)
    per_message.sort()
    return {
        "messages": len(messages),
        "rounds": rounds,
        "mean_ms": statistics.fmean(per_message),
        "p50_ms": per_message[len(per_message) // 2],
        "p99_ms": per_message[int(len(per_message) * 0.99)],
        "max_ms": per_message[-1],
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
