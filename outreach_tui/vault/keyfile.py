"""The wrapped data key on disk: Argon2id derives a key-encryption key, AES-256-GCM wraps.

``keys_dir/datakey.json`` is the only place the data key exists outside memory, and only
wrapped. Changing the passphrase rewrites this file, never the database.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from outreach_tui.domain.bounded import InputTooLarge, NotRegularFile, read_text_bounded

FORMAT_VERSION = 1
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
# Binds the wrapped key to its purpose: a blob wrapped for anything else never unwraps here.
_AAD = b"outreach datakey v1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, passes, lanes (stored with the key so old files still open)."""

    memory_kib: int = 64 * 1024
    time_cost: int = 3
    parallelism: int = 1


# Above OWASP's minimum (m=19 MiB, t=2, p=1) and still ~0.2 s on a field laptop (docs/security.md).
DEFAULT_KDF = KdfParams()
OWASP_MINIMUM = KdfParams(memory_kib=19 * 1024, time_cost=2, parallelism=1)
# Refuse absurd costs read from a file: a tampered file must not make unlock hang the laptop.
_MAX_MEMORY_KIB = 4 * 1024 * 1024
_MAX_TIME_COST = 64


class KeyFileError(Exception):
    """The key file is missing a field, is not JSON, or names an unknown format."""


class BadPassphrase(Exception):
    """The passphrase does not unwrap the data key (or the wrapped key was altered)."""


def normalize(passphrase: str) -> bytes:
    """The passphrase as bytes: NFC first, so the same letters typed elsewhere give the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The key-encryption key for ``passphrase`` (Argon2id, raw 32 bytes)."""
    return hash_secret_raw(
        normalize(passphrase),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, name: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError as exc:
        raise KeyFileError(f"field {name} is not base64") from exc


def wrap(data_key: bytes, passphrase: str, params: KdfParams, created: str | None = None) -> dict:
    """The key file's content for ``data_key`` under ``passphrase`` (fresh salt and nonce)."""
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    kek = derive_kek(passphrase, salt, params)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "format": FORMAT_VERSION,
        "kdf": {"name": "argon2id", "version": 19, **asdict(params), "salt": _b64(salt)},
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "wrapped_key": _b64(AESGCM(kek).encrypt(nonce, data_key, _AAD)),
        "created": created or now,
        "updated": now,
    }


def unwrap(content: dict, passphrase: str) -> bytes:
    """The data key from the key file's content; BadPassphrase when the passphrase is wrong."""
    try:
        if content["format"] != FORMAT_VERSION or content["cipher"] != "aes-256-gcm":
            raise KeyFileError("unknown key file format")
        kdf = content["kdf"]
        if kdf["name"] != "argon2id":
            raise KeyFileError("unknown key derivation")
        params = KdfParams(int(kdf["memory_kib"]), int(kdf["time_cost"]), int(kdf["parallelism"]))
        salt = _unb64(kdf["salt"], "kdf.salt")
        nonce = _unb64(content["nonce"], "nonce")
        wrapped = _unb64(content["wrapped_key"], "wrapped_key")
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"key file field missing or invalid: {exc.__class__.__name__}") from exc
    if not (8 <= params.memory_kib <= _MAX_MEMORY_KIB and 1 <= params.time_cost <= _MAX_TIME_COST):
        raise KeyFileError("key derivation cost out of range")
    if not 1 <= params.parallelism <= 16 or len(nonce) != NONCE_BYTES or len(salt) < 8:
        raise KeyFileError("key file parameters out of range")
    kek = derive_kek(passphrase, salt, params)
    try:
        data_key = AESGCM(kek).decrypt(nonce, wrapped, _AAD)
    except InvalidTag:
        raise BadPassphrase("the passphrase does not open the data key") from None
    if len(data_key) != KEY_BYTES:
        raise KeyFileError("wrapped key has the wrong length")
    return data_key


def read_json(path: Path) -> dict:
    """A JSON object from ``path``; KeyFileError when it is not one."""
    try:
        content = json.loads(read_text_bounded(path))
    except (InputTooLarge, NotRegularFile) as exc:
        raise KeyFileError(f"{path.name} is not a regular file of at most 1 MiB") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeyFileError(f"{path.name} is not readable JSON") from exc
    if not isinstance(content, dict):
        raise KeyFileError(f"{path.name} is not a JSON object")
    return content


def write_private(path: Path, content: dict, *, exclusive: bool = False) -> None:
    """Write JSON atomically (temp file, fsync, rename, fsync folder), readable by the user only.

    ``exclusive``: fail with FileExistsError rather than replace an existing file, so two
    processes creating a data key at once can never overwrite each other's key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # atomic, and refuses to replace
            tmp.unlink()
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
