"""CSV import: validate every row, store the valid ones in one transaction, report the rest.

Used by `outreach import` and, later, by the TUI. Rules that make a re-import safe:
a row with a stored `id` updates that record (a new version); a row without `id`
whose NIK is already stored, or repeats an NIK (or the same person without NIK)
earlier in the file, is rejected as a duplicate. Nothing is half-written: the valid
rows go to the store in one transaction or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from outreach_tui.domain.i18n import translate
from outreach_tui.domain.names import name_key
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import EXPORT_ONLY_FIELDS, RECORD_FIELDS, validate_record
from outreach_tui.store.bulk import gc_paused
from outreach_tui.transfer.csvfile import read_csv

IMPORT_FIELDS: tuple[str, ...] = tuple(RECORD_FIELDS) + tuple(EXPORT_ONLY_FIELDS)


class ImportTarget(Protocol):
    """What the importer needs from the store."""

    def existing_records(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def ids_for_niks(self, niks: list[str]) -> dict[str, list[str]]: ...

    def people_without_nik(self) -> Iterable[Mapping[str, Any]]: ...

    def save_records(
        self, records: list[dict[str, Any]], *, actor: str, officer_id: str | None = None
    ) -> list[Any]: ...


@dataclass
class ImportReport:
    """What happened to each row, in the shape of the `--json` report."""

    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    encoding: str = ""
    dry_run: bool = False
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)
    warnings: list[tuple[int, Problem]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every row was stored, 1 when some were rejected."""
        return 1 if self.rejected else 0

    def to_json(self, lang: str = "id") -> dict[str, Any]:
        """The documented JSON report: stored, updated, rejected rows, warnings."""
        return {
            "stored": self.stored,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "rejected": [
                {"row": line, "errors": [p.to_dict(lang) for p in problems]}
                for line, problems in self.rejected
            ],
            "warnings": [{"row": line, **p.to_dict(lang)} for line, p in self.warnings],
        }


def person_key(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Who a record without NIK is: the same name, birth date, phone and address."""
    return (
        name_key(str(record.get("full_name") or "")),
        str(record.get("birth_date") or ""),
        str(record.get("phone") or ""),
        str(record.get("region_code") or ""),
        str(record.get("rw") or ""),
        str(record.get("rt") or ""),
    )


def import_csv(
    path: Path,
    store: ImportTarget,
    *,
    today: date,
    actor: str,
    officer_id: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import one CSV file; raises UnreadableFile (nothing stored) when it cannot be read.

    The collector is paused for the whole import (rows unknown yet: None): a 100k-row file
    makes millions of small objects and no cycles, and full collections over them cost
    ~1.3 s outside the store's own pause. It resumes and catches up at the end.
    """
    with gc_paused():
        return _import_csv(path, store, today, actor, officer_id, dry_run)


def _import_csv(
    path: Path,
    store: ImportTarget,
    today: date,
    actor: str,
    officer_id: str | None,
    dry_run: bool,
) -> ImportReport:
    table = read_csv(path, IMPORT_FIELDS)
    report = ImportReport(encoding=table.encoding, dry_run=dry_run)
    for column in table.unknown_columns:
        # The position, never the header text: a data row taken for a header would echo it.
        position = table.header.index(column) + 1
        report.warnings.append((1, Problem("column", "column.unknown", {"position": position})))

    parsed = list(table.rows())
    report.rows = len(parsed)
    ids = [str(values.get("id", "")).strip().lower() for _, values, _ in parsed]
    existing = store.existing_records([i for i in ids if i])
    valid: list[tuple[int, dict[str, Any]]] = []
    for (line, values, extra), raw_id in zip(parsed, ids, strict=True):
        problems: list[Problem] = []
        if extra:
            problems.append(Problem("row", "row.extra_cells", {"count": extra}))
        previous = existing.get(raw_id)
        raw: Mapping[str, Any] = values  # validate_record() only reads it
        if previous is not None:
            # An update names only the columns it changes; the others keep their stored values.
            raw = {**{k: previous.get(k) for k in RECORD_FIELDS}, **values}
        result = validate_record(raw, today=today, previous=previous)
        problems.extend(result.errors)
        if problems:
            report.rejected.append((line, problems))
        else:
            valid.append((line, result.record))
        report.warnings.extend((line, w) for w in result.warnings)

    accepted = _reject_duplicates(valid, store, existing, report)
    report.rejected.sort(key=lambda item: item[0])
    report.warnings.sort(key=lambda item: item[0])

    to_save = [record for _, record in accepted]
    new_count = sum(1 for r in to_save if not r.get("id") or r["id"] not in existing)
    if dry_run:
        report.stored = new_count
        report.updated = len(to_save) - new_count
        return report
    if to_save:
        saved = store.save_records(to_save, actor=actor, officer_id=officer_id)
        for item in saved:
            if item.is_new_record:
                report.stored += 1
            elif item.created:
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def _reject_duplicates(
    valid: list[tuple[int, dict[str, Any]]],
    store: ImportTarget,
    existing: Mapping[str, Mapping[str, Any]],
    report: ImportReport,
) -> list[tuple[int, dict[str, Any]]]:
    """Drop rows that would store someone twice, with a reason naming the earlier copy."""
    new_rows = [(line, r) for line, r in valid if not r.get("id") or r["id"] not in existing]
    stored_niks = store.ids_for_niks([r["nik"] for _, r in new_rows if r.get("nik")])
    need_keys = any(not r.get("nik") and not r.get("id") for _, r in valid)
    stored_keys = {person_key(r) for r in store.people_without_nik()} if need_keys else set()

    seen_ids: dict[str, int] = {}
    seen_niks: dict[str, int] = {}
    seen_keys: dict[tuple[str, ...], int] = {}
    kept: list[tuple[int, dict[str, Any]]] = []
    for line, record in valid:
        rid = record.get("id")
        nik = record.get("nik")
        problem: Problem | None = None
        if rid and rid in seen_ids:
            problem = Problem("id", "id.duplicate_file", {"line": seen_ids[rid]})
        elif nik and nik in seen_niks:
            problem = Problem("nik", "nik.duplicate_file", {"line": seen_niks[nik]})
        elif nik and (not rid or rid not in existing) and nik in stored_niks:
            problem = Problem("nik", "nik.duplicate_store", {})
        elif not rid and not nik:
            key = person_key(record)
            if key in seen_keys:
                problem = Problem("full_name", "person.duplicate_file", {"line": seen_keys[key]})
            elif key in stored_keys:
                problem = Problem("full_name", "person.duplicate_store", {})
            else:
                seen_keys[key] = line
        if problem is not None:
            report.rejected.append((line, [problem]))
            continue
        if rid:
            seen_ids[rid] = line
        if nik:
            seen_niks[nik] = line
        kept.append((line, record))
    return kept


def describe(report: ImportReport, lang: str) -> list[str]:
    """Human lines for the terminal: one per rejected row, then the totals."""
    lines: list[str] = []
    for line, problems in report.rejected:
        for p in problems:
            lines.append(
                translate(
                    "import.rejected_line", lang, line=line, field=p.field, message=p.message(lang)
                )
            )
    for line, p in report.warnings:
        lines.append(
            translate(
                "import.warning_line", lang, line=line, field=p.field, message=p.message(lang)
            )
        )
    key = "import.summary_dry_run" if report.dry_run else "import.summary"
    lines.append(
        translate(
            key,
            lang,
            rows=report.rows,
            stored=report.stored,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejected),
            warnings=len(report.warnings),
        )
    )
    return lines
