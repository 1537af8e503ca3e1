"""Names shown to others: hidden Unicode controls removed, mention/link syntax refused."""

from __future__ import annotations

import pytest

from bot.domain.names import BadName, check_group_name, check_record_name, plain_name

RLO = "\u202e"  # right-to-left override
ZWSP = "\u200b"  # zero-width space


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"Alex{RLO}gnp.exe", "Alexgnp.exe"),
        (f"Sa{ZWSP}m", "Sam"),
        ("\u2066Riley\u2069", "Riley"),  # isolates
        ("\ufeffJordan\u200e", "Jordan"),  # BOM and LRM
        ("  Dana   (facilitator) ", "Dana (facilitator)"),
        ("👨\u200d👩\u200d👧 Lee", "👨\u200d👩\u200d👧 Lee"),  # an emoji's joiners stay
        (f"{RLO}{ZWSP}", "a member"),
    ],
)
def test_plain_name_removes_hidden_controls(raw, shown):
    assert plain_name(raw) == shown


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (f"Tuesday{RLO} Evening", "invisible"),
        (f"Tues{ZWSP}day", "invisible"),
        ("Tuesday @everyone", "mentions"),
        ("Group <@123456789012345678>", "mentions"),
        ("Group <#123456789012345678>", "mentions"),
        ("[Open chart](https://example.com)", "links"),
        ("see https://example.com", "links"),
    ],
)
def test_group_names_with_controls_mentions_or_links_are_refused(name, why):
    with pytest.raises(BadName, match=why):
        check_group_name(name)


def test_a_plain_group_name_passes_cleaned():
    assert check_group_name("  Tuesday   Evening ") == "Tuesday Evening"


@pytest.mark.parametrize("name", [f"Alex{RLO} Rivera", "<@1>", "[x](https://y)", "   "])
def test_record_names_must_be_plain(name):
    with pytest.raises(BadName):
        check_record_name(name)


def test_record_name_keeps_accents_and_hyphens():
    assert check_record_name(" José  María O'Neil-Núñez ") == "José María O'Neil-Núñez"


def test_shown_name_strips_hidden_controls_and_escapes_markdown_and_mentions():
    from bot.domain.text import shown_name

    shown = shown_name(f"[Open{RLO} chart](https://x.example) @everyone")
    assert RLO not in shown
    assert "\\[" in shown and "@\u200beveryone" in shown  # escaped, so no link and no ping
