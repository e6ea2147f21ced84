"""Changes the central side makes itself (a payment arrives), through the same rules as pushes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import validate_record
from sync.server.storage import CentralStorage

PaidOutcome = Literal["paid", "already_active", "not_found", "flagged", "refused"]


@dataclass(frozen=True, slots=True)
class PaidResult:
    """What `mark_paid` did, and why not when it did nothing."""

    record_id: str
    outcome: PaidOutcome
    kpj_number: str | None = None
    problems: list[Problem] = field(default_factory=list)


def _iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_stamp(now: dt.datetime | None = None) -> str:
    """A UTC timestamp as stored and sent (`2026-01-31T08:00:00.000Z`)."""
    return _iso(now or dt.datetime.now(dt.UTC))


def mark_paid(
    storage: CentralStorage,
    record_id: str,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> PaidResult:
    """Record the first payment: the participant becomes `active` and the branch's laptops learn it.

    Only an enrolled, unflagged record can become active (the status rules of
    `validate_record(source="central")` decide); the change is written to `server_changes` in
    the same transaction.
    """
    at = utc_stamp(now)
    day = today or dt.date.today()
    with storage.write() as writer:
        state = writer.record_state(record_id.strip().lower())
        if state is None:
            return PaidResult(record_id, "not_found")
        if state.duplicate_of is not None:
            return PaidResult(state.record_id, "flagged")
        if state.status == "active":
            return PaidResult(state.record_id, "already_active", state.kpj_number)
        previous = {**state.record, "status": state.status}
        check = validate_record(
            {**state.record, "status": "active"}, today=day, previous=previous, source="central"
        )
        if not check.ok:
            return PaidResult(state.record_id, "refused", problems=list(check.errors))
        kpj, assigned = writer.assign_kpj(state.record_id, at)
        if assigned:  # pragma: no cover - an enrolled record got its number when it was pushed
            writer.log_change(state.branch, state.record_id, "kpj_number", {"kpj_number": kpj}, at)
        writer.set_central_status(state.record_id, "active", at)
        writer.log_change(state.branch, state.record_id, "status", {"status": "active"}, at)
    return PaidResult(state.record_id, "paid", kpj)
