"""Filtered, ordered, paged lists of records: for the virtual list, follow-ups and export.

Every order is backed by an index whose last column is the internal ``rid`` (implicit in
every SQLite index), so a page is an index range walk. ``page_after`` (keyset pagination) is
the fast path for scrolling; ``list_records(offset=…)`` serves random jumps (a dragged
scrollbar), walking the index entries it skips without reading the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from .base import StoreBase, owned
from .fields import PUBLIC_FIELDS
from .records import public_record

OrderBy = Literal["name", "updated", "follow_up"]

# Each order: the key columns (all ascending or all descending) ending with rid for ties.
_ORDERS: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (("name_key", "rid"), "ASC"),
    "updated": (("updated_at", "rid"), "DESC"),
    # Only records that have a follow-up date: this order is the "who to visit again" list.
    "follow_up": (("follow_up_on", "name_key", "rid"), "ASC"),
}
_SELECT = ", ".join(PUBLIC_FIELDS)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a keyset-paged list and the key to ask for the next (None at the end)."""

    rows: list[dict[str, Any]]
    next_key: tuple[Any, ...] | None


def _where(
    *,
    alias: str = "",
    status: str | None = None,
    region_code: str | None = None,
    rw: str | None = None,
    rt: str | None = None,
    since: str | None = None,
    sync_state: str | None = None,
    follow_up_due: date | str | None = None,
    inactive: bool | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions and parameters for the list filters (None means "any").

    ``inactive`` keeps the participants the central API made inactive (in arrears).

    ``region_code`` above desa level (``32.01``) matches every desa below it. ``alias``
    (``"r."``) prefixes every column, for a query where ``records`` has an alias.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if region_code is not None and len(region_code) < 13:
        # A province, kab/kota or kecamatan code: every desa below it, as an index range.
        clauses.append(f"{alias}region_code >= ? AND {alias}region_code < ?")
        params.extend([region_code + ".", region_code + "/"])
        region_code = None
    for column, value in (
        ("status", status),
        ("region_code", region_code),
        ("rw", rw),
        ("rt", rt),
        ("sync_state", sync_state),
    ):
        if value is not None:
            clauses.append(f"{alias}{column} = ?")
            params.append(value)
    if since is not None:
        clauses.append(f"{alias}updated_at >= ?")
        params.append(since)
    if follow_up_due is not None:
        due = follow_up_due.isoformat() if isinstance(follow_up_due, date) else follow_up_due
        clauses.append(f"{alias}follow_up_on <= ?")
        params.append(due)
    if inactive:
        clauses.append(
            f"EXISTS (SELECT 1 FROM arrears a WHERE a.record_id = {alias}id AND a.inactive = 1)"
        )
    return clauses, params


def _order(order_by: str) -> tuple[tuple[str, ...], str]:
    """The key columns and direction of an order; a clear error for an unknown one."""
    try:
        return _ORDERS[order_by]
    except KeyError:
        raise ValueError(
            f"order_by must be one of {', '.join(_ORDERS)}, not {order_by!r}"
        ) from None


def _query(
    order_by: str,
    filters: dict[str, Any],
    *,
    after: tuple[Any, ...] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[str, list[Any]]:
    """The SELECT for a filtered, ordered (optionally keyset- or offset-paged) list."""
    columns, direction = _order(order_by)
    clauses, params = _where(**filters)
    if order_by == "follow_up":
        clauses.append("follow_up_on IS NOT NULL")
    if after is not None:
        if len(after) != len(columns):
            raise ValueError(f"a {order_by!r} page key has {len(columns)} parts, not {len(after)}")
        # A row-value comparison walks the index from the key on.
        op = ">" if direction == "ASC" else "<"
        clauses.append(f"({', '.join(columns)}) {op} ({', '.join('?' for _ in columns)})")
        params.extend(after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    keys = ", ".join(f"{column} AS _{column}" for column in columns)
    order = ", ".join(f"{column} {direction}" for column in columns)
    sql = f"SELECT {_SELECT}, {keys} FROM records {where} ORDER BY {order}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params.extend([-1 if limit is None else limit, offset])
    return sql, params


class ListingMixin(StoreBase):
    """Lists, counts, pages and streams of records."""

    @owned
    def list_records(
        self,
        *,
        status: str | None = None,
        region_code: str | None = None,
        rw: str | None = None,
        rt: str | None = None,
        since: str | None = None,
        sync_state: str | None = None,
        follow_up_due: date | str | None = None,
        inactive: bool | None = None,
        order_by: OrderBy = "name",
        offset: int = 0,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """One page of records matching every given filter (``since``: updated_at >= since).

        ``follow_up_due`` keeps records whose follow-up date is on or before that day;
        ``order_by='follow_up'`` lists only records that have a follow-up date.
        """
        filters = {
            "status": status,
            "region_code": region_code,
            "rw": rw,
            "rt": rt,
            "since": since,
            "sync_state": sync_state,
            "follow_up_due": follow_up_due,
            "inactive": inactive,
        }
        sql, params = _query(order_by, filters, limit=limit, offset=offset)
        return [public_record(row) for row in self._rows(sql, params)]

    @owned
    def page_after(
        self,
        key: tuple[Any, ...] | None,
        limit: int = 50,
        *,
        order_by: OrderBy = "name",
        **filters: Any,
    ) -> Page:
        """The ``limit`` records after ``key`` (None: the first page): scrolling without OFFSET.

        Filters are those of :meth:`list_records`; pass the page's ``next_key`` back to go on.
        """
        columns, _ = _order(order_by)
        sql, params = _query(order_by, filters, after=key, limit=limit)
        rows = self._rows(sql, params)
        next_key = None
        if rows and len(rows) == limit:
            next_key = tuple(rows[-1][f"_{column}"] for column in columns)
        return Page([public_record(row) for row in rows], next_key)

    @owned
    def count_records(self, **filters: Any) -> int:
        """How many records match the filters of :meth:`list_records` (for a list's scrollbar)."""
        clauses, params = _where(**filters)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return int(self._scalar(f"SELECT count(*) FROM records {where}", params))

    @owned
    def iter_records(
        self, *, order_by: OrderBy = "name", **filters: Any
    ) -> Iterator[dict[str, Any]]:
        """Every matching record, streamed a slice at a time (export never holds them all)."""
        sql, params = _query(order_by, filters)
        return (public_record(row) for row in self._stream(sql, params))
