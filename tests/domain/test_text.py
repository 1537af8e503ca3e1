from __future__ import annotations

from bot.domain.text import fit_lines


def test_short_text_is_unchanged():
    assert fit_lines(["a", "b", "c"]) == "a\nb\nc"


def test_long_text_keeps_first_and_last_lines_and_whole_lines_only():
    lines = ["Done."] + [f"- reason {i} " + "x" * 80 for i in range(60)] + ["Press the button."]
    text = fit_lines(lines, more="… (more)")
    assert len(text) <= 2000
    assert text.startswith("Done.\n") and text.endswith("… (more)\nPress the button.")
    assert all(line in lines or line == "… (more)" for line in text.split("\n"))
