"""The device's Ed25519 signing key: made once per laptop, kept under `paths.keys_dir`.

Two files: `device_ed25519.key` (the private key, sealed with the laptop's data key by
`vault.encrypt_blob`, purpose `slip-key`, mode 0600) and `device_ed25519.json` (the public half:
key id, public key, device id, creation time, in the clear). Only `load_private_key` and
`save_private_key` touch the private file, so opening it needs the data key (the officer's
passphrase); the public file lets the keyring and slip checks work while the laptop is locked.

An older release kept the private key as a plaintext PEM (`device_ed25519.pem`); the first load
with the data key seals it into the new file, then overwrites the old file with zeros and
removes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outreach_tui.config import Paths
from outreach_tui.domain.bounded import (
    SMALL_FILE_BYTES,
    InputTooLarge,
    NotRegularFile,
    read_bounded,
    read_text_bounded,
)
from outreach_tui.slips.signing import (
    ALGORITHM,
    KnownKey,
    encode_public_key,
    key_id_for,
)
from outreach_tui.vault.blob import BlobError, decrypt_blob, encrypt_blob

PRIVATE_KEY_FILE = "device_ed25519.key"
LEGACY_PRIVATE_KEY_FILE = "device_ed25519.pem"  # plaintext PKCS#8 PEM of older releases
PUBLIC_KEY_FILE = "device_ed25519.json"
BLOB_PURPOSE = b"slip-key"
_SEED_BYTES = 32


class KeyFileError(Exception):
    """A key file that exists but cannot be used; says which file and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def private_key_path(paths: Paths) -> Path:
    """Where the device's private key lives (sealed with the data key)."""
    return paths.keys_dir / PRIVATE_KEY_FILE


def legacy_private_key_path(paths: Paths) -> Path:
    """Where an older release left the private key in the clear (migrated on first load)."""
    return paths.keys_dir / LEGACY_PRIVATE_KEY_FILE


def public_key_path(paths: Paths) -> Path:
    """Where the device's public key and its metadata live."""
    return paths.keys_dir / PUBLIC_KEY_FILE


def new_device_id() -> str:
    """A fresh device id for a laptop that has none yet."""
    return str(uuid.uuid4())


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )


def _seed(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        encoding=serialization.Encoding.Raw,
        format=serialization.PrivateFormat.Raw,
        encryption_algorithm=serialization.NoEncryption(),
    )


def load_private_key(paths: Paths, *, data_key: bytes) -> Ed25519PrivateKey:
    """Read the private key (FileNotFoundError when there is none, KeyFileError when broken).

    A plaintext key of an older release is sealed with `data_key` first and then erased.
    """
    path = private_key_path(paths)
    try:
        blob = read_bounded(path, SMALL_FILE_BYTES)
    except FileNotFoundError:
        return _migrate_legacy(paths, data_key)
    except (InputTooLarge, NotRegularFile) as exc:
        raise KeyFileError(path, "not a regular file of at most 1 MiB") from exc
    try:
        seed = decrypt_blob(data_key, blob, purpose=BLOB_PURPOSE)
    except BlobError as exc:
        raise KeyFileError(path, "does not open with this laptop's data key") from exc
    if len(seed) != _SEED_BYTES:
        raise KeyFileError(path, "not an Ed25519 key")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    legacy = legacy_private_key_path(paths)
    if legacy.exists():  # a migration stopped after sealing: finish erasing the old file
        with contextlib.suppress(KeyFileError, FileNotFoundError):
            if _raw_public(_read_legacy(legacy)) == _raw_public(key):
                _erase(legacy)
    return key


def _read_legacy(path: Path) -> Ed25519PrivateKey:
    try:
        data = read_bounded(path, SMALL_FILE_BYTES)
    except (InputTooLarge, NotRegularFile) as exc:
        raise KeyFileError(path, "not a regular file of at most 1 MiB") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(path, "not a readable private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(path, "not an Ed25519 key")
    return key


def _migrate_legacy(paths: Paths, data_key: bytes) -> Ed25519PrivateKey:
    """Seal an old plaintext PEM into the encrypted file, then overwrite and remove the PEM."""
    legacy = legacy_private_key_path(paths)
    try:
        key = _read_legacy(legacy)  # FileNotFoundError: this laptop has no key at all
    except KeyFileError:
        if private_key_path(paths).exists():  # another process migrated it meanwhile
            return load_private_key(paths, data_key=data_key)
        raise
    with contextlib.suppress(FileExistsError):  # another process sealed it first: same key
        save_private_key(paths, key, data_key=data_key)
    sealed = load_private_key(paths, data_key=data_key)
    if _raw_public(sealed) != _raw_public(key):
        raise KeyFileError(private_key_path(paths), "differs from the old plaintext key")
    _erase(legacy)
    return sealed


def _erase(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then remove it."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    _sync_dir(path.parent)


def save_private_key(paths: Paths, key: Ed25519PrivateKey, *, data_key: bytes) -> Path:
    """Seal and write the private key once, mode 0600, durably; FileExistsError if one exists."""
    paths.ensure()
    path = private_key_path(paths)
    data = encrypt_blob(data_key, _seed(key), purpose=BLOB_PURPOSE)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # link() never replaces: of two processes racing to create the key, one wins.
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_dir(path.parent)
    return path


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_public_info(paths: Paths) -> dict[str, Any] | None:
    """The device's public key file as a dict, or None when the device has no key yet."""
    path = public_key_path(paths)
    try:
        data = json.loads(read_text_bounded(path))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyFileError(path, "not a readable JSON file") from exc
    if not isinstance(data, dict) or not isinstance(data.get("public_key"), str):
        raise KeyFileError(path, "no public_key")
    return data


@dataclass(frozen=True)
class DeviceKey:
    """This laptop's signing key: signs slips; its public half goes to the central API."""

    device_id: str
    key_id: str
    public_key: bytes
    created_at: str
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of `message` (deterministic: same message, same signature)."""
        return self.private_key.sign(message)

    def public_key_b64(self) -> str:
        """The raw public key in standard base64."""
        return encode_public_key(self.public_key)

    def public_info(self) -> dict[str, str]:
        """What the first sync uploads (`POST /v1/devices/key`): key id, public key, algorithm."""
        return {"key_id": self.key_id, "public_key": self.public_key_b64(), "algorithm": ALGORITHM}

    def known_key(self) -> KnownKey:
        """This key as the local keyring lists it (source `self`)."""
        return KnownKey(self.key_id, self.public_key_b64(), source="self", added_at=self.created_at)


def _device_key(key: Ed25519PrivateKey, info: dict[str, Any]) -> DeviceKey:
    raw = _raw_public(key)
    return DeviceKey(
        device_id=str(info.get("device_id", "")),
        key_id=key_id_for(raw),
        public_key=raw,
        created_at=str(info.get("created_at", "")),
        private_key=key,
    )


def _public_file(key: Ed25519PrivateKey, device_id: str, created_at: str) -> dict[str, Any]:
    raw = _raw_public(key)
    return {
        "key_id": key_id_for(raw),
        "public_key": encode_public_key(raw),
        "algorithm": ALGORITHM,
        "device_id": device_id,
        "created_at": created_at,
    }


def ensure_device_key(paths: Paths, *, data_key: bytes, device_id: str) -> DeviceKey:
    """The device key, created on first call (idempotent; `device_id` is kept from creation)."""
    paths.ensure()
    try:
        key = load_private_key(paths, data_key=data_key)
    except FileNotFoundError:
        # FileExistsError: another process made it first; theirs is used.
        with contextlib.suppress(FileExistsError):
            save_private_key(paths, Ed25519PrivateKey.generate(), data_key=data_key)
        key = load_private_key(paths, data_key=data_key)
    try:
        info = load_public_info(paths)
    except KeyFileError:
        info = None
    raw = _raw_public(key)
    if info is None or info.get("public_key") != encode_public_key(raw):
        # Missing or stale (a crash between the two writes): rebuilt from the private key.
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        info = _public_file(key, device_id, now)
        _write_json(public_key_path(paths), info)
    return _device_key(key, info)


def load_device_key(paths: Paths, *, data_key: bytes) -> DeviceKey | None:
    """The device key if this laptop has one (never creates it)."""
    try:
        key = load_private_key(paths, data_key=data_key)
    except FileNotFoundError:
        return None
    info = load_public_info(paths) or {}
    return _device_key(key, info)


def export_public_key(key: DeviceKey, settings: Any) -> dict[str, str]:
    """The public key with whose it is, as `outreach slip-key` prints it (JSON)."""
    return {
        "key_id": key.key_id,
        "officer_id": str(getattr(settings, "officer_id", "") or ""),
        "branch": str(getattr(settings, "branch", "") or ""),
        "public_key": key.public_key_b64(),
    }
