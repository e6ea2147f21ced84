"""The central records as rows for the branch: one per record id, its latest accepted version.

CSV follows the laptop export's spreadsheet conventions (UTF-8 with BOM, identifiers that look
like numbers kept as text with `="..."`, free text starting with = + - @ guarded by an apostrophe)
unless `plain=True`, for scripts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from outreach_tui.domain.record import RECORD_FIELDS
from outreach_tui.domain.spreadsheet import spreadsheet_cell
from sync.server.storage import CentralStorage, RecordState

CENTRAL_FIELDS: tuple[str, ...] = (
    *RECORD_FIELDS,
    "monthly_contribution",
    "kpj_number",
    "officer_id",
    "branch",
    "duplicate_of",
    "version",
    "updated_at",
    "consent_at",
    "consent_by",
    "consent_version",
)


def central_row(state: RecordState) -> dict[str, Any]:
    """One record's export row: its fields, the status the central side holds, and its facts."""
    row = {name: state.record.get(name) for name in RECORD_FIELDS}
    row["status"] = state.status
    row["monthly_contribution"] = state.record.get("monthly_contribution")
    row["kpj_number"] = state.kpj_number
    row["officer_id"] = state.officer_id
    row["branch"] = state.branch
    row["duplicate_of"] = state.duplicate_of
    row["version"] = state.version
    row["updated_at"] = state.updated_at
    row["consent_at"] = state.consent_at  # the consent proof the laptop sent (docs/security.md)
    row["consent_by"] = state.consent_by
    row["consent_version"] = state.consent_version
    return row


def central_rows(storage: CentralStorage, branch: str | None = None) -> Iterator[dict[str, Any]]:
    """Every current record (optionally of one branch) as an export row, in id order."""
    for state in storage.current_records(branch):
        yield central_row(state)


def write_json(rows: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write a JSON array of rows; returns how many."""
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(rows: Iterable[Mapping[str, Any]], out: IO[str], *, plain: bool = False) -> int:
    """Write the rows as CSV under a header of `CENTRAL_FIELDS`; returns how many."""
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CENTRAL_FIELDS)
    count = 0
    for row in rows:
        writer.writerow(
            [spreadsheet_cell(name, row.get(name), plain=plain) for name in CENTRAL_FIELDS]
        )
        count += 1
    return count
