"""Open the local store with an unlocked data key, encrypting an old plain store on the way."""

from __future__ import annotations

from pathlib import Path

from outreach_tui.config import Paths
from outreach_tui.store import Store, open_store

from .migrate import cleanup_leftovers, encrypt_plain_store, is_plain_sqlite


class StoreMissing(Exception):
    """The store file is gone or empty while its key exists: never replaced silently."""

    def __init__(self, kind: str, path: Path) -> None:
        super().__init__(kind)
        self.kind = kind  # "missing" or "empty"
        self.path = path


def check_store_present(path: Path) -> None:
    """StoreMissing when `path` is absent or holds nothing (a deleted or truncated store)."""
    if not path.exists():
        raise StoreMissing("missing", path)
    if path.is_file() and path.stat().st_size == 0:
        raise StoreMissing("empty", path)


def open_unlocked_store(
    paths: Paths, data_key: bytes, *, db_path: Path | None = None, create: bool = True
) -> Store:
    """The encrypted store under ``data_key``; a plain store found there is migrated first.

    With ``create=False`` (every open except the first, right after the data key was made) a
    missing or empty store raises :class:`StoreMissing` instead of becoming a new empty one.
    Raises ``outreach_tui.store.WrongKeyError`` when the file is encrypted under another key,
    and :class:`MigrationError` when an old plain store could not be migrated (it stays as is).
    """
    path = db_path or paths.db_path
    if not create:
        check_store_present(path)
    paths.ensure()
    if is_plain_sqlite(path):
        encrypt_plain_store(path, data_key)
    else:
        cleanup_leftovers(path)
    return open_store(path, key=data_key)
