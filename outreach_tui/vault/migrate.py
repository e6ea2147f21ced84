"""Turn a store written before encryption into an encrypted one, leaving no plaintext behind.

Order (each step safe to crash after): checkpoint the plain file; export it into
``outreach.db.encrypting`` with ``sqlcipher_export``; fsync; verify the copy opens with the
key and holds the same rows; rename it over the plain file; then overwrite and remove the
plain bytes (kept reachable through a hard link until then) and the plain -wal/-shm.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from outreach_tui.store.connection import PAGE_SIZE, Connection, Error, connect

from .keyfile import fsync_dir

SQLITE_HEADER = b"SQLite format 3\x00"
_CHUNK = 1024 * 1024


class MigrationError(Exception):
    """The encrypted copy could not be made or did not verify; the plain file is untouched."""


def is_plain_sqlite(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite file (its first 16 bytes say so in the clear)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def scrub(path: Path) -> None:
    """Overwrite a file with zeros, fsync, then remove it (best effort on SSDs: see docs)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with contextlib.suppress(OSError), path.open("r+b") as handle:
        left = size
        zeros = bytes(_CHUNK)
        while left > 0:
            step = min(left, _CHUNK)
            handle.write(zeros[:step])
            left -= step
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink(missing_ok=True)


def _counts(conn: Connection, schema: str = "main") -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    return {t: conn.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0] for t in tables}


def cleanup_leftovers(path: Path) -> None:
    """Remove what an interrupted migration may have left: a half copy and old plain bytes."""
    Path(f"{path}.encrypting").unlink(missing_ok=True)
    for side in _sidecars(Path(f"{path}.encrypting")):
        side.unlink(missing_ok=True)
    scrub(Path(f"{path}.plain-old"))


def encrypt_plain_store(path: Path, key: bytes) -> dict[str, int]:
    """Replace the plain store at ``path`` by an encrypted copy under ``key``; rows per table."""
    cleanup_leftovers(path)
    tmp = Path(f"{path}.encrypting")
    try:
        plain = connect(path)
    except Error as exc:
        raise MigrationError("the old data file cannot be read") from exc
    try:
        # Everything in the WAL goes into the main file first, so the export sees it all.
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        expected = _counts(plain)
        plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(tmp), f"x'{key.hex()}'"))
        plain.execute(f"PRAGMA encrypted.cipher_page_size = {PAGE_SIZE}")
        plain.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        plain.execute("DETACH DATABASE encrypted")
    except Error as exc:
        plain.close()
        tmp.unlink(missing_ok=True)
        raise MigrationError("the encrypted copy could not be written") from exc
    plain.close()
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    try:
        copy = connect(tmp, key=key)
        try:
            ok = copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            ok = ok and _counts(copy) == expected
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            copy.close()
    except Error as exc:
        tmp.unlink(missing_ok=True)
        raise MigrationError("the encrypted copy does not open") from exc
    if not ok:
        tmp.unlink(missing_ok=True)
        raise MigrationError("the encrypted copy does not match the old data")
    # Keep the plain bytes reachable until the rename is durable, then overwrite them.
    old = Path(f"{path}.plain-old")
    try:
        os.link(path, old)
    except OSError:
        old = None  # type: ignore[assignment]
    for side in _sidecars(path):
        scrub(side)
    os.replace(tmp, path)
    for side in _sidecars(tmp):
        side.unlink(missing_ok=True)
    fsync_dir(path.parent)
    if old is not None:
        scrub(old)
    return expected
