"""The one place where SQLite connections are opened, and unlocked when the file has a key.

Every connection of the project comes from :func:`connect`, so the durability pragmas and
the SQLCipher key are applied in exactly one spot. The driver is ``sqlcipher3``: a drop-in
``sqlite3``-compatible module bundling SQLite with FTS5 and SQLCipher. Without a key the file
is a plain SQLite file.

Its exception classes are *not* subclasses of the standard library's ``sqlite3`` ones, so
callers must catch the names re-exported here (``Error``, ``IntegrityError``, ...), never
``sqlite3.Error``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlcipher3

from outreach_tui.safefile import private_database

# Re-exported so that callers catch the driver's classes, not the stdlib's look-alikes.
Error = sqlcipher3.Error
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError
OperationalError = sqlcipher3.OperationalError
ProgrammingError = sqlcipher3.ProgrammingError

Connection = Any  # sqlcipher3 ships no type stubs; its Connection mirrors sqlite3.Connection

# 8 KiB pages: a 100k-record import ran ~0.3 s (6%) faster than with 4 KiB (fewer pages to
# write to the WAL and copy at checkpoint); reads were not slower.
PAGE_SIZE = 8192
SQLITE_NOTADB = 26

# Applied after the key, on every connection. WAL lets readers (export, the TUI) run beside a
# writer; synchronous=FULL makes a commit durable when it returns (fsync of the WAL), which is
# what "saved" means to an officer whose laptop battery may die at any moment.
PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),
    ("synchronous", "FULL"),
    ("foreign_keys", "ON"),
    ("busy_timeout", "5000"),
    ("temp_store", "MEMORY"),
    # Keep the WAL from staying huge on disk after a 100k-row import has been checkpointed.
    ("journal_size_limit", str(64 * 1024 * 1024)),
    # 32 MiB of page cache (allocated only as used): with 100k records, ranking a common
    # name prefix reads a few thousand rows at random and got twice as fast with it.
    ("cache_size", str(-32 * 1024)),
)


# A short-lived connection of a thread worker (one count, one export) reads each page once or
# twice: a small cache costs it nothing, and 32 MiB per worker thread stayed in that thread's
# malloc arena after the connection closed (resident memory that never came back).
SHORT_LIVED_CACHE_KIB = 2 * 1024


def limit_cache(conn: Connection, kib: int = SHORT_LIVED_CACHE_KIB) -> None:
    """Shrink one connection's page cache to ``kib`` KiB (for short-lived worker connections)."""
    conn.execute(f"PRAGMA cache_size = {-int(kib)}").fetchall()


class WrongKeyError(sqlcipher3.DatabaseError):
    """The file exists but cannot be read with the given key (or is not a database at all)."""


def connect(path: str | os.PathLike[str], *, key: bytes | None = None) -> Connection:
    """Open a SQLite connection with the store's pragmas; the key, when given, is applied first.

    The connection runs with ``isolation_level=None``: the driver never opens hidden
    transactions, so every write transaction is an explicit ``BEGIN``/``COMMIT`` in the store
    (or sqlite-utils' ``atomic()``), and nothing stays uncommitted by accident.
    """
    private_database(Path(path))  # 0600 whatever the umask, and so its -wal and -shm
    conn = sqlcipher3.connect(str(Path(path)), isolation_level=None, check_same_thread=True)
    try:
        if key is not None:
            if not key:
                raise ValueError("an encryption key must not be empty")
            # A wrong key is reported by our exception below; SQLCipher's own log lines on
            # stderr would only confuse a user at a terminal.
            conn.execute("PRAGMA cipher_log_level = NONE")
            # The key must be the first statement that touches the file. A raw 'x' key skips
            # SQLCipher's own key derivation: the caller derives it (argon2) once.
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            # An encrypted file does not record its page size in the clear: every open
            # must state it, so it is fixed here, once, for every keyed file.
            conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
        try:
            # Reading the schema is the first real access: a wrong key fails here, clearly.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            # Only "not a database" after keying means a wrong key (or a damaged first page);
            # a full disk, a read-only folder or an I/O error is named by its own code.
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != SQLITE_NOTADB:
                raise
            raise WrongKeyError(
                f"{path}: cannot read the database (wrong key, or not a database file)"
            ) from exc
        if key is None:
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # takes effect in a new file only
        for name, value in PRAGMAS:
            conn.execute(f"PRAGMA {name} = {value}").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn
