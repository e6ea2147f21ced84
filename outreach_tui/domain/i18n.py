"""The project's one translation table: every sentence an officer reads, in Indonesian and English.

The table is read from the package data files in `TABLE_FILES` (TOML, one table per key with an
`id` and an `en` string, `{placeholders}` for parameters). Bahasa Indonesia is the primary
language: a missing English string falls back to it, and a missing key shows the key itself, so a
gap in the table never breaks a screen or a report.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"

# Validation messages and labels first, then the strings of the commands and screens.
TABLE_FILES: tuple[str, ...] = (
    "messages.toml",
    "ui.toml",
    "server.toml",
    "security.toml",
    "slips.toml",
    "tui.toml",
    "tui_home.toml",
    "tui_records.toml",
    "tui_form.toml",
    "tui_detail.toml",
    "tui_sync.toml",
    "tui_reports.toml",
    "transport.toml",
    "access.toml",
    "files.toml",
    "failures.toml",
    "limits.toml",
    "laptop.toml",
    "console.toml",
    "groups.toml",
)


class _Keep(dict[str, Any]):
    """Leaves an unknown `{placeholder}` as written instead of failing the whole message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@functools.cache
def table() -> Mapping[str, Mapping[str, str]]:
    """The whole table, key -> language -> text, read once from the package data."""
    merged: dict[str, dict[str, str]] = {}
    data = resources.files(__name__.rpartition(".")[0]).joinpath("data")
    for name in TABLE_FILES:
        source = data.joinpath(name)
        if not source.is_file():
            continue
        for key, entry in tomllib.loads(source.read_text(encoding="utf-8")).items():
            if isinstance(entry, dict):
                merged[key] = {lang: str(text) for lang, text in entry.items()}
    return merged


def has_key(key: str) -> bool:
    """Whether the table carries `key`, so callers can pick a more generic message instead."""
    return key in table()


def normalize_language(lang: str | None) -> str:
    """A supported language code for `lang` (`en_US`, `EN`, `id-ID` work); Indonesian otherwise."""
    if not lang:
        return DEFAULT_LANGUAGE
    short = lang.strip().lower().replace("-", "_").split("_", 1)[0]
    return short if short in LANGUAGES else DEFAULT_LANGUAGE


def format_message(key: str, lang: str, params: Mapping[str, Any]) -> str:
    """Like `translate`, parameters as a mapping (so names such as `key` or `lang` work too)."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    if not params or "{" not in text:
        return text
    try:
        return text.format_map(_Keep(params))
    except (ValueError, IndexError, AttributeError, KeyError):
        # A malformed template is a bug in the table; show it rather than fail the caller.
        return text


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for `key` in `lang` with `{placeholders}` filled; falls back to id, then the key."""
    return format_message(key, lang, params)


def os_reason(exc: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """What an OS error means, in the reader's language (the OS's own text is English only):
    the common errors by name (`oserror.ENOTDIR`), any other as its errno name and text."""
    import errno

    code = getattr(exc, "errno", None) or 0
    name = errno.errorcode.get(code, "")
    if name and has_key(f"oserror.{name}"):
        return translate(f"oserror.{name}", lang)
    text = getattr(exc, "strerror", None)
    return f"{name}: {text}" if name and text else type(exc).__name__
