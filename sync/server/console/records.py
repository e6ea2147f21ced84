"""Finding a record at the branch: by name, NIK prefix (shown masked), phone or the reference
code printed on the slip; a record's versions, visits and consent proof; payments recorded at
the branch; CSV/XLSX of what a search shows."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

from outreach_tui.slips import codec
from outreach_tui.transfer.tables import guarded_cell
from sync.server import arrears
from sync.server import central_sql as sql
from sync.server.arrears import PaymentResult
from sync.server.console.store import ConsoleStore, Refused, Staff
from sync.server.export import CENTRAL_FIELDS, central_row, write_csv
from sync.server.sqlite_writer import _state
from sync.server.storage import RecordState

MAX_QUERY = 64
MAX_SHOWN = 50
MAX_EXPORT = 200_000
_REFERENCE = re.compile(r"^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}-?[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4}$")


@dataclass(frozen=True, slots=True)
class Found:
    states: list[RecordState]
    kind: str  # name, nik, phone, reference, all
    more: bool


def _reference_prefix(text: str) -> str | None:
    """The record-id prefix a slip's reference code stands for (its first 40 bits)."""
    if not _REFERENCE.match(text) or text.isdigit():  # eight digits: an NIK prefix
        return None
    try:
        raw = codec.decode(text.replace("-", "").upper())
    except ValueError:
        return None
    hexed = raw[:5].hex()
    return f"{hexed[:8]}-{hexed[8:10]}"


def search(console: ConsoleStore, branch: str, query: str, limit: int = MAX_SHOWN) -> Found:
    """The branch's records matching `query` (see the module doc), newest first."""
    text = query.strip()
    if len(text) > MAX_QUERY:
        raise Refused("console.records.query_long", max=MAX_QUERY)
    digits = re.sub(r"[\s.+-]", "", text)
    where, params, kind = "", [], "all"
    reference = _reference_prefix(text)
    if not text:
        pass
    elif reference is not None:
        where, params, kind = " AND r.record_id LIKE ?", [reference + "%"], "reference"
    elif digits.isdigit() and len(digits) >= 4:
        if digits.startswith(("08", "62")):
            tail = digits[-9:]  # the phone as stored (+62...) ends like the one typed
            where, params, kind = " AND coalesce(r.record, v.data) LIKE ?", [f"%{tail}%"], "phone"
        else:
            where, params, kind = " AND r.nik LIKE ?", [digits[:16] + "%"], "nik"
    elif len(text) >= 2:
        pattern = "%" + text.lower().replace("%", "").replace("_", "") + "%"
        where, params, kind = " AND lower(coalesce(r.record, v.data)) LIKE ?", [pattern], "name"
    else:
        raise Refused("console.records.query_short")
    rows = console.rows(
        sql.RECORD_SELECT + " WHERE r.branch = ?" + where + " ORDER BY r.updated_at DESC LIMIT ?",
        (branch, *params, limit * 4 + 1),
    )
    states = [_state(row) for row in rows]
    if kind == "name":
        needle = text.casefold()
        states = [s for s in states if needle in str(s.record.get("full_name") or "").casefold()]
    elif kind == "phone":
        states = [s for s in states if digits[-9:] in re.sub(r"\D", "", str(s.record.get("phone")))]
    return Found(states[:limit], kind, len(states) > limit or len(rows) > limit * 4)


def detail(console: ConsoleStore, branch: str, record_id: str) -> dict[str, Any] | None:
    """One record of the branch with its versions and visits (None: not in this branch)."""
    state = console.storage.record(record_id)
    if state is None or state.branch != branch:
        return None
    versions = console.rows(
        "SELECT v.version, v.base_version, v.received_at, v.officer_id, v.device_id, "
        "v.content_hash FROM record_versions v JOIN records r ON r.rid = v.rid "
        "WHERE r.record_id = ? ORDER BY v.version DESC",
        (record_id,),
    )
    visits = console.rows(
        "SELECT data, officer_id, received_at FROM visits WHERE record_id = ? AND branch = ?",
        (record_id, branch),
    )
    keys = ("version", "base_version", "received_at", "officer_id", "device_id", "hash")
    shown_visits = []
    for data, officer_id, received_at in visits:
        visit = json.loads(data)
        shown_visits.append({"at": visit.get("at"), "outcome": visit.get("outcome"),
                             "note": visit.get("note"), "officer_id": officer_id,
                             "received_at": received_at})  # fmt: skip
    shown_visits.sort(key=lambda v: str(v["at"] or ""), reverse=True)
    return {"state": state, "versions": [dict(zip(keys, v, strict=True)) for v in versions],
            "visits": shown_visits}  # fmt: skip


def record_payment(
    console: ConsoleStore, staff: Staff, record_id: str, months: int = 1
) -> PaymentResult:
    """A payment recorded at the branch (`sync.server.arrears.record_payment`): the first makes
    an enrolled participant active, a later one moves the paid-through month on and may make an
    inactive participant active again; the officer's laptop learns it with its next pull."""
    from outreach_tui.domain.codes import PAYMENT_PERIODS

    if months not in PAYMENT_PERIODS:
        raise Refused("console.paid.months", choices=", ".join(map(str, PAYMENT_PERIODS)))
    result = arrears.record_payment(console.storage, record_id, months,
                                    today=console.now().date(), by=staff.username,
                                    branch=staff.branch)  # fmt: skip
    if result.outcome == "not_found":
        raise Refused("console.review.not_found")
    if result.outcome in ("paid", "reactivated"):
        console.audit(staff, "payment", record_id=record_id,
                      detail={"months": months, "paid_through": result.paid_through})  # fmt: skip
    return result


def export_csv(states: list[RecordState]) -> bytes:
    out = io.StringIO()
    write_csv((central_row(s) for s in states), out)
    return out.getvalue().encode("utf-8")


def export_xlsx(states: list[RecordState]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.append(list(CENTRAL_FIELDS))
    for state in states:
        row = central_row(state)
        sheet.append([guarded_cell(row.get(name)) for name in CENTRAL_FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["Found", "detail", "export_csv", "export_xlsx", "record_payment", "search"]
