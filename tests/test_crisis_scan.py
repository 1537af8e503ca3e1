"""``iopbot crisis-scan``: the evaluation contract, run as a program would be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]


def scan(stdin: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOPBOT_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", "crisis-scan", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no config.toml here, and no token in the environment
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )


def test_adds_exact_keys_keeps_order_and_other_fields(tmp_path):
    lines = [
        {"text": "been stockpiling my seroquel to take them all friday", "id": 7, "who": "a"},
        {"text": "see everyone at group thursday", "id": 8},
        {"text": "the craving is loud but i called my sponsor", "id": 9, "nested": {"x": [1]}},
    ]
    result = scan("\n".join(json.dumps(x) for x in lines) + "\n", "-", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [7, 8, 9]
    assert out[0]["crisis"] is True and out[0]["severity"] == "urgent"
    assert out[0]["category"] == "plan_preparation"
    for quiet in out[1:]:
        assert (quiet["crisis"], quiet["severity"], quiet["category"]) == (False, None, None)
    assert out[0]["who"] == "a" and out[2]["nested"] == {"x": [1]}
    assert set(out[0]) == {"text", "id", "who", "crisis", "severity", "category"}
    assert result.stderr == ""  # no gold labels, no figures


def test_gold_labels_give_per_category_figures_and_output_category_is_the_detectors(tmp_path):
    rows = [
        {
            "text": "i might swallow everything in the cabinet tonight",
            "label": "crisis",
            "category": "crisis_overdose_intent",
        },
        {"text": "tripped on the stairs lol, i'm fine", "label": "safe", "category": "safe_idiom"},
        {
            "text": "my uncle said he wanted to die after the divorce",
            "label": "safe",
            "category": "safe_other_people",
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = scan("", str(path), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["category"] in {"overdose_intent", "intent"}
    assert [o["crisis"] for o in out] == [True, False, False]
    assert "crisis_overdose_intent" in result.stderr and "recall" in result.stderr
    assert "safe_other_people" in result.stderr and "false alarms" in result.stderr
    assert "overall crisis recall       1.000" in result.stderr
    assert "overall safe   false alarms 0.000" in result.stderr


def test_bad_line_names_it_and_writes_nothing(tmp_path):
    good = json.dumps({"text": "i want to end my life"})
    for bad, problem in (
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"txt": "hi"}', 'missing a string "text"'),
        ('{"text": 5}', 'missing a string "text"'),
        ('{"text": "hi", "label": "maybe"}', '"label" must be'),
    ):
        result = scan(f"{good}\n\n{bad}\n", "-", tmp_path=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        assert f"line 3: {problem}" in result.stderr


def test_missing_file_is_exit_2(tmp_path, capsys):
    assert main(["crisis-scan", str(tmp_path / "nope.jsonl")]) == 2
    assert "can't read" in capsys.readouterr().err


def test_program_terms_from_config_are_used(tmp_path, capsys):
    config = tmp_path / "config.toml"
    terms = '[safety]\ncrisis_terms = ["method: long blue lagoon trip"]\n'
    config.write_text(terms, encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "thinking of a long blue lagoon trip"}) + "\n")
    assert main(["crisis-scan", "--config", str(config), str(source)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["crisis"], out["category"], out["severity"]) == (True, "method", "urgent")
    assert main(["crisis-scan", str(source)]) == 0
    assert json.loads(capsys.readouterr().out)["crisis"] is False
