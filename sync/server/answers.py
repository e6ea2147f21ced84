"""Answers to pushed items: the context of a batch, refusals, replays and the first checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outreach_tui.domain import codes, fields
from outreach_tui.domain.problems import Problem
from sync.protocol import (
    CURRENT_VERSION_HEADER,
    DATA_FIELDS,
    HELD_BY_COLLEAGUE,
    HELD_IN_OTHER_BRANCH,
    MAX_DATA_TEXT,
    ItemStatus,
    PushItem,
    Reason,
)
from sync.server.storage import (
    CentralWriter,
    Device,
    RecordHead,
    RecordState,
)

KPJ_STATUSES = frozenset({"enrolled", "active"})


@dataclass(frozen=True, slots=True)
class PushContext:
    """Who pushes, and the clock and language the answers use."""

    device: Device
    today: dt.date
    at: str
    lang: str
    # The client sent CURRENT_VERSION_HEADER: conflicts carry `current_version` (see protocol).
    current_version: bool = False


def wants_current_version(headers: Mapping[str, str]) -> bool:
    """True when the request says its client reads `current_version` in conflict answers."""
    return str(headers.get(CURRENT_VERSION_HEADER) or "").strip() == "1"


# One item's answer: an `ItemResult` as the plain dict the response is encoded from (a batch
# has up to 1000 of them; building and dumping models would cost more than storing the items).
Answer = dict[str, Any]


class _Refused(Exception):
    """Unwinds an item's savepoint and carries the answer for that item."""

    def __init__(self, result: Answer) -> None:
        super().__init__(result["status"])
        self.result = result


def _reasons(problems: Sequence[Problem], lang: str) -> list[dict[str, Any]]:
    # Through the model: its length limits hold for every message sent.
    return [Reason(**p.to_dict(lang)).model_dump() for p in problems]


def _answer(
    item: PushItem,
    status: ItemStatus,
    ctx: PushContext,
    *problems: Problem,
    duplicate_of: str | None = None,
    kpj_number: str | None = None,
) -> Answer:
    """The `ItemResult` for an item, as a dict with the model's keys in its order."""
    answer: Answer = {
        "kind": item.kind,
        "id": item.id,
        "version": item.version,
        "status": status,
        "reasons": _reasons(problems, ctx.lang) if problems else [],
        "duplicate_of": duplicate_of,
        "kpj_number": kpj_number,
    }
    if ctx.current_version and status == "conflict":
        answer["current_version"] = _server_version(problems)
    return answer


def _server_version(problems: Sequence[Problem]) -> int | None:
    """The server's current version a conflict's reasons name (`current_version`), if any."""
    for problem in problems:
        value = problem.params.get("current_version")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _refuse(item: PushItem, status: ItemStatus, ctx: PushContext, *problems: Problem) -> _Refused:
    return _Refused(_answer(item, status, ctx, *problems))


def _flag(duplicate_of: str) -> Problem:
    return Problem("nik", "nik.held_by_other", {"duplicate_of": duplicate_of})


def shown_holder(
    writer: CentralWriter, branch: str, officer_id: str, holder: str | None
) -> tuple[str | None, tuple[Problem, ...]]:
    """What the owner of a flagged record may learn of the record holding its NIK.

    Its id only when the holder is the same officer's own record; otherwise a marker
    (`HELD_IN_OTHER_BRANCH`, `HELD_BY_COLLEAGUE`) and a reason saying who resolves it: no id,
    name or anything else of a record the device has no right to.
    """
    if holder is None:
        return None, ()
    state = writer.record_state(holder)
    if state is None or state.branch != branch:
        return HELD_IN_OTHER_BRANCH, (Problem("nik", "nik.held_in_other_branch"),)
    if state.officer_id != officer_id:
        return HELD_BY_COLLEAGUE, (Problem("nik", "nik.held_by_colleague"),)
    return holder, (_flag(holder),)


def _replay(
    item: PushItem,
    ctx: PushContext,
    state: RecordState | RecordHead | None,
    writer: CentralWriter | None = None,
) -> Answer:
    """The answer to a version already stored: `duplicate`, with the record's central facts."""
    flagged = state.duplicate_of if state is not None else None
    problems: tuple[Problem, ...] = ()
    if flagged and writer is not None:
        flagged, problems = shown_holder(writer, ctx.device.branch, ctx.device.officer_id, flagged)
    elif flagged:  # pragma: no cover - every caller passes its writer
        flagged, problems = HELD_BY_COLLEAGUE, (Problem("nik", "nik.held_by_colleague"),)
    return _answer(
        item,
        "duplicate",
        ctx,
        *problems,
        duplicate_of=flagged,
        kpj_number=state.kpj_number if state is not None else None,
    )


@dataclass(slots=True)  # not frozen: one per item, and frozen dataclasses are slower to build
class _Checked:
    """An item whose id and hash hold: canonical id, hash, and the canonical JSON hashed."""

    id: str
    digest: str
    data_json: str


# `sync.protocol.canonical_json` with one encoder made once (json.dumps builds one per call).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _checked(item: PushItem, ctx: PushContext) -> _Checked:
    """The item's canonical id and content hash, or a refusal when either does not hold."""
    item_id, problems = fields.read_uuid(item.id, "id")
    if problems or not isinstance(item_id, str):
        raise _refuse(item, "rejected", ctx, *problems)
    try:
        text = _CANONICAL.encode(item.data)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except (UnicodeError, ValueError, TypeError):
        raise _refuse(item, "rejected", ctx, Problem("data", "data.encoding")) from None
    if digest != item.content_hash.lower():
        raise _refuse(item, "rejected", ctx, Problem("content_hash", "content_hash.mismatch"))
    _strict_fields(item, ctx)
    data_id = item.data.get("id")
    if not fields.is_blank(data_id):
        inner_id, bad = fields.read_uuid(data_id, "id")
        if bad or inner_id != item_id:
            raise _refuse(item, "rejected", ctx, Problem("id", "id.mismatch"))
    return _Checked(item_id, digest, text)


def _strict_fields(item: PushItem, ctx: PushContext) -> None:
    """Refuse keys outside the contract and overlong texts, naming each (no value quoted)."""
    allowed = DATA_FIELDS[item.kind]
    problems = [
        Problem(str(name)[:64], "field.unknown") for name in item.data if name not in allowed
    ]
    problems += [
        Problem(str(name), "field.too_long", {"max": MAX_DATA_TEXT})
        for name, value in item.data.items()
        if name in allowed and isinstance(value, str) and len(value) > MAX_DATA_TEXT
    ]
    problems += [
        Problem(str(name), "field.not_scalar")
        for name, value in item.data.items()
        if name in allowed and isinstance(value, dict | list)
    ]
    if problems:
        raise _refuse(item, "rejected", ctx, *problems[:20])


def _incoming_status(data: Mapping[str, Any]) -> str | None:
    value = data.get("status")
    return codes.normalize_code(value) if isinstance(value, str) else None


def _not_after_base(item: PushItem, ctx: PushContext) -> _Refused | None:
    base = item.base_version
    if base is not None and item.version <= base:
        problem = Problem(
            "version", "version.not_after_base", {"version": item.version, "base_version": base}
        )
        return _refuse(item, "rejected", ctx, problem)
    return None
