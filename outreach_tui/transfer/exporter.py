"""Export records as CSV, JSON or XLSX for the branch, spreadsheets and scripts.

The CSV is written for spreadsheet programs by default: UTF-8 with a BOM, CRLF line
ends, identifiers that look like numbers (NIK, phone, KPJ, RW/RT) wrapped as
`="..."` so they keep every digit and leading zero, and free text that starts with
= + - @ guarded by an apostrophe (no formula injection). `plain=True` writes raw
values for scripts. Our importer reads both forms back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from outreach_tui.domain.record import EXPORT_ONLY_FIELDS, RECORD_FIELDS
from outreach_tui.domain.spreadsheet import FORMULA_STARTS, NUMERIC_TEXT, spreadsheet_cell

EXPORT_FIELDS: tuple[str, ...] = tuple(RECORD_FIELDS) + tuple(EXPORT_ONLY_FIELDS)
FORMATS = ("csv", "json", "xlsx")

_INT_FIELDS = frozenset({"monthly_income", "payment_period", "monthly_contribution"})


def export_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """One record as the export contract's typed values (JSON types, None when empty)."""
    row: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        value = record.get(name)
        if name == "consent":
            value = bool(value)
        elif name in _INT_FIELDS and value is not None and value != "":
            value = int(value)
        elif value == "":
            value = None
        row[name] = value
    return row


def write_csv(records: Iterable[Mapping[str, Any]], out: IO[str], *, plain: bool = False) -> int:
    """Write the CSV; returns the number of records written."""
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n" if not plain else "\n")
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for record in records:
        row = export_row(record)
        writer.writerow([spreadsheet_cell(name, row[name], plain=plain) for name in EXPORT_FIELDS])
        count += 1
    return count


def write_json(records: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Write a JSON array, streaming one object at a time (100k records fit in no memory spike)."""
    out.write("[")
    count = 0
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(export_row(record), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_xlsx(records: Iterable[Mapping[str, Any]], path: Any) -> int:
    """Write an Excel workbook; identifiers are text cells so no digit is lost."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    sheet.append(list(EXPORT_FIELDS))
    count = 0
    for record in records:
        row = export_row(record)
        cells = []
        for name in EXPORT_FIELDS:
            value = row[name]
            if (
                isinstance(value, str)
                and value.startswith(FORMULA_STARTS)
                and name not in NUMERIC_TEXT
            ):
                value = "'" + value
            cell = WriteOnlyCell(sheet, value=value)
            if name in NUMERIC_TEXT and value is not None:
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count
