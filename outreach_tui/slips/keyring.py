"""The public keys this laptop trusts for slips: its own, and those learned from the central API.

Kept in `known_keys.json` under `paths.keys_dir`:
`{"format": 1, "keys": [{"key_id", "public_key", "officer_id", "branch", "source", ...}]}`.
The device's own key is not copied into the file; `load_keyring` adds it from the device's
public key file, so it is always there and never stale. Every key is checked when added and when
read (its id must be the sha256 of its public key), so a hand-edited file cannot smuggle one in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from outreach_tui.config import Paths
from outreach_tui.domain.bounded import read_text_bounded
from outreach_tui.slips import keys
from outreach_tui.slips.signing import KeyFormatError, KnownKey, known_key_from

KNOWN_KEYS_FILE = "known_keys.json"
FILE_FORMAT = 1


class KeyringError(Exception):
    """known_keys.json exists but cannot be used; says which file and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Keyring(Mapping[str, KnownKey]):
    """Known keys by key id: what `verify_payload` looks signers up in."""

    def __init__(self, known: Mapping[str, KnownKey]) -> None:
        self._keys = dict(known)

    def __getitem__(self, key_id: str) -> KnownKey:
        return self._keys[key_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def keyring_path(paths: Paths) -> Path:
    """Where the known keys are kept."""
    return paths.keys_dir / KNOWN_KEYS_FILE


def _read(paths: Paths) -> dict[str, KnownKey]:
    path = keyring_path(paths)
    try:
        data = json.loads(read_text_bounded(path))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise KeyringError(path, "not a readable JSON file") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeyringError(path, "no 'keys' list")
    found: dict[str, KnownKey] = {}
    for index, entry in enumerate(data["keys"]):
        if not isinstance(entry, dict):
            raise KeyringError(path, f"keys[{index}] is not an object")
        try:
            known = known_key_from(entry)
        except KeyFormatError as exc:
            raise KeyringError(path, f"keys[{index}]: {exc}") from exc
        found[known.key_id] = known
    return found


def _write(paths: Paths, known: Mapping[str, KnownKey]) -> None:
    paths.ensure()
    path = keyring_path(paths)
    data = {"format": FILE_FORMAT, "keys": [k.to_json() for k in known.values()]}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def add_known_key(paths: Paths, info: Mapping[str, Any]) -> KnownKey:
    """Trust a public key (`{key_id, public_key, officer_id, branch}`); replaces the same id.

    `source` defaults to `central` (learned at sync); KeyFormatError for a bad key or id.
    """
    known = known_key_from(info)
    if known.added_at is None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        known = KnownKey(**{**known.to_json(), "added_at": stamp})
    current = _read(paths)
    current[known.key_id] = known
    _write(paths, current)
    return known


def load_keyring(paths: Paths) -> Keyring:
    """Every key this laptop trusts: known_keys.json plus its own device key (if it has one)."""
    known = _read(paths)
    try:
        own = keys.load_public_info(paths)
    except keys.KeyFileError as exc:
        raise KeyringError(exc.path, exc.reason) from exc
    if own is not None:
        try:
            mine = known_key_from(own, source="self")
        except KeyFormatError as exc:
            raise KeyringError(keys.public_key_path(paths), str(exc)) from exc
        known[mine.key_id] = mine
    return Keyring(known)
