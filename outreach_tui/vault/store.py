"""Open the local store with an unlocked data key, encrypting an old plain store on the way."""

from __future__ import annotations

from pathlib import Path

from outreach_tui.config import Paths
from outreach_tui.store import Store, open_store

from .migrate import cleanup_leftovers, encrypt_plain_store, is_plain_sqlite


def open_unlocked_store(paths: Paths, data_key: bytes, *, db_path: Path | None = None) -> Store:
    """The encrypted store under ``data_key``; a plain store found there is migrated first.

    Raises ``outreach_tui.store.WrongKeyError`` when the file is encrypted under another key,
    and :class:`MigrationError` when an old plain store could not be migrated (it stays as is).
    """
    path = db_path or paths.db_path
    paths.ensure()
    if is_plain_sqlite(path):
        encrypt_plain_store(path, data_key)
    else:
        cleanup_leftovers(path)
    return open_store(path, key=data_key)
