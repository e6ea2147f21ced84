"""Settings and paths: one typed settings object, one place that knows where files live.

`OUTREACH_HOME` (a folder) holds all local state when set; otherwise the platform's
usual folders are used (platformdirs). Nothing here opens the database.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from outreach_tui.domain.bounded import read_text_bounded
from outreach_tui.domain.i18n import translate
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from outreach_tui.safefile import private_folder

APP_NAME = "outreach"
HOME_ENV = "OUTREACH_HOME"
LANG_ENV = "OUTREACH_LANG"


@dataclass(frozen=True)
class Paths:
    """Every folder and file the tool keeps; computed once from the environment."""

    data_dir: Path
    config_dir: Path
    keys_dir: Path
    log_dir: Path

    @property
    def db_path(self) -> Path:
        """The local store of records, visits and the sync outbox."""
        return self.data_dir / "outreach.db"

    @property
    def config_file(self) -> Path:
        """The officer's settings written by `outreach setup`."""
        return self.config_dir / "config.toml"

    @property
    def log_file(self) -> Path:
        """The rotating log (never holds personal data)."""
        return self.log_dir / "outreach.log"

    def ensure(self) -> None:
        """Create the folders, private to the user (they hold personal data)."""
        for folder in (self.data_dir, self.config_dir, self.keys_dir, self.log_dir):
            private_folder(folder)  # missing parents (OUTREACH_HOME itself) are made 0700 too
            with contextlib.suppress(OSError):  # filesystems without modes
                folder.chmod(0o700)


def resolve_paths(env: dict[str, str] | None = None) -> Paths:
    """Where local state lives: under OUTREACH_HOME when set, else platform folders."""
    environ = os.environ if env is None else env
    home = environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(root / "data", root / "config", root / "keys", root / "logs")
    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
        keys_dir=Path(platformdirs.user_data_dir(APP_NAME)) / "keys",
        log_dir=Path(platformdirs.user_log_dir(APP_NAME)),
    )


class Settings(BaseModel):
    """The officer's settings; what `outreach setup` and the first-run screen ask for."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    officer_id: str = Field("", max_length=64, description="The officer's or agent's id.")
    officer_name: str = Field("", max_length=100, description="Name shown on slips and reports.")
    branch: str = Field("", max_length=32, description="Kantor cabang code the officer works for.")
    server_url: str = Field(
        "",
        max_length=500,
        description="Central API base URL; empty: none. https:// (http:// only on loopback).",
    )
    ca_file: str = Field(
        "",
        max_length=1000,
        description="The branch's own CA certificate (PEM) that verifies the central API; "
        "empty: the system's trust store. `outreach setup --ca-file` copies it here.",
    )
    device_token: str = Field(
        "",
        max_length=500,
        description="Legacy place of the token: it now lives in the encrypted store.",
    )
    language: str = Field("id", description="Language of every word an officer reads: id or en.")
    theme: str = Field("dark", description="TUI theme: dark or light (light reads in sunlight).")
    sync_interval_minutes: int = Field(
        10, ge=0, le=1440, description="Background sync interval; 0 turns it off."
    )
    monthly_target: int = Field(0, ge=0, le=100_000, description="Own enrollment target per month.")
    area_code: str = Field("", max_length=13, description="Current working area (desa code).")
    area_rw: str = Field("", max_length=3, description="Current working RW, three digits.")
    area_rt: str = Field("", max_length=3, description="Current working RT, three digits.")
    lock_after_minutes: int = Field(
        10, ge=1, le=240, description="The TUI locks (drops the data key) after this idle time."
    )
    backup_reminder_hours: int = Field(
        24,
        ge=0,
        le=24 * 30,
        description="Home reminds the officer to back up when changes waited unsent this long "
        "and no backup was made since; 0 turns the reminder off.",
    )
    retention_days: int = Field(
        30,
        ge=0,
        le=3650,
        description="Personal data of records the central API acknowledged longer ago than "
        "this many days is removed from the laptop (`outreach purge`).",
    )

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("id", "en"):
            raise ValueError("language must be 'id' or 'en'")
        return value

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in ("dark", "light"):
            raise ValueError("theme must be 'dark' or 'light'")
        return value

    @field_validator("server_url")
    @classmethod
    def _safe_url(cls, value: str) -> str:
        try:
            return check_server_url(value)
        except ServerUrlError as exc:
            raise ValueError(translate(exc.code, "en", field="server_url")) from None

    @property
    def is_set_up(self) -> bool:
        """True once the officer has given an id, a name and a branch."""
        return bool(self.officer_id and self.officer_name and self.branch)


class SettingsError(Exception):
    """The settings file is unreadable or breaks a rule; names the field and the rule."""

    def __init__(self, path: Path, field: str, rule: str) -> None:
        super().__init__(f"{path}: {field}: {rule}")
        self.path = path
        self.field = field
        self.rule = rule


def load_settings(paths: Paths) -> Settings:
    """Read the settings file; missing means defaults, a broken file raises SettingsError."""
    path = paths.config_file
    if not path.exists():
        return Settings()
    try:
        raw: dict[str, Any] = tomllib.loads(read_text_bounded(path))
    except (OSError, ValueError) as exc:  # undecodable, not TOML, too large, not a file
        raise SettingsError(path, "-", f"not a readable TOML file ({exc})") from exc
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "-"
        raise SettingsError(path, field, first["msg"]) from exc


def save_settings(paths: Paths, settings: Settings) -> Path:
    """Write the settings atomically (temp file + rename), readable by the user only."""
    paths.ensure()
    path = paths.config_file
    tmp = path.with_suffix(".tmp")
    data = tomli_w.dumps(settings.model_dump())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def language(settings: Settings | None = None) -> str:
    """The language for messages: OUTREACH_LANG wins, then the settings, then Indonesian."""
    env = os.environ.get(LANG_ENV, "")
    if env in ("id", "en"):
        return env
    return settings.language if settings else "id"
