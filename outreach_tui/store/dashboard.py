"""Counts for the home screen (Beranda): a day's work, the month's enrollments, an area's coverage.

Every figure is an aggregate query, so the home screen never pulls records into Python.
A status change is a record version written in the period whose status differs from the
version it replaced (or a new record created with that status). Times are the store's UTC
stamps; the caller turns the officer's local day into a ``[start, end)`` range of stamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .base import StoreBase, owned

# Both logs only grow at the end: ``changes.seq`` and ``records.rid`` rise with their time
# stamps (set inside the write lock), so a period is a range of primary keys, found by a
# binary search, and a big import day is a sequential walk instead of 100k random lookups.

# Records created in the rid range [first_rid, stop_rid) that never changed since: their
# status is the one they were created with (the server only turns enrolled into active).
_BORN_AS = """
SELECT count(*) FROM records
WHERE rid >= :first_rid AND rid < :stop_rid AND version = 1
  AND (status = :status OR (:status = 'enrolled' AND status = 'active'))
  AND (:officer IS NULL OR officer_id = :officer)
"""

# Every other version written in the period (later versions from the change log, and the
# first versions of records edited since) whose status became :status.
_BECAME = """
WITH written (record_id, version) AS MATERIALIZED (
    SELECT entity_id, version FROM changes
    WHERE seq >= :first AND seq < :stop AND entity = 'record' AND version > 1
    UNION
    SELECT id, 1 FROM records WHERE rid >= :first_rid AND rid < :stop_rid AND version > 1
)
SELECT count(DISTINCT v.record_id) FROM written AS w
JOIN record_versions AS v ON v.record_id = w.record_id AND v.version = w.version
LEFT JOIN record_versions AS p ON p.record_id = v.record_id AND p.version = v.base_version
WHERE json_extract(v.data, '$.status') = :status
  AND (p.data IS NULL OR json_extract(p.data, '$.status') IS NOT :status)
  AND (:officer IS NULL OR v.officer_id = :officer)
"""

# People met: records created in the period, and people visited (outcome "met") in it.
_CREATED = "SELECT count(*) FROM records WHERE rid >= :first_rid AND rid < :stop_rid"
_VISITED = """
SELECT count(DISTINCT v.record_id) FROM visits AS v JOIN records AS r ON r.id = v.record_id
WHERE v.at >= :start AND v.at < :end AND v.outcome = 'met'
  AND NOT (r.rid >= :first_rid AND r.rid < :stop_rid)
"""

_NEW_PROSPECTS = """
SELECT count(*) FROM records
WHERE rid >= :first_rid AND rid < :stop_rid AND status IN ('prospect', 'interested')
"""

# The home screen's figures of one period in two passes over its records instead of eight:
# a big import day is 100k wide (encrypted) rows to read, and each pass costs ~0.1 s.
# Same rules as _CREATED, _NEW_PROSPECTS, _BORN_AS and _BECAME above.
_PERIOD_BORN = """
SELECT count(*),
  coalesce(sum(status IN ('prospect', 'interested')), 0),
  coalesce(sum(version = 1 AND status IN ('enrolled', 'active')), 0),
  coalesce(sum(version = 1 AND status = 'declined'), 0),
  coalesce(sum(version = 1 AND status IN ('enrolled', 'active') AND officer_id IS :officer), 0)
FROM records WHERE rid >= :first_rid AND rid < :stop_rid
"""
_PERIOD_BECAME = """
WITH written (record_id, version) AS MATERIALIZED (
    SELECT entity_id, version FROM changes
    WHERE seq >= :first AND seq < :stop AND entity = 'record' AND version > 1
    UNION
    SELECT id, 1 FROM records WHERE rid >= :first_rid AND rid < :stop_rid AND version > 1
), moved (record_id, status, officer_id) AS (
    SELECT v.record_id, json_extract(v.data, '$.status'), v.officer_id FROM written AS w
    JOIN record_versions AS v ON v.record_id = w.record_id AND v.version = w.version
    LEFT JOIN record_versions AS p ON p.record_id = v.record_id AND p.version = v.base_version
    WHERE p.data IS NULL OR json_extract(p.data, '$.status') IS NOT json_extract(v.data, '$.status')
)
SELECT
  count(DISTINCT CASE WHEN status = 'enrolled' THEN record_id END),
  count(DISTINCT CASE WHEN status = 'declined' THEN record_id END),
  count(DISTINCT CASE WHEN status = 'enrolled' AND officer_id IS :officer THEN record_id END)
FROM moved
"""


@dataclass(frozen=True)
class DaySummary:
    """What happened in one period (a day): people met, new prospects, enrolled, declined."""

    met: int = 0
    new_prospects: int = 0
    enrolled: int = 0
    declined: int = 0


@dataclass(frozen=True)
class Coverage:
    """Records of one desa by RW/RT and status: ``rows[(rw, rt)][status] = count``."""

    rows: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Records in the desa."""
        return sum(sum(counts.values()) for counts in self.rows.values())


class DashboardMixin(StoreBase):
    """Aggregates for the home screen."""

    @owned
    def day_summary(self, start: str, end: str) -> DaySummary:
        """People met, new prospects, enrolled and declined between two UTC stamps."""
        span: dict[str, Any] = {"start": start, "end": end, **self._ranges(start, end)}
        return DaySummary(
            met=int(self._scalar(_CREATED, span)) + int(self._scalar(_VISITED, span)),
            new_prospects=int(self._scalar(_NEW_PROSPECTS, span)),
            enrolled=self.became_count("enrolled", start, end),
            declined=self.became_count("declined", start, end),
        )

    @owned
    def period_summary(self, start: str, end: str, officer_id: str) -> tuple[DaySummary, int]:
        """:meth:`day_summary` and the officer's own enrollments, in two passes (home screen)."""
        span: dict[str, Any] = {
            "start": start, "end": end, "officer": officer_id, **self._ranges(start, end)
        }  # fmt: skip
        born = self._conn.execute(_PERIOD_BORN, span).fetchone()
        became = self._conn.execute(_PERIOD_BECAME, span).fetchone()
        created, prospects, born_enrolled, born_declined, born_mine = (int(n) for n in born)
        enrolled, declined, mine = (int(n) for n in became)
        summary = DaySummary(
            met=created + int(self._scalar(_VISITED, span)),
            new_prospects=prospects,
            enrolled=born_enrolled + enrolled,
            declined=born_declined + declined,
        )
        return summary, born_mine + mine

    @owned
    def became_count(
        self, status: str, start: str, end: str, *, officer_id: str | None = None
    ) -> int:
        """How many records took ``status`` between two UTC stamps (optionally one officer's)."""
        params = {"status": status, "officer": officer_id, **self._ranges(start, end)}
        return int(self._scalar(_BORN_AS, params)) + int(self._scalar(_BECAME, params))

    def _ranges(self, start: str, end: str) -> dict[str, int]:
        """The change-log seqs and the record rids written between two stamps, as ranges."""
        return {
            "first": self._first_key_at("changes", "seq", "at", start),
            "stop": self._first_key_at("changes", "seq", "at", end),
            "first_rid": self._first_key_at("records", "rid", "created_at", start),
            "stop_rid": self._first_key_at("records", "rid", "created_at", end),
        }

    def _first_key_at(self, table: str, key: str, stamp_column: str, stamp: str) -> int:
        """The first ``key`` of ``table`` stamped at or after ``stamp`` (max + 1 when none).

        A binary search over the primary key: a few lookups instead of a scan. Deleted rows
        leave gaps; a key inside a gap selects no row, so ranges stay exact.
        """
        low = int(self._scalar(f"SELECT coalesce(min({key}), 1) FROM {table}"))
        high = int(self._scalar(f"SELECT coalesce(max({key}), 0) FROM {table}")) + 1
        probe = f"SELECT {stamp_column} FROM {table} WHERE {key} >= ? ORDER BY {key} LIMIT 1"
        while low < high:
            middle = (low + high) // 2
            value = self._scalar(probe, (middle,))  # the next existing row
            if value is None or value >= stamp:
                high = middle
            else:
                low = middle + 1
        return low

    @owned
    def area_coverage(self, region_code: str) -> Coverage:
        """Records of one desa counted by RW, RT and status (an index range of the area)."""
        rows: dict[tuple[str, str], dict[str, int]] = {}
        cursor = self._conn.execute(
            "SELECT coalesce(rw, ''), coalesce(rt, ''), status, count(*) FROM records "
            "WHERE region_code = ? GROUP BY rw, rt, status ORDER BY rw, rt",
            (region_code,),
        )
        for rw, rt, status, count in cursor:
            rows.setdefault((rw, rt), {})[status] = int(count)
        return Coverage(rows)

    @owned
    def last_good_sync(self) -> str | None:
        """When the newest sync run that ended without an error ended (UTC stamp), or None."""
        value = self._scalar(
            "SELECT ended_at FROM sync_runs WHERE ended_at IS NOT NULL AND errors = '' "
            "ORDER BY id DESC LIMIT 1"
        )
        return None if value is None else str(value)
