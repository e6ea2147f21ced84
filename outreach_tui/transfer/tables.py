"""Export of groups, events and attendance (`outreach export --kind ...`): the same spreadsheet
conventions as the records' export (UTF-8 with BOM, identifiers kept as text, free text that
starts with = + - @ guarded) unless `plain`; JSON for scripts; XLSX with text cells."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from outreach_tui.domain.spreadsheet import FORMULA_STARTS, spreadsheet_cell

KINDS: dict[str, tuple[str, ...]] = {
    "groups": ("id", "name", "kind", "region_code", "rw", "rt", "contact_name", "contact_phone",
               "contact_role", "declared_workers", "members", "enrolled", "of_members",
               "of_declared", "decline_reasons", "version", "updated_at"),
    "events": ("id", "kind", "starts_at", "held", "place", "group_id", "institution",
               "follows_event_id", "officers", "attended", "enrolled_since", "enrolled_30d",
               "version", "updated_at"),
    "attendance": ("event_id", "event_starts_at", "event_place", "record_id", "full_name",
                   "status_then", "status_now", "decline_reason", "at"),
}  # fmt: skip


def write_table(
    rows: Iterable[Mapping[str, Any]], fields: Sequence[str], fmt: str, out: IO[Any],
    *, plain: bool = False,
) -> int:  # fmt: skip
    """Write rows of one kind as csv, json or xlsx (`out` binary for xlsx); returns how many."""
    if fmt == "json":
        items = [{name: row.get(name) for name in fields} for row in rows]
        out.write(json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        return len(items)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("data")
        sheet.append(list(fields))
        count = 0
        for row in rows:
            sheet.append([guarded_cell(row.get(name)) for name in fields])
            count += 1
        book.save(out)
        return count
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n" if not plain else "\n")
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_cell(name, row.get(name), plain=plain) for name in fields])
        count += 1
    return count


def guarded_cell(value: Any) -> Any:
    """A spreadsheet cell's value: text starting with = + - @ is guarded (no formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
