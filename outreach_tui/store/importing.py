"""Batched look-ups the CSV importer needs to tell updates from duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .base import StoreBase, owned
from .fields import PUBLIC_FIELDS, canonical_id
from .records import public_record


class ImportingMixin(StoreBase):
    """Reads that keep a re-import from storing anyone twice."""

    @owned
    def existing_records(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored records among ``ids`` (one query), keyed by canonical id."""
        wanted = set()
        for value in ids:
            try:
                wanted.add(canonical_id(value))
            except ValueError:
                continue
        if not wanted:
            return {}
        rows = self._rows(
            f"SELECT {', '.join(PUBLIC_FIELDS)} FROM records "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),),
        )
        return {row["id"]: public_record(row) for row in rows}

    @owned
    def people_without_nik(self) -> Iterator[dict[str, Any]]:
        """Who is stored without an NIK: the fields that identify such a person."""
        cursor = self._conn.execute(
            "SELECT full_name, birth_date, phone, region_code, rw, rt FROM records "
            "WHERE nik IS NULL OR nik = ''"
        )
        columns = [c[0] for c in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row, strict=True))
