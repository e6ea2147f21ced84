"""The local SQLite store: records as versions, visits, search, change log and audit log.

Open it with :func:`open_store`; everything else is a method of :class:`Store`. Catch the
exception classes exported here (they are sqlcipher3's, not the stdlib ``sqlite3`` ones).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from . import migrations
from .changes import Change
from .connection import (
    DatabaseError,
    Error,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    WrongKeyError,
    connect,
)
from .listing import Page
from .records import SavedRecord, StaleVersionError
from .store import Store

__all__ = [
    "Change",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "OperationalError",
    "Page",
    "ProgrammingError",
    "SavedRecord",
    "StaleVersionError",
    "Store",
    "WrongKeyError",
    "connect",
    "open_store",
]


def open_store(path: str | os.PathLike[str], *, key: bytes | None = None) -> Store:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path, key=key)
    try:
        # No sqlite-utils plugins: nothing outside the project may change our connection.
        db = Database(conn, execute_plugins=False)
        migrations.apply(db)
    except BaseException:
        conn.close()
        raise
    return Store(db, path)
