"""Meta-tests over every installed cog: the data contract, table ownership, docs/DATA.md,
extension loading, command names, and lifecycle symmetry (reload does not grow jobs)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import discord
from discord import app_commands

from bot.cogbase import IopCog
from bot.sandbox.runner import available_cogs
from bot.services.userdata import data_cogs
from tests.harness import program_world

ROOT = Path(__file__).resolve().parents[1]
DATA_MD = ROOT / "docs" / "DATA.md"
# A table row in docs/DATA.md: | `name` | owner | ...
_ROW = re.compile(r"^\|\s*`(?P<table>[a-z0-9_]+)`\s*\|\s*(?P<owner>[^|]+?)\s*\|")


def retention_classes() -> dict[str, str]:
    """The retention classes table at the top of docs/DATA.md: class → its setting cell."""
    found: dict[str, str] = {}
    for line in DATA_MD.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*\*\*(?P<name>[^*]+)\*\*\s*\|[^|]*\|(?P<setting>[^|]*)\|", line)
        if match:
            found[match["name"].strip()] = match["setting"]
    return found


def documented_rows() -> dict[str, list[str]]:
    """Each table row of docs/DATA.md: name → [owner, holds, class, who sees it]."""
    found: dict[str, list[str]] = {}
    for line in DATA_MD.read_text(encoding="utf-8").splitlines():
        if _ROW.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            found[cells[0].strip("`")] = cells[1:]
    return found


def documented_tables() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in DATA_MD.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            found[match["table"]] = match["owner"].strip("` ").lower()
    return found


def command_paths(commands: list[app_commands.Command | app_commands.Group]) -> list[str]:
    paths: list[str] = []
    for command in commands:
        if isinstance(command, app_commands.Group):
            paths.extend(command_paths(list(command.commands)))
        else:
            paths.append(command.qualified_name)
    return paths


async def schema_tables(world) -> list[str]:
    rows = await world.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(r[0] for r in rows)


async def test_every_enabled_extension_loads_and_data_owners_keep_the_contract(tmp_path):
    cogs = available_cogs()
    async with program_world(tmp_path, cogs=cogs) as w:
        loaded = set(w.bot.extensions)
        assert {f"cogs.{name}" for name in cogs} <= loaded
        missing = []
        for cog in data_cogs(w.bot):
            if not cog.owned_tables:
                continue
            for method in ("export_user_data", "delete_user_data"):
                if getattr(type(cog), method) is getattr(IopCog, method):
                    missing.append(f"{type(cog).__name__}.{method}")
        assert missing == [], f"cogs own tables but do not implement: {missing}"


async def test_every_table_has_one_owner_and_is_documented(tmp_path):
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        tables = await schema_tables(w)
        owners: dict[str, list[str]] = {}
        for cog in data_cogs(w.bot):
            for table in cog.owned_tables:
                owners.setdefault(table, []).append(type(cog).__name__)
        docs = documented_tables()
        problems = []
        for table in tables:
            owned_by = owners.get(table, [])
            if len(owned_by) > 1:
                problems.append(f"{table}: owned by {owned_by}")
            elif not owned_by and docs.get(table) != "core":
                problems.append(f"{table}: no owner cog and not core in docs/DATA.md")
            if table not in docs:
                problems.append(f"{table}: not in docs/DATA.md")
        for table in owners:
            if table not in tables:
                problems.append(f"{table}: claimed by {owners[table]} but not in the schema")
        for table in docs:
            if table not in tables:
                problems.append(f"{table}: in docs/DATA.md but not in the schema")
        assert problems == []


def test_every_documented_table_has_a_retention_class_and_readers():
    rows = documented_rows()
    assert rows, "no table rows found in docs/DATA.md"
    classes = tuple(retention_classes())
    assert {"keep 6 years", "answers", "enrollment", "program"} <= set(classes)
    problems = []
    for table, cells in rows.items():
        if len(cells) != 4:
            problems.append(f"{table}: expected owner | holds | class | who sees it")
            continue
        _owner, holds, retention, readers = cells
        if not retention.startswith(classes):
            problems.append(f"{table}: retention class {retention!r} is not one of {classes}")
        if not holds or not readers:
            problems.append(f"{table}: says nothing about what it holds or who sees it")
    assert problems == []


async def test_command_names_are_unique(tmp_path):
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        guild = discord.Object(w.guild.id)
        roots = w.bot.tree.get_commands(guild=guild, type=discord.AppCommandType.chat_input)
        root_names = Counter(c.name for c in roots)
        assert [n for n, k in root_names.items() if k > 1] == []
        paths = Counter(command_paths(roots))  # type: ignore[arg-type]
        assert [p for p, k in paths.items() if k > 1] == []
        assert len(paths) >= 5


async def test_reloading_each_extension_twice_keeps_one_set_of_jobs(tmp_path):
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        jobs = w.bot.services.jobs
        before = jobs.job_ids()
        dynamic_before = len(w.bot._connection._view_store._dynamic_items)
        for extension in sorted(w.bot.extensions):
            await w.bot.reload_extension(extension)
            await w.bot.reload_extension(extension)
            assert jobs.job_ids() == before, f"{extension} changed the jobs on reload"
        assert len(w.bot._connection._view_store._dynamic_items) == dynamic_before
        assert "data:purge" in before
