"""Backups of the central database that are useless without the operator's passphrase.

`write_backup(db, out, passphrase)`: SQLite through the online backup API (a consistent copy
while the API serves), PostgreSQL through `pg_dump --format=custom`; the dump is sealed with
AES-256-GCM under a key derived from the passphrase (Argon2id, parameters and salt in the
file's header, which the seal authenticates too) and written 0600. `restore_backup` opens it
(a wrong passphrase or a changed byte is refused before anything is written) and brings it
back into a new SQLite file or an empty PostgreSQL database.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from outreach_tui.safefile import atomic_write_bytes
from sync.server.database import describe, is_postgres

MAGIC = b"OUTREACH-CENTRAL-BACKUP-1\n"


class BackupError(Exception):
    """A backup cannot be written or restored; `code` is a translation key."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, or Debian's versioned folder (newest first)."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError("server.backup.no_tool", tool=name)
    return found


def _dump(db: str) -> tuple[str, bytes]:
    """(kind, bytes) of a consistent copy of the database."""
    if is_postgres(db):
        done = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--dbname", db],
            capture_output=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError("server.backup.dump_failed", db=describe(db))
        return "postgres", done.stdout
    source = Path(db)
    if not source.is_file():
        raise BackupError("server.db_missing", path=str(source))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return "sqlite", copy.read_bytes()


def write_backup(db: str, out: Path, passphrase: str) -> int:
    """Write the sealed backup of `db` to `out` (0600, atomically); returns its size."""
    # The laptop's key derivation (Argon2id), imported here: its package opens the store.
    from outreach_tui.vault.keyfile import DEFAULT_KDF as kdf
    from outreach_tui.vault.keyfile import derive_kek

    kind, data = _dump(db)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps(
        {"kind": kind, "kdf": dataclasses.asdict(kdf), "salt": salt.hex(), "nonce": nonce.hex()}
    ).encode()
    sealed = AESGCM(derive_kek(passphrase, salt, kdf)).encrypt(nonce, data, MAGIC + header)
    blob = MAGIC + len(header).to_bytes(4, "big") + header + sealed
    atomic_write_bytes(out, blob)
    os.chmod(out, 0o600)
    return len(blob)


def open_backup(path: Path, passphrase: str) -> tuple[str, bytes]:
    """(kind, dump) of a sealed backup; BackupError for a foreign file or a wrong passphrase."""
    try:
        blob = path.read_bytes()
    except OSError:
        raise BackupError("server.backup.unreadable", path=str(path)) from None
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        raise BackupError("server.backup.not_backup", path=str(path))
    at = len(MAGIC)
    size = int.from_bytes(blob[at : at + 4], "big")
    header_bytes = blob[at + 4 : at + 4 + size]
    from outreach_tui.vault.keyfile import KdfParams, derive_kek

    try:
        header: dict[str, Any] = json.loads(header_bytes)
        kdf = KdfParams(**header["kdf"])
        key = derive_kek(passphrase, bytes.fromhex(header["salt"]), kdf)
        data = AESGCM(key).decrypt(
            bytes.fromhex(header["nonce"]), blob[at + 4 + size :], MAGIC + header_bytes
        )
    except InvalidTag:
        raise BackupError("server.backup.wrong_passphrase", path=str(path)) from None
    except (ValueError, KeyError, TypeError):
        raise BackupError("server.backup.not_backup", path=str(path)) from None
    return str(header["kind"]), data


def restore_backup(path: Path, db: str, passphrase: str) -> str:
    """Bring a backup back into `db`: a SQLite file that does not exist yet, or an empty
    PostgreSQL database; returns the kind. Nothing is written before the seal checked out."""
    kind, data = open_backup(path, passphrase)
    if kind == "postgres" and not is_postgres(db):
        raise BackupError("server.backup.kind_mismatch", path=str(path))
    if kind == "sqlite" and is_postgres(db):
        raise BackupError("server.backup.kind_mismatch", path=str(path))
    if kind == "sqlite":
        target = Path(db)
        if target.exists() and target.stat().st_size > 0:
            raise BackupError("server.backup.target_exists", db=describe(db))
        atomic_write_bytes(target, data)
        os.chmod(target, 0o600)
        return kind
    import psycopg

    from sync.server.pg_schema import current_version

    with psycopg.connect(db, autocommit=True) as conn:
        if current_version(conn) != 0:
            raise BackupError("server.backup.target_exists", db=describe(db))
    with tempfile.NamedTemporaryFile(suffix=".dump") as dump:
        dump.write(data)
        dump.flush()
        done = subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
             "--dbname", db, dump.name],
            capture_output=True, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise BackupError("server.backup.restore_failed", db=describe(db))
    return kind
