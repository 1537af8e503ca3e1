"""docs/ARCHITECTURE.md stays true to the code: every migration file is listed, and every
direct send in a cog or a service (one that bypasses the outbox) is documented with its
reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
ROW = re.compile(r"^\|\s*(\d{4})\s*\|\s*(?:`(\d{4}_[a-z0-9_]+\.sql)`|—)\s*\|", re.MULTILINE)
# Receivers that are interaction replies, not notices (docs: "Interaction replies ... do
# not go through the outbox").
REPLY_RECEIVERS = ("followup", "response")
OUTBOX_SENDER = "bot/services/sender.py"  # the outbox's own sender


def section(title: str) -> str:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index(title)
    following = re.search(r"^#{2,3} ", text[start + len(title) :], re.MULTILINE)
    return text[start : start + len(title) + following.start()] if following else text[start:]


def documented_migrations() -> dict[str, str | None]:
    """Number -> file named in the Migrations table (None: the row says it is unused)."""
    return {m[1]: m[2] for m in ROW.finditer(section("## Migrations"))}


def direct_sends(path: Path) -> list[int]:
    """Lines of ``….send(…)`` / ``….create_dm(…)`` calls that are not interaction replies."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("send", "create_dm"):
            continue
        receiver = ast.unparse(node.func.value)
        if not any(name in receiver for name in REPLY_RECEIVERS):
            lines.append(node.lineno)
    return lines


def test_every_migration_file_is_listed_and_every_listed_file_exists():
    on_disk = {p.name for p in (ROOT / "migrations").glob("*.sql")}
    listed = documented_migrations()
    files = {f for f in listed.values() if f}
    assert on_disk - files == set(), "add these to docs/ARCHITECTURE.md ## Migrations"
    assert files - on_disk == set(), "listed in docs/ARCHITECTURE.md but not in migrations/"
    for number, name in listed.items():
        assert name is None or name.startswith(number), (number, name)


def test_every_gap_in_the_numbers_is_explained():
    listed = documented_migrations()
    numbers = sorted(int(n) for n in listed)
    assert numbers == list(range(1, numbers[-1] + 1)), "one row per number, gaps included"
    on_disk = {p.name[:4] for p in (ROOT / "migrations").glob("*.sql")}
    unused = {n for n, f in listed.items() if f is None}
    assert unused == {f"{n:04d}" for n in numbers} - on_disk
    assert "0013" in unused  # never used: the runner only needs increasing numbers


def test_the_send_scan_finds_direct_sends_and_skips_interaction_replies(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "async def f(user, interaction, client):\n"
        "    await user.send('x')\n"
        "    await interaction.followup.send('y')\n"
        "    await interaction.response.send_message('z')\n"
        "    await client.create_dm(user)\n"
    )
    assert direct_sends(sample) == [2, 5]


def test_every_module_sending_directly_is_in_the_bypass_table():
    documented = section("### Sends that bypass the outbox")
    scanned = sorted((ROOT / "cogs").rglob("*.py")) + sorted(
        (ROOT / "bot" / "services").rglob("*.py")
    )
    senders = [p.relative_to(ROOT).as_posix() for p in scanned if direct_sends(p)]
    assert OUTBOX_SENDER in senders and f"`{OUTBOX_SENDER}`" in documented
    assert "cogs/safety/_cog.py" in senders and "cogs/data/_cog.py" in senders
    missing = [s for s in senders if f"`{s}`" not in documented]
    assert missing == [], "document why these send outside the outbox (docs/ARCHITECTURE.md)"
