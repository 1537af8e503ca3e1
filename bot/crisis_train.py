"""Train the crisis detector's learned part, and measure it across writers.

    python -m bot.crisis_train              # write bot/domain/crisis/linear_weights.bin
    python -m bot.crisis_train --evaluate   # held-out halves and leave-one-writer-out
    python -m bot.crisis_train --measure DIR          # a new corpus, before it is used
    python -m bot.crisis_train --add-writer w4 DIR   # split a new writer's corpus in halves
    python -m bot.crisis_train --sweep-c 8,32        # pooled leave-one-writer-out per C
    python -m bot.crisis_train --sweep-guard "7:0.9:1:0;0:0.7:0:0"  # per model-alone guard
    python -m bot.crisis_train --sweep-guard "7:0.9:1:0" --plan-cue 0,0.5  # plan-cue path

The corpus (the writers' files, loading, splitting a new writer in halves) is
:mod:`bot.crisis_corpus`. Needs scikit-learn and scipy (``pip install -e ".[train]"``);
the bot itself does not. Trains on the development halves of the corpus only
(``tests/data/crisis``, one pair of files per writer); the held-out halves are what
docs/SAFETY.md reports. Deterministic: fixed solver (liblinear), fixed seed, sorted
features, so the same corpus gives the same file (a test retrains and compares).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import crisis_everyday
from bot.crisis_corpus import (
    CHAT,
    CHAT_CATEGORY,
    CHAT_TEMPLATES,
    CHATS,
    CORPUS,
    WRITERS,
    Row,
    add_writer,
    chat_dev_rows,
    dev_rows,
    load,
    severity_of,
)
from bot.domain.crisis import (
    CrisisMatch,
    RuleEvidence,
    combine,
    detect_crisis,
    linear,
    rule_evidence,
)

TARGET = Path(__file__).parent / "domain" / "crisis" / linear.WEIGHTS_FILE
# Each chat message counts this many times: there are few of them, and without them the
# model reads any short message ("sure", "will do") as a crisis fragment.
CHAT_WEIGHT = 1.0
C_CRISIS = 32.0
C_URGENT = 4.0
# Weights kept in the shipped file, by magnitude (docs/SAFETY.md measures the loss): with
# nine writers 30,000 crisis weights cost 0.02 leave-one-writer-out recall, 100,000 nothing
# measurable (about 156,000 are non-zero). The urgency model only picks the severity.
TOP_K = 100_000
TOP_K_URGENT = 30_000


def _fit(
    rows: Sequence[tuple[str, bool]],
    c: float,
    top_k: int | None,
    balanced: bool,
    weights: Sequence[float] | None = None,
) -> linear.LinearModel:
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    indices: list[int] = []
    values: list[float] = []
    pointers = [0]
    for text, _ in rows:
        found = linear.features(text)
        keys = sorted(found)
        indices += keys
        values += [found[k] for k in keys]
        pointers.append(len(indices))
    shape = (len(rows), 1 << linear.BITS)
    x = sparse.csr_matrix((np.array(values), np.array(indices), np.array(pointers)), shape=shape)
    # Rare n-grams count more (idf); folded into the weights, so run time needs no table.
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(rows)) / (1 + df)) + 1.0
    y = np.array([label for _, label in rows])
    model = LogisticRegression(
        C=c,
        class_weight="balanced" if balanced else None,
        solver="liblinear",
        random_state=0,
        max_iter=1000,
    )
    model.fit(x @ sparse.diags(idf), y, sample_weight=None if weights is None else list(weights))
    folded = model.coef_.ravel() * idf
    nonzero = np.flatnonzero(folded)
    order = nonzero[np.argsort(-np.abs(folded[nonzero]), kind="stable")]
    if top_k is not None:
        order = order[:top_k]
    kept = {int(k): float(np.float32(folded[k])) for k in sorted(order)}
    bias = float(model.intercept_[0])
    return linear.LinearModel(bias, kept, linear.data_digest(list(rows)))


def train(
    rows: Sequence[Row],
    top_k: int | None = TOP_K,
    top_k_urgent: int | None = TOP_K_URGENT,
    c_crisis: float = C_CRISIS,
) -> linear.Models:
    crisis = [(str(r["text"]), r["label"] == "crisis") for r in rows]
    urgent = [(str(r["text"]), r["severity"] == "urgent") for r in rows if r["label"] == "crisis"]
    counted = [CHAT_WEIGHT if r["category"] == CHAT_CATEGORY else 1.0 for r in rows]
    return linear.Models(
        _fit(crisis, c_crisis, top_k, balanced=True, weights=counted),
        _fit(urgent, C_URGENT, top_k_urgent, balanced=True),
    )


Detector = Callable[[str], CrisisMatch | None]


def _with(models: linear.Models) -> Detector:
    return lambda text: combine(rule_evidence(text), text, models)


def _model_alone(models: linear.Models) -> Detector:
    def run(text: str) -> CrisisMatch | None:
        if models.crisis.probability(text) < 0.5:
            return None
        return CrisisMatch("concern", "passive_ideation", "model")

    return run


def figures(rows: Sequence[Row], detect: Detector) -> dict[tuple[str, str], tuple[int, int]]:
    """(label, category) -> (messages, flagged); ("crisis"|"safe", "*") for the totals."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for row in rows:
        hit = int(detect(str(row["text"])) is not None)
        for key in ((row["label"], row["category"]), (row["label"], "*")):
            total, flagged = out.get(key, (0, 0))
            out[key] = (total + 1, flagged + hit)
    return out


def rate(found: dict[tuple[str, str], tuple[int, int]], key: tuple[str, str]) -> float:
    total, flagged = found.get(key, (0, 0))
    return flagged / total if total else math.nan


def _summaries(columns: dict[str, dict[tuple[str, str], tuple[int, int]]]) -> list[str]:
    return [f"- {name}: {summary(found)}" for name, found in columns.items()] + [""]


def _table(title: str, columns: dict[str, dict[tuple[str, str], tuple[int, int]]]) -> list[str]:
    names = list(columns)
    lines = [f"### {title}", "", "| class | category | n | " + " | ".join(names) + " |"]
    lines.append("|---|---|---|" + "---|" * len(names))
    first = columns[names[0]]
    for label in ("crisis", "safe"):
        if (label, "*") not in first:
            continue
        keys = [*sorted(k for k in first if k[0] == label and k[1] != "*"), (label, "*")]
        for key in keys:
            shown = "**overall**" if key[1] == "*" else key[1]
            cells = " | ".join(f"{rate(columns[n], key):.3f}" for n in names)
            lines.append(f"| {label} | {shown} | {first[key][0]} | {cells} |")
    return [*lines, ""]


def evaluate(corpus: Path = CORPUS) -> list[str]:
    """Markdown tables: held-out halves (model trained on all development halves) and
    leave-one-writer-out (model trained on the other writers, both halves)."""
    halves = {w: (load(d, corpus), load(h, corpus)) for w, (d, h) in WRITERS.items()}
    chat_dev = chat_dev_rows(corpus)
    chat_held: dict[str, tuple[list[Row], list[Row]]] = {
        name: ([], load(held, corpus)) for name, (_, held) in CHATS.items()
    }
    rules: Detector = lambda text: detect_crisis(text, use_model=False)  # noqa: E731
    shipped = train(dev_rows(corpus))
    out: list[str] = []
    for writer, (_, held) in [*halves.items(), *chat_held.items()]:
        columns = {
            "rules only": figures(held, rules),
            "model only": figures(held, _model_alone(shipped)),
            "combined": figures(held, _with(shipped)),
        }
        out += _table(f"Held-out half, writer {writer} ({len(held)} messages)", columns)
        out += _summaries(columns)
    for writer, (dev, held) in halves.items():
        others = [r for w, (d, h) in halves.items() if w != writer for r in d + h] + chat_dev
        models = train(others)
        rows = dev + held
        columns = {
            "rules only": figures(rows, rules),
            "model only": figures(rows, _model_alone(models)),
            "combined": figures(rows, _with(models)),
        }
        out += _table(f"Leave-one-writer-out: unseen writer {writer} ({len(rows)})", columns)
        out += _summaries(columns)
    return out


def _seen(evidence: dict[str, RuleEvidence], models: linear.Models) -> Detector:
    """``_with`` for texts whose rule evidence was computed once already."""
    return lambda text: combine(evidence[text], text, models)


def sweep_c(values: Sequence[float], corpus: Path = CORPUS) -> list[str]:
    """Leave-one-writer-out with the crisis model trained at each C (shipped pruning and
    thresholds), pooled over the writers: how docs/SAFETY.md chose C. One line per C:
    recall, false alarms, idioms and the mean over writers of the weakest category."""
    halves = {w: load(d, corpus) + load(h, corpus) for w, (d, h) in WRITERS.items()}
    extra = load(CHAT[0], corpus) + load(CHAT_TEMPLATES, corpus) + crisis_everyday.rows()
    evidence = {str(r["text"]): rule_evidence(str(r["text"])) for rs in halves.values() for r in rs}
    out: list[str] = []
    for c in values:
        pooled: dict[tuple[str, str], tuple[int, int]] = {}
        weakest: list[float] = []
        for writer, rows in halves.items():
            others = [r for w, rs in halves.items() if w != writer for r in rs] + extra
            models = train(others, c_crisis=c)
            found = figures(rows, _seen(evidence, models))
            weakest.append(min(rate(found, k) for k in found if k[0] == "crisis" and k[1] != "*"))
            for (label, category), (total, flagged) in found.items():
                key = (label, category if category == "*" or "idiom" in category else "other")
                before = pooled.get(key, (0, 0))
                pooled[key] = (before[0] + total, before[1] + flagged)
        worst = sum(weakest) / len(weakest)
        out.append(f"C = {c:g}: {summary(pooled)}, weakest category (mean) {worst:.3f}")
    return out


# A guard setting for the model-only path: (SHORT_WORDS, SHORT, SHORT_ANY, URGENT_NEEDS_CUE).
Guard = tuple[int, float, bool, bool]


def shipped_guard() -> Guard:
    return (linear.SHORT_WORDS, linear.SHORT, linear.SHORT_ANY, linear.URGENT_NEEDS_CUE)


def _set_guard(guard: Guard) -> None:
    linear.SHORT_WORDS, linear.SHORT, linear.SHORT_ANY, linear.URGENT_NEEDS_CUE = guard


def sweep_guard(
    guards: Sequence[Guard],
    corpus: Path = CORPUS,
    plans: Sequence[float | None] | None = None,
) -> list[str]:
    """Pooled leave-one-writer-out recall and false alarms, and the everyday-chat false
    alarms (and urgent ones) over the chat development folds (each chat's development half
    measured by a model trained without it), for each guard setting and each plan-cue
    threshold (``linear.PLAN_CUE``; default: the shipped one), at the shipped C.
    Held-out halves are never read: this is how the guard was chosen."""
    halves = {w: load(d, corpus) + load(h, corpus) for w, (d, h) in WRITERS.items()}
    folds: list[tuple[list[Row], linear.Models]] = []
    for writer, rows in halves.items():
        others = [r for w, rs in halves.items() if w != writer for r in rs]
        folds.append((rows, train(others + chat_dev_rows(corpus))))
    everything = [r for rs in halves.values() for r in rs]
    chats: list[tuple[list[Row], linear.Models]] = []
    for name, (dev, _) in CHATS.items():
        chats.append((load(dev, corpus), train(everything + chat_dev_rows(corpus, name))))
    texts = {str(r["text"]) for rs, _ in folds + chats for r in rs}
    evidence = {text: rule_evidence(text) for text in texts}
    before, plan_before = shipped_guard(), linear.PLAN_CUE
    settings = [(g, p) for g in guards for p in (plans or [plan_before])]
    out: list[str] = []
    try:
        for guard, plan in settings:
            _set_guard(guard)
            linear.PLAN_CUE = plan
            pooled: dict[tuple[str, str], tuple[int, int]] = {}
            severe = severe_urgent = 0
            for rows, models in folds:
                for row in rows:
                    if severity_of(row) == "urgent":
                        found = _seen(evidence, models)(str(row["text"]))
                        severe += 1
                        severe_urgent += found is not None and found.severity == "urgent"
                for key, (total, flagged) in figures(rows, _seen(evidence, models)).items():
                    key = (key[0], key[1] if key[1] == "*" or "idiom" in key[1] else "other")
                    was = pooled.get(key, (0, 0))
                    pooled[key] = (was[0] + total, was[1] + flagged)
            chat_total = chat_hits = chat_urgent = 0
            for rows, models in chats:
                for row in rows:
                    hit = _seen(evidence, models)(str(row["text"]))
                    chat_total += 1
                    chat_hits += hit is not None
                    chat_urgent += hit is not None and hit.severity == "urgent"
            words, short, any_cue, urgent_cue = guard
            out.append(
                f"short < {words} words needs {short:g} (only without cues: {any_cue}), "
                f"urgent needs a cue: {urgent_cue}: {summary(pooled)}, urgent messages "
                f"paged urgent {severe_urgent / max(severe, 1):.3f}; chat dev folds "
                f"{chat_hits / chat_total:.1%} flagged, {chat_urgent / chat_total:.1%} urgent "
                f"({chat_total})" + ("" if plan is None else f"; plan cue from {plan:g}")
            )
    finally:
        _set_guard(before)
        linear.PLAN_CUE = plan_before
    return out


def _guards(spec: str) -> list[Guard]:
    """ "6:0.9:0:1;0:0.7:0:0" -> guard settings (see ``Guard``)."""
    out: list[Guard] = []
    for part in spec.split(";"):
        words, short, any_cue, urgent_cue = part.split(":")
        out.append((int(words), float(short), any_cue == "1", urgent_cue == "1"))
    return out


def summary(found: dict[tuple[str, str], tuple[int, int]]) -> str:
    """Recall, false alarms and idiom false alarms (safe categories named ``*idiom*``)."""
    idioms = [v for k, v in found.items() if k[0] == "safe" and "idiom" in k[1]]
    total, flagged = sum(n for n, _ in idioms), sum(f for _, f in idioms)
    idiom_rate = f"{flagged / total:.1%}" if total else "-"
    return (
        f"recall {rate(found, ('crisis', '*')):.3f}, false alarms "
        f"{rate(found, ('safe', '*')):.1%}, idioms {idiom_rate}"
    )


def measure(source: Path) -> list[str]:
    """A corpus the detector has never seen (every ``*.jsonl`` under ``source``), with the
    shipped model and rules exactly as they are: what a new writer's messages get."""
    rows = [
        json.loads(line)
        for path in sorted(source.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    shipped = linear.load()
    if shipped is None:
        raise SystemExit("no shipped model (bot/domain/crisis/linear_weights.bin)")
    columns = {
        "rules only": figures(rows, lambda text: detect_crisis(text, use_model=False)),
        "model only": figures(rows, _model_alone(shipped)),
        "combined": figures(rows, detect_crisis),
    }
    return _table(f"Never seen: {source} ({len(rows)} messages)", columns) + _summaries(columns)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.crisis_train")
    parser.add_argument("--evaluate", action="store_true", help="print figures, write nothing")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--add-writer", nargs=2, metavar=("NAME", "DIR"))
    parser.add_argument("--measure", type=Path, metavar="DIR")
    parser.add_argument("--sweep-c", metavar="C,C,...", help="pooled leave-one-writer-out per C")
    parser.add_argument(
        "--sweep-guard", metavar="W:T:A:U;...", help="leave-one-out per short-message guard"
    )
    parser.add_argument(
        "--plan-cue", metavar="P,P,...", help="with --sweep-guard: plan-cue thresholds (0: off)"
    )
    args = parser.parse_args(argv)
    if args.sweep_guard:
        try:
            guards = _guards(args.sweep_guard)
        except ValueError:
            parser.error(f"--sweep-guard takes WORDS:SCORE:0|1:0|1;..., not {args.sweep_guard!r}")
        try:
            plans = [float(v) or None for v in args.plan_cue.split(",")] if args.plan_cue else None
        except ValueError:
            parser.error(f"--plan-cue takes numbers separated by commas, not {args.plan_cue!r}")
        print("\n".join(sweep_guard(guards, args.corpus, plans)))
        return 0
    if args.sweep_c:
        try:
            values = [float(v) for v in args.sweep_c.split(",")]
        except ValueError:
            parser.error(f"--sweep-c takes numbers separated by commas, not {args.sweep_c!r}")
        print("\n".join(sweep_c(values, args.corpus)))
        return 0
    if args.measure:
        print("\n".join(measure(args.measure)))
        return 0
    if args.add_writer:
        name, source = args.add_writer
        dev, held = add_writer(name, Path(source), args.corpus)
        print(f"{name}: {dev} development, {held} held-out rows")
        return 0
    if args.evaluate:
        print("\n".join(evaluate(args.corpus)))
        return 0
    models = train(dev_rows(args.corpus))
    TARGET.write_bytes(linear.to_bytes(models))
    sizes = f"{len(models.crisis.weights)} + {len(models.urgent.weights)} weights"
    print(f"wrote {TARGET} ({sizes}, {TARGET.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
