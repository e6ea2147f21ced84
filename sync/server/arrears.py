"""Arrears at the central side (issue 14; DOMAIN.md 'Arrears'): each participant's
paid-through month, inactive after 3 unpaid months, active again on payment; both travel to
the laptop that owns the record with its next pull (a `status` change carrying the months in
arrears and the paid-through month; a laptop that knows only `active` ignores `inactive`).

`record_payment` is what the branch console's payment form does; `sweep` makes the overdue
participants of every branch inactive: `outreach server run` sweeps at start and every hour
(`Sweeper`), and `outreach server arrears` sweeps once (from cron, or by hand).
A participant made active by `mark-paid` before payments were recorded has no paid-through
month and is left alone until a payment is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from outreach_tui.domain.arrears import INACTIVE_AFTER, paid_through_after, unpaid_months
from outreach_tui.domain.codes import PAYMENT_PERIODS
from sync.server import central_sql as sql
from sync.server.central import mark_paid, utc_stamp

PaymentOutcome = Literal["paid", "reactivated", "not_found", "flagged", "not_enrolled", "refused"]


@dataclass(frozen=True, slots=True)
class PaymentResult:
    record_id: str
    outcome: PaymentOutcome
    paid_through: str | None = None


def _month(stamp: str | None) -> dt.date | None:
    return dt.date.fromisoformat(stamp[:7] + "-01") if stamp else None


def record_payment(
    storage: Any, record_id: str, months: int, *, today: dt.date, by: str, branch: str
) -> PaymentResult:
    """A payment of `months` contribution months for a record of `branch`: the first makes an
    enrolled participant active; any moves the paid-through month on, and one that leaves
    fewer than 3 months unpaid makes an inactive participant active again."""
    if months not in PAYMENT_PERIODS:
        raise ValueError(f"months must be one of {PAYMENT_PERIODS}")
    state = storage.record(record_id)
    if state is None or state.branch != branch:
        return PaymentResult(record_id, "not_found")
    if state.duplicate_of is not None:
        return PaymentResult(record_id, "flagged")
    if state.status not in ("enrolled", "active", "inactive"):
        return PaymentResult(record_id, "not_enrolled")
    if state.status == "enrolled":
        first = mark_paid(storage, record_id, today=today)
        if first.outcome != "paid":
            return PaymentResult(record_id, "refused")
    at = utc_stamp()
    with storage.transaction(branch) as run:
        row = run("SELECT paid_through, created_at, central_status FROM records "
                  "WHERE record_id = ?", (record_id,)).fetchone()  # fmt: skip
        first_month = _month(row[1]) or today.replace(day=1)
        through = paid_through_after(_month(row[0]), months, first_month=first_month)
        stamp = through.isoformat()[:7]
        run("UPDATE records SET paid_through = ?, updated_at = ? WHERE record_id = ?",
            (stamp, at, record_id))  # fmt: skip
        run("INSERT INTO payments (branch, record_id, months, paid_through, recorded_by, at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (branch, record_id, months, stamp, by, at))  # fmt: skip
        owed = len(unpaid_months(through, first_month, today))
        fields: dict[str, Any] = {"status": "active", "paid_through": stamp,
                                  "months_in_arrears": owed}  # fmt: skip
        outcome: PaymentOutcome = "paid"
        if row[2] == "inactive" and owed < INACTIVE_AFTER:
            run("UPDATE records SET central_status = 'active' WHERE record_id = ?", (record_id,))
            outcome = "reactivated"
        run(sql.INSERT_CHANGE, (branch, record_id, "status", json.dumps(fields), at, record_id))
    return PaymentResult(record_id, outcome, stamp)


def sweep(storage: Any, *, today: dt.date, branch: str | None = None) -> int:
    """Make every active participant with 3 or more unpaid months inactive (of one branch, or
    all); returns how many. Each gets a `status` change for its officer's laptop."""
    where, params = "", []
    if branch is not None:
        where, params = " AND branch = ?", [branch]
    with storage.reader() as run:
        rows = run(
            "SELECT record_id, branch, paid_through, created_at FROM records "
            f"WHERE central_status = 'active' AND paid_through IS NOT NULL{where}",
            params,
        ).fetchall()
    due = []
    for record_id, record_branch, through, created in rows:
        first = _month(created) or today.replace(day=1)
        owed = len(unpaid_months(_month(through), first, today))
        if owed >= INACTIVE_AFTER:
            due.append((record_id, record_branch, through, owed))
    at = utc_stamp()
    for record_id, record_branch, through, owed in due:
        with storage.transaction(record_branch) as run:
            changed = run(
                "UPDATE records SET central_status = 'inactive', updated_at = ? "
                "WHERE record_id = ? AND central_status = 'active'",
                (at, record_id),
            ).rowcount
            if changed:
                fields = {"status": "inactive", "paid_through": through,
                          "months_in_arrears": owed}  # fmt: skip
                change = (record_branch, record_id, "status", json.dumps(fields), at, record_id)
                run(sql.INSERT_CHANGE, change)
    return len(due)


def arrears_list(console: Any, branch: str, today: dt.date) -> list[dict[str, Any]]:
    """The branch's inactive participants: officer, desa, RW, paid through, months unpaid."""
    rows = console.rows(
        "SELECT record_id, officer_id, region_code, rw, paid_through, created_at "
        "FROM records WHERE central_status = 'inactive' AND branch = ? "
        "ORDER BY officer_id, region_code, rw",
        (branch,),
    )
    listed = []
    for record_id, officer_id, region, rw, through, created in rows:
        first = _month(created) or today.replace(day=1)
        listed.append({"record_id": record_id, "officer_id": officer_id, "region_code": region,
                       "rw": rw, "paid_through": through,
                       "months": len(unpaid_months(_month(through), first, today))})  # fmt: skip
    return listed


SWEEP_ENV = "OUTREACH_SERVER_SWEEP_SECONDS"


def sweep_interval() -> float:
    """Seconds between the server's arrears sweeps: an hour, or OUTREACH_SERVER_SWEEP_SECONDS
    (tests; at least 1)."""
    import os

    try:
        return max(1.0, float(os.environ.get(SWEEP_ENV, "3600")))
    except ValueError:
        return 3600.0


class Sweeper:
    """The server's own arrears run: `sweep` at start and then every `interval` seconds, in a
    daemon thread, for as long as `outreach server run` serves (a cron job running
    `outreach server arrears` is then not needed). Sweeping is idempotent: a participant is made
    inactive once, so several workers sweeping at once change nothing twice. A failed sweep
    (the database away) is logged and tried again at the next interval."""

    def __init__(self, storage: Any, today: Any, interval: float = 3600.0) -> None:
        import threading

        self.storage, self.today, self.interval = storage, today, interval
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="arrears-sweep", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        import logging

        logger = logging.getLogger("sync.server")
        while not self._stop.is_set():
            try:
                made = sweep(self.storage, today=self.today())
                if made:
                    logger.info("arrears sweep: %d participants inactive", made)
            except Exception as exc:  # the database away: try again at the next interval
                logger.warning("arrears sweep failed: %s", type(exc).__name__)
            self.runs += 1
            self._stop.wait(self.interval)
