"""Visits (kunjungan): immutable contact events, logged for sync and audit like records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .changes import log_changes
from .fields import canonical_id, new_id

VISIT_FIELDS: tuple[str, ...] = ("record_id", "at", "region_code", "rw", "rt", "outcome", "note")
OUTCOMES = frozenset({"met", "not_home", "moved", "refused", "janji_bayar"})  # as the CHECK (m009)
_COLUMNS = ("id", *VISIT_FIELDS, "officer_id", "created_at")
_SELECT = ", ".join(_COLUMNS)


def _visit_row(visit: Mapping[str, Any], officer_id: str | None, now: str) -> dict[str, Any]:
    """Check a visit's shape and fill what the store owns (id, time, creation stamp)."""
    unknown = set(visit) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown visit fields: {', '.join(sorted(unknown))}")
    row = {name: (None if visit.get(name) == "" else visit.get(name)) for name in VISIT_FIELDS}
    for name, value in row.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(f"visit {name} must be text, not {type(value).__name__}")
    if row["outcome"] not in OUTCOMES:
        raise ValueError(f"visit outcome must be one of {', '.join(sorted(OUTCOMES))}")
    raw_id = visit.get("id")
    row["id"] = new_id() if raw_id in (None, "") else canonical_id(raw_id)
    if row["record_id"] is not None:
        row["record_id"] = canonical_id(row["record_id"])
    row["at"] = row["at"] or now
    row["officer_id"] = officer_id if officer_id is not None else visit.get("officer_id")
    row["created_at"] = now
    return row


class VisitsMixin(StoreBase):
    """Adding and reading visits."""

    @owned
    def add_visit(
        self, visit: Mapping[str, Any], *, actor: str, officer_id: str | None = None
    ) -> str:
        """Record one visit durably (with its change-log and audit rows); returns its id.

        ``at`` defaults to now; ``record_id`` may be None (a household met before anyone was
        recorded). An id that already exists is an IntegrityError: visits are never changed.
        """
        if not actor:
            raise ValueError("actor is required: the audit log must say who saved")
        now = utc_now()
        row = _visit_row(visit, officer_id, now)
        with self._write() as conn:
            conn.execute(
                f"INSERT INTO visits ({_SELECT}) VALUES ({', '.join('?' for _ in _COLUMNS)})",
                [row[name] for name in _COLUMNS],
            )
            log_changes(conn, now, [("visit", row["id"], 1)])
            fields = [name for name in VISIT_FIELDS if row[name] is not None]
            append_audit(conn, now, actor, [AuditEntry("visit", "visit", row["id"], 1, fields)])
        return str(row["id"])

    @owned
    def get_visit(self, visit_id: str) -> dict[str, Any] | None:
        """One visit, or None."""
        try:
            visit_id = canonical_id(visit_id)
        except ValueError:
            return None
        rows = self._rows(f"SELECT {_SELECT} FROM visits WHERE id = ?", (visit_id,))
        return rows[0] if rows else None

    @owned
    def visits_for(self, record_id: str) -> list[dict[str, Any]]:
        """A person's visits, oldest first: the follow-up history."""
        return self.visits(record_id=record_id)

    @owned
    def visits(
        self,
        *,
        record_id: str | None = None,
        region_code: str | None = None,
        rw: str | None = None,
        rt: str | None = None,
        outcome: str | None = None,
        officer_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Visits matching every given filter, oldest first (``since <= at < until``)."""
        if record_id is not None:
            try:
                record_id = canonical_id(record_id)
            except ValueError:
                return []
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("record_id", record_id),
            ("region_code", region_code),
            ("rw", rw),
            ("rt", rt),
            ("outcome", outcome),
            ("officer_id", officer_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            clauses.append("at >= ?")
            params.append(since)
        if until is not None:
            clauses.append("at < ?")
            params.append(until)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        params.append(-1 if limit is None else limit)
        return self._rows(f"SELECT {_SELECT} FROM visits {where} ORDER BY at, id LIMIT ?", params)
