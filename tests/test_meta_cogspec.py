"""What the cogs declare (``cogs/<name>/_spec.py``, bot/cogspec.py) is real and documented:
every settings section and key is in config.example.toml, and every retention class has
its setting, is in config.example.toml and docs/DATA.md, covers tables of its own cog, and
the cog purges them."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from bot.cogbase import IopCog
from bot.cogspec import CogSpec, RetentionClass, Section
from bot.config import (
    CoreRetentionSettings,
    Settings,
    build_retention_settings,
    build_settings,
)
from bot.extensions import EXTENSIONS, specs
from bot.sandbox.runner import available_cogs
from bot.services.userdata import data_cogs
from tests.harness import program_world
from tests.test_meta_contract import documented_rows, retention_classes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.toml"
DATA_MD = ROOT / "docs" / "DATA.md"


def section_text(section: str) -> str:
    """The lines of config.example.toml from ``[section]`` to the next top-level section."""
    text: list[str] = []
    inside = False
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        header = re.match(r"^\[\[?([a-z_]+)[.\]]", line)
        if header:
            inside = header[1] == section
        if inside:
            text.append(line)
    return "\n".join(text)


def missing_keys(section: str, model: type[BaseModel], parsed: dict[str, Any]) -> list[str]:
    """Fields of ``model`` that ``[section]`` in the example neither sets nor mentions.

    A key left unset on purpose (a secret, an optional text) is shown commented out or
    named in the section's comment.
    """
    text = section_text(section)
    values = parsed.get(section, {})
    missing = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in values:
            continue
        if not re.search(rf"\b{re.escape(key)}\b", text):
            missing.append(f"{section}.{key}")
    return missing


def test_every_declared_section_and_key_is_in_the_example_config():
    parsed = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    declared = [s for s in specs() if s.settings is not None]
    assert {s.name for s in declared} >= {
        "careline",
        "family",
        "groups",
        "milestones",
        "safetyplan",
    }
    problems = []
    for spec in declared:
        assert spec.settings is not None
        if spec.section_name not in parsed:
            problems.append(f"[{spec.section_name}] (cog {spec.name}) is not in the example")
            continue
        problems += missing_keys(spec.section_name, spec.settings, parsed)
    assert problems == [], f"add to config.example.toml: {problems}"


def test_every_section_of_settings_is_in_the_example_config():
    parsed = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    problems = []
    for name, info in Settings.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel), name
        if name not in parsed:
            problems.append(f"[{name}]")
            continue
        problems += missing_keys(name, model, parsed)
    assert problems == [], f"add to config.example.toml: {problems}"


def test_the_check_sees_a_missing_key():
    """The checks above can fail: a key taken out of the example is reported."""
    parsed = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    spec = next(s for s in specs() if s.name == "careline")
    assert spec.settings is not None
    section = dict(parsed["careline"])
    del section["team_name"]

    class Extra(spec.settings):  # type: ignore[name-defined,misc]
        not_in_the_example_at_all: int = 1

    assert missing_keys("careline", Extra, {"careline": section}) == [
        "careline.not_in_the_example_at_all"
    ]


def retention_problems(declared: tuple[CogSpec[Any], ...]) -> list[str]:
    settings = Settings()
    parsed = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    rows = documented_rows()
    classes = retention_classes()
    data_md = DATA_MD.read_text(encoding="utf-8")
    problems = []
    for spec in declared:
        for kept in spec.retention:
            where = f"{kept.key} (cog {spec.name})"
            try:
                days = kept.days(settings)
            except (AttributeError, TypeError) as exc:
                problems.append(f"{where}: not a setting: {exc}")
                continue
            if kept.section == "retention" and days != kept.default_days:
                problems.append(f"{where}: default {days}, declared {kept.default_days}")
            if kept.setting not in parsed.get(kept.section, {}):
                problems.append(f"{where}: not set in config.example.toml")
            if f"`{kept.key}`" not in data_md:
                problems.append(f"{where}: not named in docs/DATA.md")
            if not kept.tables:
                problems.append(f"{where}: covers no table")
            for table in kept.tables:
                row = rows.get(table)
                if row is None:
                    problems.append(f"{where}: table {table} is not in docs/DATA.md")
                    continue
                owner, _holds, retention, _readers = row
                if owner.strip("` ") != spec.name:
                    problems.append(f"{where}: table {table} belongs to {owner}")
                named_by_class = any(
                    retention.startswith(name) and f"`{kept.key}`" in cell
                    for name, cell in classes.items()
                )
                if f"`{kept.key}`" not in retention and not named_by_class:
                    problems.append(f"{where}: docs/DATA.md's class for {table} does not name it")
    return problems


def test_every_declared_retention_class_is_a_setting_documented_and_covering_own_tables():
    assert any(spec.retention for spec in specs())
    assert retention_problems(specs()) == []


def test_the_check_sees_an_uncovered_retention_class():
    """A class with no setting, one for another cog's table, one the docs don't name."""
    wrong = CogSpec(
        name="careline",
        retention=(
            RetentionClass("no_such_days", default_days=30, tables=("careline_messages",)),
            RetentionClass("careline_days", default_days=730, tables=("checkins",)),
            RetentionClass("mod_case_days", section="safety", default_days=730, tables=()),
            RetentionClass(
                "report_days", section="safety", default_days=365, tables=("careline_threads",)
            ),
        ),
    )
    problems = retention_problems((wrong,))
    assert any(p.startswith("retention.no_such_days") and "not a setting" in p for p in problems)
    assert any("table checkins belongs to checkins" in p for p in problems)
    assert any(p.startswith("safety.mod_case_days") and "covers no table" in p for p in problems)
    assert any("class for careline_threads does not name it" in p for p in problems)


def test_every_retention_setting_a_cogs_table_names_is_declared_by_that_cog():
    """docs/DATA.md: a cog's table kept by ``retention.x`` means the cog declares x (or x
    is one of the core's own retention settings)."""
    declared = {(spec.name, kept.key) for spec in specs() for kept in spec.retention}
    core = {f"retention.{name}" for name in CoreRetentionSettings.model_fields}
    cogs = {e.name for e in EXTENSIONS}
    problems = []
    for table, (owner, _holds, retention, _readers) in documented_rows().items():
        owner = owner.strip("` ")
        if owner not in cogs:
            continue
        for key in re.findall(r"`(retention\.[a-z_]+)`", retention):
            if key not in core and (owner, key) not in declared:
                problems.append(f"{table}: {key} is not declared by cog {owner}")
    assert problems == []


async def test_a_cog_with_retention_classes_purges(tmp_path):
    kept_by = {spec.name for spec in specs() if spec.retention}
    async with program_world(tmp_path, cogs=available_cogs()) as w:
        purging = {
            type(cog).__module__.split(".")[1]
            for cog in data_cogs(w.bot)
            if type(cog).purge_expired is not IopCog.purge_expired
        }
    assert kept_by - purging == set()


def test_specs_import_without_discord():
    """bot/config.py collects the specs: loading the settings must not import discord."""
    code = (
        "import sys; import bot.config; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'discord'], 'discord'; "
        "assert not [m for m in sys.modules if m.startswith('cogs.') "
        "and not m.endswith('._spec') and m.count('.') > 1], 'a cog module'"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-800:]


def test_a_section_is_read_typed_and_survives_an_extension_reload():
    settings = Settings(careline={"team_name": "The team"})
    first = next(s for s in specs() if s.name == "careline")
    assert first.section_of(settings).team_name == "The team"
    # reload_extension re-imports cogs.careline._spec: a new model class, same section
    reloaded = importlib.reload(importlib.import_module("cogs.careline._spec")).SPEC
    assert reloaded.settings is not first.settings
    assert reloaded.section_of(settings).team_name == "The team"
    with pytest.raises(TypeError, match="is not a CarelineSettings"):
        CogSpec(name="careline", settings=reloaded.settings, section="program").section_of(settings)
    with pytest.raises(LookupError):
        CogSpec(name="data").section_of(settings)


def test_a_new_cogs_declarations_become_settings(monkeypatch):
    """What a new cog declares is all the config needs: its section (file and
    environment), its retention key with its minimum; a name taken twice is refused."""

    class SurveySettings(Section):
        weekday: str = "mon"

    kept = RetentionClass("survey_test_days", default_days=400, tables=("t",), minimum_days=30)
    spec = CogSpec(name="survey_test", settings=SurveySettings, retention=(kept,))
    built = build_settings((spec,))
    monkeypatch.setenv("IOPBOT_SURVEY_TEST__WEEKDAY", "tue")
    settings = built()
    assert spec.section_of(settings).weekday == "tue"
    assert kept.days(settings) == 400
    assert built(retention={"survey_test_days": 45}).retention.survey_test_days == 45
    with pytest.raises(ValidationError, match=r"retention\.survey_test_days"):
        built(retention={"survey_test_days": 3})
    with pytest.raises(ValidationError, match=r"survey_test\.bogus"):
        built(survey_test={"bogus": 1})
    with pytest.raises(TypeError, match="declared twice"):
        build_settings(
            (spec, CogSpec(name="other", settings=SurveySettings, section="survey_test"))
        )
    with pytest.raises(TypeError, match="declared twice"):
        build_settings((CogSpec(name="x", settings=SurveySettings, section="program"),))
    clash = RetentionClass("outbox_days", default_days=9, tables=("t",))
    with pytest.raises(TypeError, match="declared twice"):
        build_retention_settings((CogSpec(name="x", retention=(clash,)),))
