"""The central rules for a pushed batch: every item answered on its own, replays harmless.

Order of the checks for a record version (docs/sync-protocol.md explains the choices):
1. the id is a UUID, `data` hashes to `content_hash`, `data.id` (if given) is the item id,
   `version` > `base_version`;
2. a record held by another branch is refused (`branch.forbidden`);
3. the version is inserted: the database's primary key on (record_id, version) answers a replay
   (same hash: `duplicate`) or a different content (`conflict`, `version.content_differs`);
4. an existing record must be based on the server's current version (`version.stale_base`); a
   record new to the server is accepted whatever its base (there is nothing to overwrite);
5. `validate_record` with the server's current record as `previous` (errors: `rejected`);
6. the current state is saved: an NIK held by another record flags this one (`duplicate` with
   `duplicate_of`); an enrolled, unflagged record gets its KPJ number once.
Any refusal after step 3 rolls back that item's writes only (a savepoint).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outreach_tui.domain import codes, fields
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import validate_record
from sync.protocol import ItemResult, ItemStatus, PushItem, Reason, canonical_json
from sync.server.storage import (
    CentralStorage,
    CentralWriter,
    CurrentRecord,
    Device,
    NewVersion,
    NewVisit,
    RecordState,
)
from sync.server.visits import check_visit

KPJ_STATUSES = frozenset({"enrolled", "active"})


@dataclass(frozen=True, slots=True)
class PushContext:
    """Who pushes, and the clock and language the answers use."""

    device: Device
    today: dt.date
    at: str
    lang: str


class _Refused(Exception):
    """Unwinds an item's savepoint and carries the answer for that item."""

    def __init__(self, result: ItemResult) -> None:
        super().__init__(result.status)
        self.result = result


def _reasons(problems: Sequence[Problem], lang: str) -> list[Reason]:
    return [Reason(**p.to_dict(lang)) for p in problems]


def _answer(
    item: PushItem,
    status: ItemStatus,
    ctx: PushContext,
    *problems: Problem,
    duplicate_of: str | None = None,
    kpj_number: str | None = None,
) -> ItemResult:
    return ItemResult(
        kind=item.kind,
        id=item.id,
        version=item.version,
        status=status,
        reasons=_reasons(problems, ctx.lang),
        duplicate_of=duplicate_of,
        kpj_number=kpj_number,
    )


def _refuse(item: PushItem, status: ItemStatus, ctx: PushContext, *problems: Problem) -> _Refused:
    return _Refused(_answer(item, status, ctx, *problems))


def _flag(duplicate_of: str) -> Problem:
    return Problem("nik", "nik.held_by_other", {"duplicate_of": duplicate_of})


def _replay(item: PushItem, ctx: PushContext, state: RecordState | None) -> ItemResult:
    """The answer to a version already stored: `duplicate`, with the record's central facts."""
    flagged = state.duplicate_of if state is not None else None
    return _answer(
        item,
        "duplicate",
        ctx,
        *((_flag(flagged),) if flagged else ()),
        duplicate_of=flagged,
        kpj_number=state.kpj_number if state is not None else None,
    )


@dataclass(frozen=True, slots=True)
class _Checked:
    """An item whose id and hash hold: canonical id, hash, and the canonical JSON hashed."""

    id: str
    digest: str
    data_json: str


def _checked(item: PushItem, ctx: PushContext) -> _Checked:
    """The item's canonical id and content hash, or a refusal when either does not hold."""
    item_id, problems = fields.read_uuid(item.id, "id")
    if problems or not isinstance(item_id, str):
        raise _refuse(item, "rejected", ctx, *problems)
    try:
        canonical = canonical_json(item.data)
    except (UnicodeError, ValueError, TypeError):
        raise _refuse(item, "rejected", ctx, Problem("data", "data.encoding")) from None
    digest = hashlib.sha256(canonical).hexdigest()
    if digest != item.content_hash.lower():
        raise _refuse(item, "rejected", ctx, Problem("content_hash", "content_hash.mismatch"))
    data_id = item.data.get("id")
    if not fields.is_blank(data_id):
        inner_id, bad = fields.read_uuid(data_id, "id")
        if bad or inner_id != item_id:
            raise _refuse(item, "rejected", ctx, Problem("id", "id.mismatch"))
    return _Checked(item_id, digest, canonical.decode("utf-8"))


def _incoming_status(data: Mapping[str, Any]) -> str | None:
    value = data.get("status")
    return codes.normalize_code(value) if isinstance(value, str) else None


def _record(writer: CentralWriter, item: PushItem, ctx: PushContext) -> ItemResult:
    """Steps 1-6 of the module doc for one record version."""
    checked = _checked(item, ctx)
    record_id, digest = checked.id, checked.digest
    base = item.base_version
    if base is not None and item.version <= base:
        problem = Problem(
            "version", "version.not_after_base", {"version": item.version, "base_version": base}
        )
        raise _refuse(item, "rejected", ctx, problem)
    state = writer.record_state(record_id)
    device = ctx.device
    if state is not None and state.branch != device.branch:
        raise _refuse(item, "rejected", ctx, Problem("id", "branch.forbidden"))
    stored = NewVersion(
        record_id, item.version, base, digest, checked.data_json, device.branch, device.officer_id,
        device.device_id, ctx.at,
    )  # fmt: skip
    if not writer.insert_version(stored):
        existing = writer.stored_version(record_id, item.version)
        if existing is not None and existing.content_hash == digest:
            return _replay(item, ctx, state)
        differs = Problem("version", "version.content_differs", {"version": item.version})
        raise _refuse(item, "conflict", ctx, differs)
    if state is not None and base != state.version:
        shown_base: int | str = "-" if base is None else base
        stale = Problem(
            "base_version",
            "version.stale_base",
            {"base_version": shown_base, "current_version": state.version},
        )
        raise _refuse(item, "conflict", ctx, stale)
    raw = dict(item.data)
    raw["id"] = record_id
    previous: dict[str, Any] | None = None
    if state is not None:
        previous = {**state.record, "status": state.status}
        # A paid participant's laptop may not have pulled `active` yet: its `enrolled` means active.
        if state.status == "active" and _incoming_status(raw) == "enrolled":
            raw["status"] = "active"
    check = validate_record(raw, today=ctx.today, previous=previous)
    if not check.ok:
        raise _refuse(item, "rejected", ctx, *check.errors)
    record = check.record
    holder = writer.save_current(
        CurrentRecord(
            record_id, device.branch, device.officer_id, item.version, digest, record,
            record.get("nik"), ctx.at,
        )
    )  # fmt: skip
    was_flagged = state.duplicate_of if state is not None else None
    if holder != was_flagged:
        writer.log_change(
            device.branch, record_id, "duplicate_nik", {"duplicate_of": holder}, ctx.at
        )
    kpj = state.kpj_number if state is not None else None
    if holder is None and kpj is None and record.get("status") in KPJ_STATUSES:
        kpj, _ = writer.assign_kpj(record_id, ctx.at)
        writer.log_change(device.branch, record_id, "kpj_number", {"kpj_number": kpj}, ctx.at)
    if holder is not None:
        return _answer(item, "duplicate", ctx, _flag(holder), duplicate_of=holder, kpj_number=kpj)
    return _answer(item, "accepted", ctx, kpj_number=kpj)


def _visit(writer: CentralWriter, item: PushItem, ctx: PushContext) -> ItemResult:
    """A visit: checked, tied to a record of this branch when it names one, stored once."""
    checked = _checked(item, ctx)
    visit_id, digest = checked.id, checked.digest
    record_id, problems = check_visit(item.data)
    if problems:
        raise _refuse(item, "rejected", ctx, *problems)
    device = ctx.device
    if record_id is not None:
        # An unknown record is fine (it may come in a later batch); another branch's is not.
        owner = writer.record_state(record_id)
        if owner is not None and owner.branch != device.branch:
            raise _refuse(item, "rejected", ctx, Problem("record_id", "branch.forbidden"))
    visit = NewVisit(
        visit_id, record_id, digest, checked.data_json, device.branch, device.officer_id,
        device.device_id, ctx.at,
    )  # fmt: skip
    if writer.insert_visit(visit):
        return _answer(item, "accepted", ctx)
    existing = writer.stored_visit(visit_id)
    if existing is not None and existing.branch != device.branch:
        raise _refuse(item, "rejected", ctx, Problem("id", "branch.forbidden"))
    if existing is not None and existing.content_hash == digest:
        return _answer(item, "duplicate", ctx)
    params = {"version": item.version}
    raise _refuse(item, "conflict", ctx, Problem("id", "visit.content_differs", params))


def push_items(
    storage: CentralStorage, items: Sequence[PushItem], ctx: PushContext
) -> list[ItemResult]:
    """Answer every item of a batch in order, in one transaction; one item never blocks another."""
    results: list[ItemResult] = []
    with storage.write() as writer:
        for item in items:
            handle = _record if item.kind == "record" else _visit
            try:
                with writer.item():
                    results.append(handle(writer, item, ctx))
            except _Refused as refused:
                results.append(refused.result)
    return results
