"""Aggregates for the Laporan screen: counts per RW/RT and status, decline reasons, enrollments.

Everything is grouped in SQL so a report over 100k records moves a few hundred rows, never
the records themselves. ``region_code`` is a desa code or a prefix above it (``32.01``);
None means every record on the laptop.
"""

from __future__ import annotations

from typing import Any

from .base import StoreBase, owned


def _region_clause(region_code: str | None, column: str = "region_code") -> tuple[str, list[Any]]:
    """A WHERE fragment (with leading AND) for a desa code or a prefix above it."""
    if region_code is None:
        return "", []
    if len(region_code) < 13:
        return f" AND {column} >= ? AND {column} < ?", [region_code + ".", region_code + "/"]
    return f" AND {column} = ?", [region_code]


class ReportsMixin(StoreBase):
    """Grouped counts for reports (the store's side of the Laporan screen)."""

    @owned
    def status_counts_by_area(self, region_code: str | None = None) -> list[dict[str, Any]]:
        """(region_code, rw, rt, status, count) rows, ordered by area then status."""
        where, params = _region_clause(region_code)
        return self._rows(
            "SELECT region_code, rw, rt, status, count(*) AS count FROM records "
            f"WHERE 1 = 1{where} GROUP BY region_code, rw, rt, status "
            "ORDER BY region_code, rw, rt, status",
            params,
        )

    @owned
    def decline_reason_counts(self, region_code: str | None = None) -> dict[str, int]:
        """How many declined people gave each reason ('' for a reason not recorded)."""
        where, params = _region_clause(region_code)
        rows = self._conn.execute(
            "SELECT coalesce(decline_reason, ''), count(*) FROM records "
            f"WHERE status = 'declined'{where} GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        ).fetchall()
        return {str(reason): int(count) for reason, count in rows}

    @owned
    def enrollment_times(self, since: str, region_code: str | None = None) -> list[str]:
        """When records became enrolled since a UTC stamp (one stamp per change, sorted).

        The home screen's rule: a version written in the period whose status is enrolled
        while the version it replaced had another one (or none). A record changed in the
        period was saved since then, so the walk starts from the records of the area saved
        since ``since`` (an index range) and reads only their versions.
        """
        where, params = _region_clause(region_code, "r.region_code")
        rows = self._conn.execute(
            "SELECT v.created_at FROM records AS r "
            "JOIN record_versions AS v ON v.record_id = r.id AND v.created_at >= ? "
            "LEFT JOIN record_versions AS p ON p.record_id = v.record_id "
            "AND p.version = v.base_version "
            f"WHERE r.updated_at >= ?{where} "
            "AND json_extract(v.data, '$.status') = 'enrolled' "
            "AND (p.data IS NULL OR json_extract(p.data, '$.status') IS NOT 'enrolled')",
            [since, since, *params],
        ).fetchall()
        return sorted(str(at) for (at,) in rows)
