"""The one connection function: pragmas, the optional key, and the driver's exception classes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from outreach_tui import store as store_module
from outreach_tui.store import WrongKeyError, connect, open_store


def test_pragmas_are_applied(tmp_path: Path) -> None:
    conn = connect(tmp_path / "a.db")
    try:
        pragma = lambda name: conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
        assert pragma("temp_store") == 2  # MEMORY
        assert conn.isolation_level is None  # no hidden transactions
        conn.execute("CREATE TABLE t (x)")
        assert pragma("page_size") == 8192  # a new file gets the store's page size
    finally:
        conn.close()


def test_exported_errors_are_the_drivers() -> None:
    assert store_module.Error is sqlcipher3.Error
    assert store_module.IntegrityError is sqlcipher3.IntegrityError
    assert store_module.OperationalError is sqlcipher3.OperationalError
    assert issubclass(WrongKeyError, store_module.Error)


def test_a_keyed_store_is_unreadable_without_its_key(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    key = bytes(range(32))
    with open_store(path, key=key) as store:
        saved = store.save_record({"full_name": "Rahasia Sekali"}, actor="t")
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"Rahasia" not in raw
    with open_store(path, key=key) as store:
        assert store.get_record(saved.id)["full_name"] == "Rahasia Sekali"
    with pytest.raises(WrongKeyError):
        open_store(path, key=bytes(32))
    with pytest.raises(WrongKeyError):
        open_store(path)


def test_a_plain_store_is_a_plain_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    with open_store(path) as store:
        store.save_record({"full_name": "Terbuka"}, actor="t")
    assert path.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("key", [None, b"k" * 32])
def test_a_bulk_write_puts_the_page_cache_back(tmp_path: Path, key: bytes | None) -> None:
    from outreach_tui.store.bulk import BULK_CACHE_KIB, REBUILD_MIN_ROWS, bulk_write

    store = open_store(tmp_path / "bulk.db", key=key)
    conn = store.db.conn
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    with bulk_write(conn, new_rows=REBUILD_MIN_ROWS):
        during = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("ROLLBACK")
    assert during == (before if key is None else -BULK_CACHE_KIB)
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == before
    # Nothing was written: the dropped indexes are back.
    indexes = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()
    assert indexes[0] > 8
    store.close()
