"""Sync receipts: what each push was answered (and each pull that brought changes), so "I
sent it, where is it?" has an answer at the branch. One row per request, written after the
push's own transaction (a receipt that cannot be written never fails a push); the answers
name items by id only."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sync.server.central import utc_stamp
from sync.server.console.store import ConsoleStore
from sync.server.storage import Device

logger = logging.getLogger("sync.server.console")
SHOWN = 100
SEARCHED = 2000  # the newest receipts a search looks through


def record_receipt(
    console: ConsoleStore, device: Device, kind: str, batch_id: str | None,
    answers: Sequence[dict[str, Any]], app_version: str,
) -> None:  # fmt: skip
    """Keep one request's receipt; a failure is logged, never raised."""
    counts = Counter(str(a.get("status")) for a in answers)
    flagged = sum(1 for a in answers if a.get("duplicate_of"))
    kept = [[a.get("kind"), a.get("id"), a.get("version"), a.get("status"),
             bool(a.get("duplicate_of"))] for a in answers]  # fmt: skip
    try:
        with console.tx(device.branch) as run:
            run(
                "INSERT INTO sync_receipts (branch, device_id, officer_id, kind, batch_id, at, "
                "items, accepted, duplicate, conflict, rejected, flagged, app_version, answers) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (device.branch, device.device_id, device.officer_id, kind, batch_id,
                 utc_stamp(console.now()), len(answers), counts["accepted"], counts["duplicate"],
                 counts["conflict"], counts["rejected"], flagged, app_version[:64],
                 json.dumps(kept, separators=(",", ":"))),
            )  # fmt: skip
    except Exception as exc:  # the push is stored and answered already
        logger.warning("sync receipt not kept: %s", type(exc).__name__)


_COLUMNS = ("id", "device_id", "officer_id", "kind", "batch_id", "at", "items", "accepted",
            "duplicate", "conflict", "rejected", "flagged", "app_version")  # fmt: skip


def receipts(
    console: ConsoleStore, branch: str, *, device_id: str = "", record_ids: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The branch's newest receipts (of one device), or those answering any of `record_ids`
    (each with `matches`: what was answered for those records)."""
    where, params = "", [branch]
    if device_id:
        where, params = " AND device_id = ?", [branch, device_id]
    limit = SEARCHED if record_ids else SHOWN
    rows = console.rows(
        f"SELECT {', '.join(_COLUMNS)}, answers FROM sync_receipts WHERE branch = ?{where} "
        "ORDER BY id DESC LIMIT ?",
        (*params, limit),
    )
    wanted = set(record_ids)
    shown = []
    for row in rows:
        receipt = dict(zip(_COLUMNS, row[:-1], strict=True))
        if wanted:
            answers = json.loads(row[-1] or "[]")
            matches = [a for a in answers if a[1] in wanted]
            if not matches:
                continue
            receipt["matches"] = matches
        shown.append(receipt)
        if len(shown) >= SHOWN:
            break
    return shown


def device_summary(console: ConsoleStore, branch: str) -> dict[str, dict[str, Any]]:
    """Per device: last request, app version, pushes, items sent, set aside (conflict,
    rejected or flagged)."""
    rows = console.rows(
        "SELECT device_id, max(at), count(*), sum(items), sum(conflict + rejected + flagged) "
        "FROM sync_receipts WHERE branch = ? AND kind = 'push' GROUP BY device_id",
        (branch,),
    )
    last = dict(
        console.rows(
            "SELECT device_id, app_version FROM sync_receipts r WHERE branch = ? AND id = "
            "(SELECT max(id) FROM sync_receipts s WHERE s.device_id = r.device_id)",
            (branch,),
        )
    )
    return {
        device: {
            "last_sync": at,
            "batches": int(n),
            "items_sent": int(items or 0),
            "set_aside": int(aside or 0),
            "app_version": last.get(device),
        }
        for device, at, n, items, aside in rows
    }


def rejected_items(console: ConsoleStore, branch: str, limit: int = 50) -> list[dict[str, Any]]:
    """Records the server refused by validation and has not accepted since, newest first:
    (id, officer, times refused, last refusal). They wait on the officer's laptop with the
    reasons; the branch sees them here to follow up (read from the newest receipts)."""
    rows = console.rows(
        "SELECT officer_id, at, answers FROM sync_receipts WHERE branch = ? AND kind = 'push' "
        "ORDER BY id DESC LIMIT ?",
        (branch, SEARCHED),
    )
    settled: set[str] = set()
    waiting: dict[str, dict[str, Any]] = {}
    for officer_id, at, answers in rows:  # newest first: a later acceptance settles older ones
        for kind, item_id, version, status, _flagged in json.loads(answers or "[]"):
            if kind != "record" or item_id in settled:
                continue
            if status != "rejected":
                settled.add(item_id)
                continue
            first = {"record_id": item_id, "officer_id": officer_id, "version": version,
                     "times": 0, "last": at}  # fmt: skip
            entry = waiting.setdefault(item_id, first)
            entry["times"] += 1
    return list(waiting.values())[:limit]
