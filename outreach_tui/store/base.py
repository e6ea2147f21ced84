"""What every part of the Store shares: the connection, thread ownership, transactions, rows."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Self, TypeVar

from sqlite_utils import Database

from .connection import Connection

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")

# Rows are fetched in slices this size when streaming, so an export of 100k records never
# holds them all in memory.
STREAM_BATCH = 500


def utc_now() -> str:
    """Now in UTC as fixed-width ISO-8601 with microseconds and 'Z' (text order = time order).

    Microseconds, not milliseconds: two saves never share a stamp, so "recently updated"
    lists keep the order in which things really happened.
    """
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def owned(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Refuse calls from any thread but the one that opened the store (SQLite's rule)."""

    @functools.wraps(method)
    def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        self._check_owner()
        return method(self, *args, **kwargs)

    return guarded


def _dict_row(cursor: Any, row: tuple[Any, ...]) -> dict[str, Any]:
    """Row factory for one cursor: the connection itself keeps tuples, as sqlite-utils expects."""
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


class StoreBase:
    """The connection and the rules around it; the Store's mixins build on this."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._conn: Connection = db.conn
        self._owner = threading.get_ident()
        self._owner_name = threading.current_thread().name
        self._closed = False

    def _check_owner(self) -> None:
        """Raise a clear error instead of letting two threads share one SQLite connection."""
        if threading.get_ident() != self._owner:
            raise RuntimeError(
                f"this Store belongs to thread {self._owner_name!r} which opened it; "
                f"open another Store in thread {threading.current_thread().name!r} "
                "(a SQLite connection must stay in the thread that opened it)"
            )
        if self._closed:
            raise RuntimeError("this Store is closed")

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: all of it is committed durably, or none of it.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so a second writer (a CLI import
        beside the TUI) waits on busy_timeout instead of failing half-way with SQLITE_BUSY
        when a read transaction would have to be upgraded.
        """
        if self._conn.in_transaction:
            raise RuntimeError("write transactions of the Store do not nest")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            # An error may already have ended the transaction (e.g. RAISE(ROLLBACK)).
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        try:
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """All rows of a query as dicts."""
        cursor = self._conn.cursor()
        cursor.row_factory = _dict_row
        return list(cursor.execute(sql, params).fetchall())

    def _stream(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> Iterator[dict[str, Any]]:
        """Rows of a query as dicts, fetched a slice at a time."""
        cursor = self._conn.cursor()
        cursor.row_factory = _dict_row
        cursor.execute(sql, params)
        try:
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield from batch
        finally:
            cursor.close()

    def _scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @owned
    def close(self) -> None:
        """Close the connection (after letting SQLite refresh its planner statistics)."""
        try:
            self._conn.execute("PRAGMA optimize")
        finally:
            self._closed = True
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._closed:
            self.close()
