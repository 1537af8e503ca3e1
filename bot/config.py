"""Settings: a TOML file (``--config``, default ``./config.toml``) with ``IOPBOT_`` overrides.

Every section forbids unknown keys, the token is a ``SecretStr``, and validation errors
never echo the input (so a misplaced token is never printed). The defaults are the ones
in shared/DOMAIN.md.

Here are the core sections: those the core and its services read (``safety`` and
``checkins`` included: services read them, and services may not import cogs). A feature
cog declares its own section and retention classes in ``cogs/<name>/_spec.py``
(bot/cogspec.py); :data:`Settings` and :data:`RetentionSettings` are built from the
registry's declarations at import. For mypy, ``Settings`` is :class:`CoreSettings`; a
cog reads its own section typed with ``SPEC.section_of(settings)`` and a retention
class with ``CLASS.days(settings)``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.cogspec import CogSpec, Section, validate_hhmm
from bot.domain.checkins import DEFAULT_ITEMS, check_items
from bot.domain.language import reveals_treatment
from bot.domain.localtime import BadTimezone, parse_zone
from bot.domain.staffing import WEEKDAYS
from bot.extensions import DEFAULT_ENABLED, specs

__all__ = ["Section", "Settings", "validate_hhmm"]


class DiscordSettings(Section):
    token: SecretStr | None = None
    guild_id: int | None = None
    application_id: int | None = None
    # On by default: crisis safety reads group messages (a privileged intent, a toggle in
    # the developer portal for a bot in under 100 servers). DMs to the bot need no intent.
    message_content: bool = True
    api_base: str | None = Field(
        default=None, description="Only for the offline sandbox: the emulator's http base."
    )


class RoleSettings(Section):
    facilitator: int | None = None
    client: int | None = None
    family: int | None = None
    on_call: int | None = None
    auditor: int | None = None


class ChannelSettings(Section):
    staff_alerts: int | None = None
    mod_log: int | None = None
    family_welcome: int | None = None
    cohort_category: int | None = None
    # The staff-only channel holding one care-line thread per client (cogs/careline).
    # Unset: the bot finds or creates a channel named careline.channel_name that only the
    # facilitator role and the bot can see.
    care_team: int | None = None


class ProgramSettings(Section):
    name: str = "Recovery Program"
    timezone: ZoneInfo = ZoneInfo("America/New_York")

    @field_validator("timezone", mode="before")
    @classmethod
    def _known_zone(cls, value: object) -> object:
        """Only names in zoneinfo.available_timezones() (not right/..., posix/...)."""
        if isinstance(value, str):
            try:
                return parse_zone(value)
            except BadTimezone as exc:
                raise ValueError(str(exc)) from None
        return value

    # Shown to people as written; the structured schedule below decides "staffed now".
    staffed_hours: str = "Monday to Friday, 9:00 to 17:00 (program time)"
    staffed_days: list[str] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    staffed_start: str = "09:00"  # program time zone; an end before the start runs overnight
    staffed_end: str = "17:00"

    _check_times = field_validator("staffed_start", "staffed_end")(validate_hhmm)

    @field_validator("staffed_days")
    @classmethod
    def _known_days(cls, value: list[str]) -> list[str]:
        days = [d.strip().lower()[:3] for d in value]
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown:
            raise ValueError("days are mon, tue, wed, thu, fri, sat, sun")
        return days

    # The first line of every DM the bot sends: a locked phone shows it, so it names
    # neither the program nor treatment. The message itself follows on the next line.
    dm_preview: str = Field(default="You have a new message.", min_length=1, max_length=80)

    @model_validator(mode="after")
    def _preview_is_neutral(self) -> ProgramSettings:
        revealing = reveals_treatment(self.dm_preview, self.name)
        if revealing or "\n" in self.dm_preview:
            found = ", ".join(revealing) or "a line break"
            raise ValueError(
                "program.dm_preview is the line a locked phone shows: one line, without the "
                f"program's name or clinical words (found: {found})"
            )
        return self


class DatabaseSettings(Section):
    path: Path = Path("iopbot.sqlite3")
    busy_timeout_ms: int = Field(default=5000, ge=0)
    # `iopbot doctor` and `/iopbot status` flag the last `iopbot backup` when it is older.
    backup_max_age_hours: int = Field(default=48, ge=1)


class CogSettings(Section):
    # The feature cogs to load; the registry in bot/extensions.py lists them all.
    enabled: list[str] = Field(default_factory=lambda: list(DEFAULT_ENABLED))


class OutboxSettings(Section):
    # With the limiter's burst of 5, 45/s keeps every second under Discord's 50 requests.
    rate_per_second: float = Field(default=45.0, gt=0, le=45)
    concurrency: int = Field(default=50, ge=1, le=200)
    poll_seconds: float = Field(default=5.0, gt=0)
    batch_size: int = Field(default=500, ge=1)
    max_attempts: int = Field(default=6, ge=1)
    retry_base_seconds: float = Field(default=30.0, gt=0)
    misfire_grace_seconds: int = Field(default=300, ge=1)


class LoggingSettings(Section):
    level: str = "INFO"
    json_format: bool = Field(default=True, alias="json")


class CrisisResource(Section):
    name: str
    contact: str


def _default_category_resources() -> dict[str, list[CrisisResource]]:
    return {
        "overdose_intent": [
            CrisisResource(
                name="Poison Control", contact="1-800-222-1222 (free, 24/7, for any overdose)"
            ),
            CrisisResource(
                name="Never Use Alone",
                contact="1-800-484-3731 (someone stays on the line and sends help if needed)",
            ),
        ]
    }


def _default_resources() -> list[CrisisResource]:
    return [
        CrisisResource(
            name="988 Suicide & Crisis Lifeline",
            contact="call or text 988 (also for substance-use crises)",
        ),
        CrisisResource(name="Crisis Text Line", contact="text DISCORD to 741741"),
        CrisisResource(
            name="SAMHSA National Helpline",
            contact="1-800-662-4357 (treatment referral, 24/7)",
        ),
        CrisisResource(
            name="Emergency services", contact="call 911 if you are in immediate danger"
        ),
    ]


class SafetySettings(Section):
    resources: list[CrisisResource] = Field(default_factory=_default_resources)
    # Added to the private crisis reply for a match of that category (e.g. overdose_intent).
    category_resources: dict[str, list[CrisisResource]] = Field(
        default_factory=_default_category_resources
    )
    # The crisis detector (bot/domain/crisis/) has its own lexicon; these are the program's
    # additional phrases: whole words after normalization, "word*" for any word starting
    # with "word", optional "category:" prefix (default active_ideation). docs/SAFETY.md.
    crisis_terms: list[str] = Field(default_factory=list)
    # Phrases that must never raise a crisis alert in this program (local idioms, names).
    crisis_idioms: list[str] = Field(default_factory=list)
    # Drug-sourcing phrases: the AutoMod preset blocks them (with a kind message) and alerts.
    sourcing_terms: list[str] = Field(
        default_factory=lambda: ["who's holding", "plug me", "anyone selling", "hook me up with"]
    )
    alert_dedupe_minutes: int = Field(default=60, ge=1)
    reescalate_hours: float = Field(default=4.0, gt=0)
    # Urgent alerts page the on-call role at once and again this often until acknowledged.
    urgent_repage_minutes: int = Field(default=15, ge=1)
    # AutoMod presets (/automod install): mention spam limit and the message a blocked
    # sourcing post shows its author (Discord allows at most 150 characters).
    automod_mention_limit: int = Field(default=5, ge=1, le=50)
    sourcing_block_message: str = Field(
        default=(
            "This space is for recovery support, so that message wasn't posted. "
            "A facilitator is here to help."
        ),
        max_length=150,
    )
    # How long moderation cases/notes, reports and crisis-event records are kept.
    mod_case_days: int = Field(default=365 * 2, ge=30)
    report_days: int = Field(default=365, ge=30)
    crisis_event_days: int = Field(default=365, ge=30)


class CheckinSettings(Section):
    default_time: str = "09:00"
    late_cutoff: str = "20:00"
    craving_alert_at: int = Field(default=8, ge=0, le=10)
    mood_alert_at: int = Field(default=3, ge=1, le=10)
    missed_in_a_row: int = Field(default=2, ge=1)
    alert_window_hours: float = Field(default=24.0, gt=0)
    dm_closed_after_days: int = Field(default=2, ge=1)
    items: list[str] = Field(default_factory=lambda: list(DEFAULT_ITEMS))
    late_submit_grace_minutes: int = Field(default=30, ge=0, le=180)
    safety_question: str = Field(default="Any thoughts of ending your life?", max_length=45)
    safety_help: str = Field(
        default="Since your last check-in. Only your care team sees your answer.",
        max_length=100,
    )
    harm_reduction_info: str = (
        "If you use, try not to use alone and keep naloxone (Narcan) close by. Fentanyl now "
        "turns up in cocaine, meth and other stimulants, and in pills that look like "
        "prescription ones: test strips help. After days or weeks without using, your "
        "tolerance drops: an amount you used to take can now be an overdose. The SAMHSA "
        "helpline (1-800-662-4357) is free and open 24/7."
    )
    coping_info: str = (
        "Some things that can help right now: wait out the wave for 15 minutes (cravings "
        "rise and pass), call or text someone from your support list, get moving or step "
        "outside, eat or drink something, or use a skill from group like urge surfing or "
        "slow breathing."
    )

    _check_times = field_validator("default_time", "late_cutoff")(validate_hhmm)

    @field_validator("items")
    @classmethod
    def _check_items(cls, value: list[str]) -> list[str]:
        return check_items(value)


class SecuritySettings(Section):
    # The program key (HMAC of link codes, pseudonyms in logs). Set it with
    # IOPBOT_SECURITY__KEY (64 hex characters), or iopbot keeps it in ``key_file``
    # (default: the database path + ".key"), created 0600 on first run.
    key: SecretStr | None = None
    key_file: Path | None = None
    # Per-person cooldowns: reports filed, and /mydata export files made.
    report_cooldown_seconds: int = Field(default=60, ge=0)
    export_cooldown_minutes: int = Field(default=60, ge=0)

    @field_validator("key")
    @classmethod
    def _key_is_hex(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            text = value.get_secret_value()
            if len(text) < 64 or any(ch not in "0123456789abcdefABCDEF" for ch in text):
                raise ValueError("must be at least 64 hexadecimal characters (32 bytes)")
        return value


class CoreRetentionSettings(Section):
    """The core's retention settings; each cog's retention classes add theirs
    (:func:`build_retention_settings`)."""

    outbox_days: int = Field(default=90, ge=1)
    audit_days: int = Field(default=365 * 6, ge=365 * 6)
    discharged_records_days: int = Field(default=365 * 2, ge=30)
    delete_confirm_minutes: int = Field(default=10, ge=1, le=60)
    purge_time: str = "03:30"

    _check_time = field_validator("purge_time")(validate_hhmm)


def build_retention_settings(declared: tuple[CogSpec[Any], ...]) -> type[CoreRetentionSettings]:
    """``[retention]``: the core's keys plus every cog's declared retention classes."""
    fields: dict[str, Any] = {}
    for spec in declared:
        for kept in spec.retention:
            if kept.section != "retention":
                continue
            if kept.setting in CoreRetentionSettings.model_fields or kept.setting in fields:
                raise TypeError(f"cog {spec.name}: retention.{kept.setting} is declared twice")
            fields[kept.setting] = (
                int,
                Field(default=kept.default_days, ge=kept.minimum_days, description=kept.doc),
            )
    built: type[CoreRetentionSettings] = create_model(
        "RetentionSettings", __base__=CoreRetentionSettings, __module__=__name__, **fields
    )
    return built


if TYPE_CHECKING:
    RetentionSettings = CoreRetentionSettings
else:
    RetentionSettings = build_retention_settings(specs())


class CoreSettings(BaseSettings):
    """The core's sections; :data:`Settings` adds each cog's declared section."""

    model_config = SettingsConfigDict(
        env_prefix="IOPBOT_",
        env_nested_delimiter="__",
        extra="forbid",
        hide_input_in_errors=True,
        frozen=True,
    )

    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    roles: RoleSettings = Field(default_factory=RoleSettings)
    channels: ChannelSettings = Field(default_factory=ChannelSettings)
    program: ProgramSettings = Field(default_factory=ProgramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    cogs: CogSettings = Field(default_factory=CogSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)
    checkins: CheckinSettings = Field(default_factory=CheckinSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)

    _toml_path: ClassVar[Path | None] = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_path = getattr(settings_cls, "_toml_path", None)
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


def build_settings(
    declared: tuple[CogSpec[Any], ...], retention: type[CoreRetentionSettings] | None = None
) -> type[CoreSettings]:
    """``Settings``: the core sections plus each cog's declared ``[section]``, and
    ``[retention]`` with the declared retention classes (``retention``, else built here).

    A cog reads its section typed with ``SPEC.section_of(settings)``; the attribute
    (``settings.careline``) exists too, untyped for mypy.
    """
    kept = retention if retention is not None else build_retention_settings(declared)
    fields: dict[str, Any] = {"retention": (kept, Field(default_factory=kept))}
    for spec in declared:
        if spec.settings is None:
            continue
        name = spec.section_name
        if name in CoreSettings.model_fields or name in fields:
            raise TypeError(f"cog {spec.name}: settings section [{name}] is declared twice")
        fields[name] = (spec.settings, Field(default_factory=spec.settings))
    built: type[CoreSettings] = create_model(
        "Settings", __base__=CoreSettings, __module__=__name__, **fields
    )
    return built


if TYPE_CHECKING:
    Settings = CoreSettings
else:
    Settings = build_settings(specs(), RetentionSettings)


class ConfigError(Exception):
    """The configuration could not be loaded; ``problems`` are ``key: problem`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_settings(path: Path | None, **overrides: Any) -> Settings:
    """Read ``path`` (TOML) under ``IOPBOT_`` environment overrides.

    ``path=None`` reads only the environment. A missing or unreadable file, bad TOML or
    an invalid value raises :class:`ConfigError` with one ``key: problem`` line each.
    """
    if path is not None:
        if not path.is_file():
            raise ConfigError([f"config: file not found: {path}"])
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([f"config: cannot read {path}: {type(exc).__name__}"]) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"config: not valid TOML: {exc}"]) from None
    loaded = type("LoadedSettings", (Settings,), {"_toml_path": path})
    try:
        return loaded(**overrides)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        key = ".".join(str(part) for part in error["loc"]) or "config"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"{key}: {message}")
    return lines


def summarize(settings: Settings) -> list[str]:
    """A human summary for ``check-config``: every section, the token redacted."""
    token = settings.discord.token
    lines = [
        f"discord.token: {'set (redacted)' if token else 'not set (use IOPBOT_DISCORD__TOKEN)'}",
        f"discord.guild_id: {settings.discord.guild_id}",
        f"discord.message_content: {settings.discord.message_content}",
        f"program: {settings.program.name} ({settings.program.timezone.key})",
        f"database.path: {settings.database.path}",
        f"cogs.enabled: {', '.join(settings.cogs.enabled)}",
    ]
    for field in ("facilitator", "client", "family", "on_call", "auditor"):
        lines.append(f"roles.{field}: {getattr(settings.roles, field)}")
    for field in ("staff_alerts", "mod_log", "family_welcome", "cohort_category", "care_team"):
        lines.append(f"channels.{field}: {getattr(settings.channels, field)}")
    return lines
