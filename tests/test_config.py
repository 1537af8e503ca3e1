"""Settings fail closed: unknown keys, bad zones and bad times are named; the token never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, summarize

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"
SECRET = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.very-secret-token-value"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_example_config_loads(monkeypatch):
    monkeypatch.delenv("IOPBOT_DISCORD__TOKEN", raising=False)
    settings = load_settings(EXAMPLE)
    assert settings.program.timezone.key == "America/New_York"
    assert settings.roles.facilitator is not None
    assert settings.discord.token is None


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[discord]\nbogus = 1\n", "discord.bogus: unknown key"),
        ("[nonsense]\na = 1\n", "nonsense: unknown key"),
        ('[program]\ntimezone = "Mars/Base"\n', "program.timezone"),
        ('[checkins]\ndefault_time = "9am"\n', "checkins.default_time"),
        ("[outbox]\nrate_per_second = 500\n", "outbox.rate_per_second"),
        ("[retention]\naudit_days = 30\n", "retention.audit_days"),
        ('[roles]\nfacilitator = "abc"\n', "roles.facilitator"),
        ("[groups]\nhours_min_per_week = 20\n", "groups: Value error, hours_min_per_week"),
    ],
)
def test_bad_values_are_named(tmp_path, toml, expected):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, toml))
    assert any(line.startswith(expected) for line in caught.value.problems), caught.value.problems


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[discord\n"))


def test_environment_overrides_file(tmp_path, monkeypatch):
    path = write(tmp_path, '[program]\nname = "From file"\n[database]\npath = "a.sqlite3"\n')
    monkeypatch.setenv("IOPBOT_PROGRAM__NAME", "From env")
    monkeypatch.setenv("IOPBOT_DISCORD__TOKEN", SECRET)
    settings = load_settings(path)
    assert settings.program.name == "From env"
    assert settings.database.path == Path("a.sqlite3")
    assert settings.discord.token is not None
    assert settings.discord.token.get_secret_value() == SECRET


def test_token_never_appears_in_errors_or_summary(tmp_path, monkeypatch):
    monkeypatch.setenv("IOPBOT_DISCORD__TOKEN", SECRET)
    settings = load_settings(EXAMPLE)
    text = "\n".join(summarize(settings)) + repr(settings) + str(settings.model_dump())
    assert SECRET not in text
    # a token put where a number belongs must not be echoed back
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, f'[discord]\nguild_id = "{SECRET}"\n'))
    assert SECRET not in "\n".join(caught.value.problems)


def test_settings_are_frozen():
    settings = load_settings(EXAMPLE)
    with pytest.raises(Exception, match="frozen"):
        settings.program.name = "x"  # type: ignore[misc]
