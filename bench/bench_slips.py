"""Slip benchmark: 500 slips into one PDF, and slips per second as PNG and as ESC/POS.

Budget (DESIGN.md): 500 slips into one PDF < 3 s, measured the way `outreach slips` makes
them: records read from a local store, each signed, laid out and added as a page, the PDF
written. The QR encoder is measured next to qrcode's own `make()` on the same payloads: the
ratio is why the slips use their own mask selection.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import qrcode
from qrcode.util import QRData

from bench.common import Report, stopwatch, work_dir
from bench.datagen import generate
from outreach_tui.config import Settings, resolve_paths
from outreach_tui.domain.record import validate_record
from outreach_tui.slips import qr
from outreach_tui.slips.content import make_slip
from outreach_tui.slips.keys import DeviceKey, ensure_device_key
from outreach_tui.slips.pdf import SlipDocument
from outreach_tui.slips.png import render_png
from outreach_tui.slips.thermal import escpos_bytes
from outreach_tui.store import open_store

TODAY = date(2026, 11, 23)
BATCH = 500
OFFICER = Settings(officer_id="P-0012345", officer_name="Budi Santoso", branch="KC-BDG")


def _enrolled(count: int) -> list[dict[str, Any]]:
    """`count` valid enrolled records from the data generator."""
    found: list[dict[str, Any]] = []
    for row in generate(count * 4, seed=11, today=TODAY, messy=False):
        if row["status"] != "enrolled":
            continue
        result = validate_record(row, today=TODAY)
        if result.ok:
            found.append(result.record)
            if len(found) == count:
                break
    return found


def _store(path: Path, records: list[dict[str, Any]]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with open_store(path) as store:
        store.save_records(records, actor="bench", officer_id=OFFICER.officer_id)


def _key(out: Path) -> DeviceKey:
    paths = resolve_paths({"OUTREACH_HOME": str(out / "slips-home")})
    return ensure_device_key(paths, data_key=os.urandom(32), device_id="bench")


def bench_pdf(report: Report, db_path: Path, key: DeviceKey, out: Path, count: int) -> None:
    """Read enrolled records from the store, sign and lay out each, write one PDF."""
    pdf_path = out / "slips.pdf"
    with stopwatch() as took, open_store(db_path) as store:
        document = SlipDocument()
        for record in store.iter_records(status="enrolled"):
            document.add(make_slip(record, OFFICER, key, issued=TODAY), "a6")
        pdf_path.write_bytes(document.output())
    seconds = took[0]
    pages = document.pages
    budgeted = pages >= BATCH
    report.add(
        f"{pages} slips into one PDF (store -> sign -> A6 PDF)",
        f"{seconds:.2f} s",
        "< 3 s" if budgeted else "",
        seconds < 3 if budgeted else None,
        f"{pages / seconds:,.0f} slips/s, {pdf_path.stat().st_size / pages / 1024:.1f} KiB a page",
    )


def _rate(what: str, report: Report, slips: list[Any], render: Any) -> None:
    start = time.perf_counter()
    for slip in slips:
        render(slip)
    seconds = time.perf_counter() - start
    report.add(what, f"{len(slips) / seconds:,.0f} slips/s", note=f"{len(slips)} slips")


def bench_qr(report: Report, payloads: list[str]) -> None:
    """The project's QR encoder next to qrcode's own on the same payloads."""
    start = time.perf_counter()
    for text in payloads:
        qr.encode(text)
    ours = (time.perf_counter() - start) / len(payloads)
    start = time.perf_counter()
    for text in payloads:
        code = qrcode.QRCode(error_correction=qr.ERROR_CORRECTION, border=0)
        code.add_data(QRData(text.encode()))
        code.make(fit=True)
    theirs = (time.perf_counter() - start) / len(payloads)
    report.add(
        "  QR code of one slip (version 7-M, mask chosen)",
        f"{ours * 1000:.2f} ms",
        note=f"qrcode make(): {theirs * 1000:.2f} ms, {theirs / ours:.0f}x slower",
    )


def run(report: Report, count: int) -> None:
    """The slip rows of the budget table (`count` caps the batch for quick runs)."""
    out = work_dir()
    batch = min(BATCH, max(1, count))
    records = _enrolled(batch)
    db_path = out / "bench-slips.db"
    _store(db_path, records)
    key = _key(out)
    bench_pdf(report, db_path, key, out, batch)
    with open_store(db_path) as store:
        stored = list(store.iter_records(status="enrolled"))
    slips = [make_slip(r, OFFICER, key, issued=TODAY) for r in stored]
    bench_qr(report, [s.payload for s in slips[:200]])
    _rate("  PNG slips (58 mm, 203 dpi)", report, slips[:100], lambda s: render_png(s, "58mm"))
    _rate("  ESC/POS slips (58 mm, native QR)", report, slips, lambda s: escpos_bytes(s, "58mm"))
