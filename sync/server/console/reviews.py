"""The review queue: flagged duplicate NIKs, records sent back to their officer, decisions.

A flagged record (`records.duplicate_of` set by a push) is in the queue until a decision is
kept for its current version. Decisions:

* `same_person`: the flagged record stays closed as a duplicate of the one holding the NIK
  (never merged field by field);
* `wrong_nik`: different people, the flagged record's NIK is wrong: sent back to its officer;
* `flag_moves`: the flagged record is the right one: the record holding the NIK is flagged
  instead, and both laptops learn it with their next pull;
* `has_issues` (any record): sent back to its officer with the supervisor's comment.

A record sent back leaves the "sent back" list when its officer sends a newer version. A
decision is kept once per record version and kind: the second submission is told who decided.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sync.server import central_sql as sql
from sync.server.central import utc_stamp
from sync.server.console.store import ConsoleStore, Refused, Staff
from sync.server.storage import RecordState

DECISIONS = ("same_person", "wrong_nik", "flag_moves")
SENT_BACK = ("wrong_nik", "has_issues")
MAX_COMMENT = 500
PAGE = 50


@dataclass(frozen=True, slots=True)
class QueueItem:
    flagged: RecordState
    holder: RecordState | None  # None: the holder is in another branch (not shown)
    holder_branch: str | None


def mask_nik(nik: str | None) -> str:
    """A NIK as the console shows it: the region and the last two digits."""
    if not nik:
        return "-"
    return nik[:6] + "•" * max(0, len(nik) - 8) + nik[-2:]


def open_duplicates(console: ConsoleStore, branch: str, limit: int = PAGE) -> list[QueueItem]:
    """The branch's flagged records with no decision for their current version, oldest first."""
    rows = console.rows(
        "SELECT r.record_id FROM records r WHERE r.branch = ? AND r.duplicate_of IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.record_id = r.record_id "
        "AND v.version = r.version AND v.kind = 'duplicate') ORDER BY r.updated_at LIMIT ?",
        (branch, limit),
    )
    items = []
    for (record_id,) in rows:
        flagged = console.storage.record(record_id)
        if flagged is None or flagged.duplicate_of is None:
            continue
        holder = console.storage.record(flagged.duplicate_of)
        if holder is not None and holder.branch != branch:
            items.append(QueueItem(flagged, None, holder.branch))
        else:
            items.append(QueueItem(flagged, holder, branch))
    return items


def count_open(console: ConsoleStore, branch: str) -> int:
    rows = console.rows(
        "SELECT count(*) FROM records r WHERE r.branch = ? AND r.duplicate_of IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.record_id = r.record_id "
        "AND v.version = r.version AND v.kind = 'duplicate')",
        (branch,),
    )
    return int(rows[0][0])


def sent_back(console: ConsoleStore, branch: str, limit: int = PAGE) -> list[dict[str, Any]]:
    """Records sent back to their officer and not yet corrected (no newer version)."""
    rows = console.rows(
        "SELECT v.record_id, v.decision, v.comment, v.decided_by, v.decided_at, r.officer_id "
        "FROM reviews v JOIN records r ON r.record_id = v.record_id "
        "WHERE v.branch = ? AND v.decision IN ('wrong_nik', 'has_issues') "
        "AND r.version = v.version ORDER BY v.decided_at DESC LIMIT ?",
        (branch, limit),
    )
    keys = ("record_id", "decision", "comment", "decided_by", "decided_at", "officer_id")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def decide(
    console: ConsoleStore, staff: Staff, record_id: str, version: int, decision: str,
    comment: str,
) -> None:  # fmt: skip
    """Keep a supervisor's decision on a flagged record (see the module doc)."""
    comment = comment.strip()
    if decision not in DECISIONS:
        raise Refused("console.review.bad_decision")
    if len(comment) > MAX_COMMENT:
        raise Refused("console.review.comment_long", max=MAX_COMMENT)
    if decision == "wrong_nik" and not comment:
        raise Refused("console.review.comment_required")
    with console.tx(staff.branch) as run:
        row = run(
            "SELECT version, duplicate_of, branch FROM records WHERE record_id = ?", (record_id,)
        ).fetchone()
        if row is None or row[2] != staff.branch:
            raise Refused("console.review.not_found")
        if row[1] is None:
            raise Refused("console.review.not_flagged")
        if int(row[0]) != version:
            raise Refused("console.review.changed")
        holder = row[1]
        if decision == "flag_moves":
            other = run("SELECT branch FROM records WHERE record_id = ?", (holder,)).fetchone()
            if other is None or other[0] != staff.branch:
                raise Refused("console.review.other_branch")
        _keep(console, run, staff, record_id, version, "duplicate", decision, comment, holder)
        if decision == "flag_moves":
            at = utc_stamp(console.now())
            run("UPDATE records SET duplicate_of = ?, updated_at = ? WHERE record_id = ?",
                (record_id, at, holder))  # fmt: skip
            run("UPDATE records SET duplicate_of = NULL, updated_at = ? WHERE record_id = ?",
                (at, record_id))  # fmt: skip
            for rid, dup in ((holder, record_id), (record_id, None)):
                run(sql.INSERT_CHANGE, (staff.branch, rid, "duplicate_nik",
                                        json.dumps({"duplicate_of": dup}), at, rid))  # fmt: skip


def mark_issue(
    console: ConsoleStore, staff: Staff, record_id: str, version: int, comment: str
) -> None:
    """A supervisor marks any record of the branch "has issues" with a comment."""
    comment = comment.strip()
    if not comment:
        raise Refused("console.review.comment_required")
    if len(comment) > MAX_COMMENT:
        raise Refused("console.review.comment_long", max=MAX_COMMENT)
    with console.tx(staff.branch) as run:
        row = run(
            "SELECT version, branch FROM records WHERE record_id = ?", (record_id,)
        ).fetchone()
        if row is None or row[1] != staff.branch:
            raise Refused("console.review.not_found")
        if int(row[0]) != version:
            raise Refused("console.review.changed")
        _keep(console, run, staff, record_id, version, "issue", "has_issues", comment, None)


def _keep(
    console: ConsoleStore, run: Any, staff: Staff, record_id: str, version: int, kind: str,
    decision: str, comment: str, other: str | None,
) -> None:  # fmt: skip
    at = utc_stamp(console.now())
    kept = run(
        "INSERT INTO reviews (branch, record_id, version, kind, decision, other_record_id, "
        "comment, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (record_id, version, kind) DO NOTHING",
        (staff.branch, record_id, version, kind, decision, other, comment, staff.username, at),
    ).rowcount
    if not kept:
        by = run(
            "SELECT decided_by FROM reviews WHERE record_id = ? AND version = ? AND kind = ?",
            (record_id, version, kind),
        ).fetchone()
        raise Refused("console.review.already_decided", by=by[0] if by else "?")
    if decision in SENT_BACK:
        # The note travels to the officer's laptop with its next pull (a newer laptop only).
        fields = {"decision": decision, "comment": comment, "by": staff.username, "at": at,
                  "version": version}  # fmt: skip
        run(sql.INSERT_CHANGE, (staff.branch, record_id, "review",
                                json.dumps(fields, ensure_ascii=False), at, record_id))  # fmt: skip
    console.audit_in(
        run, f"staff:{staff.username}", f"review_{decision}", staff.branch,
        record_id=record_id, reason=comment, detail={"version": version, "other": other},
    )  # fmt: skip
