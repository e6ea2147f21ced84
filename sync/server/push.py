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

A record new to the server has no stored version, so step 3 cannot refuse it: it is validated
first and stored with its version (its current row comes first, as the version hangs off it).

The batch is answered in order, but not one item at a time: step 1 runs for every item, one
query reads which of the batch's records the server holds (`record_heads`), and then
- a record new to the server (and not earlier in the batch) is validated and queued; queued
  records are stored together (`insert_new_records`, one statement run for many rows), with
  their KPJ numbers and server changes, before any item that follows them is handled;
- a replay of a record's current version is answered from what was read, writing nothing;
- anything else (a new version, a visit, a record queued and then refused by the database
  because its NIK is taken) takes the one-item path inside its own savepoint.
The answers, KPJ numbers and server changes are the same as handling the items one by one;
the database's unique keys still decide every write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import validate_record
from sync.protocol import PushItem
from sync.server.answers import (
    KPJ_STATUSES,
    Answer,
    PushContext,
    _answer,
    _Checked,
    _checked,
    _incoming_status,
    _not_after_base,
    _refuse,
    _Refused,
    _replay,
    shown_holder,
)
from sync.server.groups import HANDLERS, Known
from sync.server.storage import (
    CentralStorage,
    CentralWriter,
    CurrentRecord,
    NewChange,
    NewRecord,
    NewVersion,
    NewVisit,
    RecordState,
)
from sync.server.visits import check_visit

VERSIONED = frozenset({"record", "group", "event"})  # kinds whose items carry a base version


def _record(writer: CentralWriter, item: PushItem, ctx: PushContext, checked: _Checked) -> Answer:
    """Steps 2-6 of the module doc for one record version whose step 1 holds."""
    record_id, digest = checked.id, checked.digest
    base = item.base_version
    state = writer.record_state(record_id)
    device = ctx.device
    if state is not None and state.branch != device.branch:
        raise _refuse(item, "rejected", ctx, Problem("id", "branch.forbidden"))
    if state is not None and state.officer_id != device.officer_id:
        # A new version of a colleague's record: only its owner (any of the owner's laptops)
        # changes it; the branch reassigns work, a token does not.
        raise _refuse(item, "rejected", ctx, Problem("id", "officer.forbidden"))
    stored = NewVersion(
        record_id, item.version, base, digest, checked.data_json, device.branch, device.officer_id,
        device.device_id, ctx.at,
    )  # fmt: skip
    if state is not None:
        if not writer.insert_version(stored):
            raise _Refused(_stored_already(writer, item, ctx, stored, state))
        if base != state.version:
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
            record.get("nik"), ctx.at, *_consent_proof(item, record),
        )
    )  # fmt: skip
    if state is None and not writer.insert_version(stored):  # pragma: no cover - see storage
        raise _Refused(_stored_already(writer, item, ctx, stored, state))
    was_flagged = state.duplicate_of if state is not None else None
    shown, flag_reasons = shown_holder(writer, device.branch, device.officer_id, holder)
    if holder != was_flagged:
        writer.log_change(
            device.branch, record_id, "duplicate_nik", {"duplicate_of": shown}, ctx.at
        )
    kpj = state.kpj_number if state is not None else None
    if holder is None and kpj is None and record.get("status") in KPJ_STATUSES:
        kpj, _ = writer.assign_kpj(record_id, ctx.at)
        writer.log_change(device.branch, record_id, "kpj_number", {"kpj_number": kpj}, ctx.at)
    if holder is not None:
        return _answer(item, "duplicate", ctx, *flag_reasons, duplicate_of=shown, kpj_number=kpj)
    return _answer(item, "accepted", ctx, kpj_number=kpj)


def _consent_proof(
    item: PushItem, record: dict[str, Any]
) -> tuple[str | None, str | None, str | None]:
    """The consent proof sent next to the version, kept only while the record has consent."""
    if item.consent_at is None or record.get("consent") is not True:
        return None, None, None
    return item.consent_at, item.consent_by, item.consent_version


def _stored_already(
    writer: CentralWriter,
    item: PushItem,
    ctx: PushContext,
    stored: NewVersion,
    state: RecordState | None,
) -> Answer:
    """Step 3's answer when (record id, version) is taken: a replay, or other content."""
    existing = writer.stored_version(stored.record_id, stored.version)
    if existing is not None and existing.content_hash == stored.content_hash:
        return _replay(item, ctx, state, writer)
    params: dict[str, object] = {"version": item.version}
    if state is not None:
        params["current_version"] = state.version
    differs = Problem("version", "version.content_differs", params)
    return _answer(item, "conflict", ctx, differs)


def _visit(writer: CentralWriter, item: PushItem, ctx: PushContext, checked: _Checked) -> Answer:
    """A visit: checked, tied to a record of this branch when it names one, stored once."""
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


def _same_json(record: dict[str, Any], raw: dict[str, Any]) -> bool:
    """Whether `record` encodes to the same JSON as `raw`: the same keys, values and types.

    `==` alone is not enough (1 == 1.0 == True, but they are written differently), so the
    values' types must match too, and only flat records are compared (no lists or dicts).
    The loops run in C (map), as this runs for every record of every batch.
    """
    if record != raw:
        return False
    types = list(map(type, record.values()))
    return _SCALARS.issuperset(types) and types == list(map(type, map(raw.__getitem__, record)))


_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass(slots=True)
class _Fresh:
    """A valid record new to the server, queued to be stored with the others of its run."""

    index: int
    item: PushItem
    new: NewRecord
    enrolled: bool


class _Batch:
    """One batch in one transaction: the queue of new records and the answers so far."""

    def __init__(self, writer: CentralWriter, items: Sequence[PushItem], ctx: PushContext):
        self.writer = writer
        self.items = items
        self.ctx = ctx
        self.results: list[Answer | None] = [None] * len(items)
        self.run: list[_Fresh] = []
        self.known: Known | None = None  # the group kinds' look-ups, made at the first of them

    def one(self, index: int, checked: _Checked) -> None:
        """The one-item path: the item's writes in a savepoint, undone when it is refused."""
        item = self.items[index]
        grouped = HANDLERS.get(item.kind)
        if grouped is not None:  # refused before any write (sync/server/groups.py): no savepoint
            if self.known is None:
                self.known = Known(self.writer, [i for i in self.items if i.kind in HANDLERS])
            try:
                self.results[index] = grouped(self.known, item, self.ctx, checked)
            except _Refused as refused:
                self.results[index] = refused.result
            return
        handle = _record if item.kind == "record" else _visit
        try:
            with self.writer.item():
                self.results[index] = handle(self.writer, item, self.ctx, checked)
        except _Refused as refused:
            self.results[index] = refused.result

    def fresh(self, index: int, checked: _Checked) -> None:
        """Step 5 for a record new to the server; a valid one is queued to be stored."""
        item, ctx = self.items[index], self.ctx
        raw = dict(item.data)
        raw["id"] = checked.id
        check = validate_record(raw, today=ctx.today, previous=None)
        if not check.ok:
            self.results[index] = _answer(item, "rejected", ctx, *check.errors)
            return
        record, device = check.record, ctx.device
        new = NewRecord(
            checked.id, item.version, item.base_version, checked.digest, checked.data_json,
            record, _same_json(record, raw), record.get("nik"), device.branch, device.officer_id,
            device.device_id, ctx.at, *_consent_proof(item, record),
        )  # fmt: skip
        self.run.append(_Fresh(index, item, new, record.get("status") in KPJ_STATUSES))

    def flush(self) -> None:
        """Store the queued records in order; one the database refuses takes the one-item path."""
        run, self.run = self.run, []
        start = 0
        while start < len(run):
            stored = self.writer.insert_new_records([fresh.new for fresh in run[start:]])
            done = run[start : start + stored]
            self._stored(done)
            start += stored
            if start < len(run):
                refused = run[start].new
                checked = _Checked(refused.record_id, refused.content_hash, refused.data_json)
                self.one(run[start].index, checked)
                start += 1

    def _stored(self, done: list[_Fresh]) -> None:
        """Answers, KPJ numbers and server changes for records just stored, unflagged."""
        enrolled = [fresh for fresh in done if fresh.enrolled]
        ctx = self.ctx
        numbers = dict(
            zip(
                (fresh.index for fresh in enrolled),
                self.writer.assign_new_kpjs([fresh.new.record_id for fresh in enrolled], ctx.at),
                strict=True,
            )
        )
        if enrolled:
            self.writer.log_changes(
                [
                    NewChange(
                        ctx.device.branch,
                        fresh.new.record_id,
                        "kpj_number",
                        {"kpj_number": numbers[fresh.index]},
                        ctx.at,
                    )
                    for fresh in enrolled
                ]
            )
        for fresh in done:
            self.results[fresh.index] = _answer(
                fresh.item, "accepted", ctx, kpj_number=numbers.get(fresh.index)
            )


_SAMPLE = {
    "full_name": "Budi Santoso", "nik": "3201011505800001", "birth_date": "1980-05-15",
    "sex": "M", "phone": "081234567890", "region_code": "32.01.01.2001", "programs": "JKK,JKM",
    "monthly_income": 2_000_000, "occupation": "pedagang_pasar", "status": "enrolled",
    "consent": True, "follow_up_on": "2026-02-01",
}  # fmt: skip


def warm_up(today: dt.date) -> None:
    """Validate a sample record once, so the tables validation loads on first use (regions,
    lokal: ~0.3 s) are loaded when the server starts, not inside the first push."""
    validate_record(_SAMPLE, today=today)


def push_items(
    storage: CentralStorage,
    items: Sequence[PushItem],
    ctx: PushContext,
    *,
    batched: bool = True,
) -> list[Answer]:
    """Answer every item of a batch in order, in one transaction; one item never blocks another.

    `batched=False` takes the one-item path for every item: the reference the tests hold the
    batched path to (same answers, same database afterwards).
    """
    # Step 1 needs no database.
    checks: list[_Checked | Answer] = []
    for item in items:
        try:
            checked = _checked(item, ctx)
            refused = _not_after_base(item, ctx) if item.kind in VERSIONED else None
            if refused is not None:
                raise refused
            checks.append(checked)
        except _Refused as refusal:
            checks.append(refusal.result)
    record_ids = [
        check.id
        for item, check in zip(items, checks, strict=True)
        if item.kind == "record" and isinstance(check, _Checked)
    ]
    with storage.write(ctx.device.branch) as writer:
        batch = _Batch(writer, items, ctx)
        heads = writer.record_heads(record_ids)
        seen: set[str] = set()  # records an earlier item of this batch may have changed
        for index, (item, check) in enumerate(zip(items, checks, strict=True)):
            if not isinstance(check, _Checked):
                batch.results[index] = check
                continue
            checked = check
            if item.kind != "record" or not batched:
                batch.flush()
                batch.one(index, checked)
                continue
            record_id = checked.id
            head = heads.get(record_id)
            if record_id in seen:
                batch.flush()
                batch.one(index, checked)
            elif head is None:
                batch.fresh(index, checked)
            elif (
                head.branch == ctx.device.branch
                and head.version == item.version
                and head.content_hash == checked.digest
            ):
                batch.results[index] = _replay(item, ctx, head, writer)  # nothing to write
            else:
                batch.flush()
                batch.one(index, checked)
            seen.add(record_id)
        batch.flush()
    results = [result for result in batch.results if result is not None]
    if len(results) != len(items):  # pragma: no cover - every path above answers
        raise RuntimeError("an item was left unanswered")
    return results
