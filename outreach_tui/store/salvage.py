"""Check a store's integrity and copy every readable row of a damaged one into a new store.

SQLite's ``.recover`` is not reachable from Python, so rows are read table by table in rowid
ranges; a range that hits an unreadable page is split in two until the bad rowids are isolated.
Only ids (rowids) of what was lost are ever reported, never values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from outreach_tui.store.connection import Connection, DatabaseError, connect

# Tables rebuilt by the new store itself, never copied (migrations bookkeeping, FTS shadows).
_NOT_COPIED = ("_sqlite_migrations", "sqlite_sequence")
_DERIVED_PREFIX = "records_fts"
CHUNK = 256
MAX_REPORTED_PROBLEMS = 100


def integrity_problems(conn: Connection, *, encrypted: bool = True) -> list[str]:
    """Damage found by SQLCipher's per-page HMAC check, then SQLite's own integrity check."""
    problems: list[str] = []
    try:
        if encrypted:
            rows = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            problems.extend(str(row[0]) for row in rows)
        rows = conn.execute(f"PRAGMA integrity_check({MAX_REPORTED_PROBLEMS})").fetchall()
        problems.extend(str(row[0]) for row in rows if row[0] != "ok")
    except DatabaseError as exc:
        problems.append(f"integrity check stopped: {getattr(exc, 'sqlite_errorname', 'error')}")
    return problems[:MAX_REPORTED_PROBLEMS]


class _Source:
    """The damaged file's connection; reopened after each failed read.

    SQLCipher leaves the connection's pager in an error state after a page fails its HMAC
    check, so every later read would fail too: a fresh connection reads the other pages.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key
        self.conn: Connection = connect(path, key=key)

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run one read and fetch all of it; reopen the connection when it fails."""
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except DatabaseError:
            self.reopen()
            raise

    def reopen(self) -> None:
        """Close and open again (a damaged page poisons the old connection)."""
        self.conn.close()
        self.conn = connect(self.path, key=self.key)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


@dataclass
class TableSalvage:
    """How one table fared: rows copied, and the rowids that could not be read."""

    table: str
    saved: int = 0
    lost_rowids: list[int] = field(default_factory=list)
    unreadable: bool = False  # the table could not even be scanned for its rowid range


def _tables(conn: Connection) -> list[str]:
    """Ordinary tables with rowids whose rows are data (not derived, not bookkeeping)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rootpage"
    ).fetchall()
    return [
        str(name)
        for name, sql in rows
        if name not in _NOT_COPIED
        and not str(name).startswith(_DERIVED_PREFIX)
        and "WITHOUT ROWID" not in str(sql or "").upper()
    ]


def _columns(conn: Connection, table: str) -> list[str]:
    """Column names of ``table`` in the destination's order."""
    return [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{table}")').fetchall()]


def _bounds(src: _Source, table: str) -> tuple[int, int] | None:
    """The smallest and largest rowid, read from the ends of the b-tree (or None when empty)."""
    low = src.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid LIMIT 1')
    high = src.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid DESC LIMIT 1')
    if not low or not high:
        return None
    return int(str(low[0][0])), int(str(high[0][0]))


def _copy_range(
    src: _Source, dst: Connection, table: str, cols: list[str], low: int, high: int
) -> tuple[int, list[int]]:
    """Copy rows with rowid in [low, high]; split the range around unreadable pages."""
    names = ", ".join(f'"{c}"' for c in cols)
    try:
        rows = src.execute(
            f'SELECT rowid, {names} FROM "{table}" WHERE rowid BETWEEN ? AND ?', (low, high)
        )
    except DatabaseError:
        if low == high:
            return 0, [low]
        middle = (low + high) // 2
        saved_a, lost_a = _copy_range(src, dst, table, cols, low, middle)
        saved_b, lost_b = _copy_range(src, dst, table, cols, middle + 1, high)
        return saved_a + saved_b, lost_a + lost_b
    marks = ", ".join("?" for _ in range(len(cols) + 1))
    dst.executemany(f'INSERT OR REPLACE INTO "{table}" (rowid, {names}) VALUES ({marks})', rows)
    return len(rows), []


def salvage(src_path: Path, dst_path: Path, key: bytes) -> list[TableSalvage]:
    """Copy every readable row of ``src_path`` into a new store at ``dst_path`` (same key)."""
    from outreach_tui.store import fts, open_store

    if dst_path.exists():
        raise FileExistsError(str(dst_path))
    src = _Source(src_path, key)
    target = open_store(dst_path, key=key)
    os.chmod(dst_path, 0o600)
    dst = target.db.conn
    report: list[TableSalvage] = []
    try:
        dst.execute("PRAGMA foreign_keys = OFF")
        dst.execute("BEGIN IMMEDIATE")
        for table in _tables(src.conn):
            result = TableSalvage(table)
            report.append(result)
            try:
                bounds = _bounds(src, table)
            except DatabaseError:
                src.reopen()
                result.unreadable = True
                continue
            if bounds is None or table not in _tables(dst):
                continue
            cols = [c for c in _columns(dst, table) if c in set(_columns(src.conn, table))]
            low, high = bounds
            for start in range(low, high + 1, CHUNK):
                saved, lost = _copy_range(
                    src, dst, table, cols, start, min(high, start + CHUNK - 1)
                )
                result.saved += saved
                result.lost_rowids.extend(lost)
        fts.rebuild(dst)
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    finally:
        src.close()
        target.close()
    return report


def lost_ranges(rowids: list[int]) -> list[str]:
    """Unreadable rowids as compact ranges ("120-180"): a page's rowids are contiguous."""
    spans: list[list[int]] = []
    for rowid in sorted(rowids):
        if spans and spans[-1][1] == rowid - 1:
            spans[-1][1] = rowid
        else:
            spans.append([rowid, rowid])
    return [f"{a}" if a == b else f"{a}-{b}" for a, b in spans]
