"""What the record list shows and where its rows come from: filters, row cells, store pages.

The screen (screens/records.py) picks a :class:`View`; this module turns it into store filters,
makes each record a list row (masked NIK and phone, status label, follow-up mark, sync marker)
and serves pages to the :class:`~outreach_tui.widgets.record_list.RecordList`: keyset pages while
scrolling on, offsets for jumps, or search hits already in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from outreach_tui.config import Settings
from outreach_tui.domain.codes import STATUSES
from outreach_tui.domain.nik import mask_nik
from outreach_tui.domain.phone import mask_phone
from outreach_tui.session import Locked
from outreach_tui.store import Store
from outreach_tui.store.listing import OrderBy
from outreach_tui.widgets.record_list import ListRow

# Search hits asked of the store (filters apply inside the search): enough to scroll through.
SEARCH_LIMIT = 200
SORTS = ("name", "updated", "follow_up")
SCOPES = ("desa", "rw", "rt", "all")  # F9 walks them in this order (those the area has)
SYNC_STATES = ("pending", "synced", "conflict", "rejected", "duplicate")
ATTENTION = frozenset({"conflict", "rejected", "duplicate"})
# count_records() has no "has a follow-up" filter; a due date past every real one is the same.
ANY_FOLLOW_UP = "9999-12-31"

RowMaker = Callable[[dict[str, Any]], ListRow]


@dataclass(frozen=True)
class View:
    """What the list shows: the search text, the filters and the order."""

    query: str = ""
    scope: str = "desa"
    status: str = ""  # "" means any
    due: bool = False
    sync_state: str = ""
    order_by: str = "name"


INACTIVE = "inactive"  # the status filter's extra choice: participants in arrears


def store_filters(view: View, settings: Settings, today: date) -> dict[str, Any]:
    """The store's list filters for a view (the scope comes from the working area)."""
    filters: dict[str, Any] = {}
    if view.scope != "all" and settings.area_code:
        filters["region_code"] = settings.area_code
        if view.scope in ("rw", "rt") and settings.area_rw:
            filters["rw"] = settings.area_rw
            if view.scope == "rt" and settings.area_rt:
                filters["rt"] = settings.area_rt
    if view.status == INACTIVE:  # not a status of its own: what the centre said (arrears)
        filters["inactive"] = True
    elif view.status:
        filters["status"] = view.status
    if view.sync_state:
        filters["sync_state"] = view.sync_state
    if view.due:
        filters["follow_up_due"] = today.isoformat()
    return filters


def short_date(iso: str) -> str:
    """``2026-11-30`` as ``30/11/2026``: the one date format the officer reads everywhere."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if len(iso) >= 10 else iso


def record_row(record: dict[str, Any], t: Callable[..., str], today: str) -> ListRow:
    """One record as a list row: what an officer needs to recognise a person at the door.

    NIK and phone are masked (a screen in a market is read over shoulders); the last four
    digits are enough to tell two people apart and to match a number the person says.
    """
    state = record.get("sync_state") or "pending"
    marker = "!" if state in ATTENTION else ("●" if state == "pending" else "")
    rw, rt = record.get("rw") or "", record.get("rt") or ""
    follow_up = record.get("follow_up_on") or ""
    status = record.get("status") or ""
    cells = (
        marker,
        record.get("full_name") or "—",
        mask_nik(record["nik"]) if record.get("nik") else "-",
        mask_phone(record["phone"]) if record.get("phone") else "-",
        t(f"label.status.{status}") if status in STATUSES else status,
        f"{rw}/{rt}" if rw or rt else "-",
        short_date(follow_up) if follow_up else "",
    )
    marks = (
        "attention" if state in ATTENTION else "",
        "",
        "muted",
        "muted",
        "",
        "",
        "overdue" if follow_up and follow_up <= today else "",
    )
    return ListRow(record["id"], cells, marks)


class StorePages:
    """The store's records under filters and an order, a page at a time.

    Reading on from the previous page uses its keyset key (an index walk from there);
    a jump (dragged scrollbar, End) uses an offset. The store is looked up on every call:
    locking closes it, and a locked session shows an empty list.
    """

    def __init__(
        self,
        store: Callable[[], Store],
        filters: dict[str, Any],
        order_by: str,
        make_row: RowMaker,
    ) -> None:
        self._store = store
        self.filters = filters
        self.order_by = cast(OrderBy, order_by)
        self._make_row = make_row
        self._keys: dict[int, tuple[Any, ...]] = {}

    def total(self) -> int:
        """How many records the filters (and order) let through."""
        filters = dict(self.filters)
        if self.order_by == "follow_up":
            filters.setdefault("follow_up_due", ANY_FOLLOW_UP)
        try:
            return self._store().count_records(**filters)
        except Locked:
            return 0

    def fetch(self, offset: int, limit: int) -> Sequence[ListRow]:
        """The rows from ``offset`` on (keyset when the previous page was read)."""
        try:
            store = self._store()
        except Locked:
            return []
        if offset == 0 or offset in self._keys:
            page = store.page_after(
                self._keys.get(offset), limit, order_by=self.order_by, **self.filters
            )
            if page.next_key is not None:
                self._keys[offset + len(page.rows)] = page.next_key
            rows = page.rows
        else:
            rows = store.list_records(
                offset=offset, limit=limit, order_by=self.order_by, **self.filters
            )
        return [self._make_row(row) for row in rows]


class SearchResults:
    """Search hits already in memory (best first), made into rows only when drawn."""

    def __init__(self, records: Sequence[dict[str, Any]], make_row: RowMaker) -> None:
        self.records = list(records)
        self._make_row = make_row

    def total(self) -> int:
        """How many hits."""
        return len(self.records)

    def fetch(self, offset: int, limit: int) -> Sequence[ListRow]:
        """A slice of the hits."""
        return [self._make_row(record) for record in self.records[offset : offset + limit]]
