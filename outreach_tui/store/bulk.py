"""Making one very large write (a 100k-row CSV import) fast without changing its result.

Three measures, each confined to the batch that needs it:

* Secondary indexes of ``records`` are dropped and recreated when a batch adds at least as
  many rows as the table holds: building an index by sorting once is several times faster
  than 100k random B-tree inserts per index. DDL is transactional in SQLite, so a failure
  (or a killed process) leaves the old indexes exactly as they were.
* Python's cyclic garbage collector is paused while the batch's objects are built: with
  100k records it ran full collections over an ever larger heap (0.8 s of a 6 s import),
  and those objects hold no reference cycles for it to find.
* On an encrypted store, the page cache is raised to :data:`BULK_CACHE_KIB` for batches of
  at least :data:`REBUILD_MIN_ROWS` new rows, and put back
  afterwards. With the default 32 MiB, a 100k-row import (~160 MB of pages) spilled dirty
  pages to the WAL mid-transaction and every index build re-read the table from it: on an
  encrypted store each re-read decrypts and checks the HMAC of every page again. With the
  batch held in memory the encrypted import's SQL ran ~1.5 s faster. A plain store re-reads
  its pages from the OS cache for free, and was ~0.2 s slower with the large cache: only
  encrypted stores get it. The cache is allocated only as used (~170 MB for 100k rows)
  and freed when it shrinks back.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from .connection import Connection

# Below this many new rows, rebuilding indexes costs more than it saves.
REBUILD_MIN_ROWS = 20_000
# Page cache (KiB) while such a batch is written; put back to the connection's own after.
BULK_CACHE_KIB = 256 * 1024
# Below this many records, the garbage collector is left alone.
GC_PAUSE_MIN_ROWS = 1_000


@contextmanager
def gc_paused(rows: int | None = None) -> Iterator[None]:
    """Pause the cyclic garbage collector while a big batch is built and written."""
    if (rows is not None and rows < GC_PAUSE_MIN_ROWS) or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def bulk_write(conn: Connection, *, new_rows: int, table: str = "records") -> Iterator[None]:
    """Rebuild ``table``'s indexes after a batch that at least doubles it (else a no-op).

    Must run inside the caller's write transaction, so that the indexes come back (or were
    never gone) whatever happens. Any batch of at least :data:`REBUILD_MIN_ROWS` new rows
    runs with the larger page cache of :data:`BULK_CACHE_KIB` when the store is encrypted.
    """
    if not conn.in_transaction:
        raise RuntimeError("bulk_write() needs the caller's write transaction")
    if new_rows < REBUILD_MIN_ROWS:
        yield
        return
    # cipher_provider answers only on a keyed (encrypted) connection. A plain file's pages
    # come back from the OS page cache at no cost: there the larger cache did not pay.
    if not conn.execute("PRAGMA cipher_provider").fetchall():
        with _indexes_rebuilt(conn, new_rows=new_rows, table=table):
            yield
        return
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        with _indexes_rebuilt(conn, new_rows=new_rows, table=table):
            yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextmanager
def _indexes_rebuilt(conn: Connection, *, new_rows: int, table: str) -> Iterator[None]:
    """Drop ``table``'s CREATE INDEX indexes when ``new_rows`` at least doubles it; recreate."""
    indexes: list[tuple[str, str]] = []
    # max(rid) is an upper bound of the row count, read from the end of the table.
    size = conn.execute(f"SELECT coalesce(max(rid), 0) FROM {table}").fetchone()[0]
    if new_rows >= size:
        # Only indexes made by CREATE INDEX: the UNIQUE(id) constraint's own index has
        # no SQL here and stays (every insert checks it, every update finds rows by it).
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)
