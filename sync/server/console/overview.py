"""The overview's figures: today and this month, per officer against targets, coverage by
kecamatan, desa and RW, decline reasons, records per day. Read from indexed columns only
(`central_sql.facts` keeps status, region code, RW and decline reason next to the JSON)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sync.server.central import utc_stamp
from sync.server.console.store import ConsoleStore, Refused, Staff

DAYS = 30
ENROLLED = ("enrolled", "active")
MAX_TARGET = 1_000_000


def branch_overview(console: ConsoleStore, branch: str, today: dt.date) -> dict[str, Any]:
    month = today.replace(day=1).isoformat()
    since = (today - dt.timedelta(days=DAYS - 1)).isoformat()
    rows = console.rows(
        "SELECT officer_id, count(*), "
        "sum(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), "
        "sum(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), "
        "sum(CASE WHEN status IN ('enrolled', 'active') OR central_status = 'active' "
        "THEN 1 ELSE 0 END), "
        "sum(CASE WHEN status IN ('enrolled', 'active') OR central_status = 'active' THEN "
        "CASE WHEN created_at >= ? THEN 1 ELSE 0 END ELSE 0 END), "
        "sum(CASE WHEN central_status = 'active' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN status = 'declined' THEN 1 ELSE 0 END) "
        "FROM records WHERE branch = ? GROUP BY officer_id ORDER BY officer_id",
        (month, today.isoformat(), month, branch),
    )
    targets = dict(
        console.rows(
            "SELECT officer_id, target FROM targets WHERE branch = ? AND month = ?",
            (branch, month[:7]),
        )
    )
    keys = ("total", "month", "today", "enrolled", "enrolled_month", "active", "declined")
    officers: list[dict[str, Any]] = []
    for officer_id, *counts in rows:
        figures: dict[str, Any] = dict(zip(keys, (int(c or 0) for c in counts), strict=True))
        target = targets.get(officer_id)
        figures |= {"officer_id": officer_id, "target": target,
                    "percent": _percent(figures["enrolled_month"], target)}  # fmt: skip
        officers.append(figures)
    totals: dict[str, Any] = {k: sum(o[k] for o in officers) for k in keys}
    branch_target = targets.get("")
    done = totals["enrolled_month"]
    totals |= {"target": branch_target, "percent": _percent(done, branch_target)}
    per_day = {
        day: (int(received), int(enrolled or 0))
        for day, received, enrolled in console.rows(
            "SELECT substr(created_at, 1, 10), count(*), "
            "sum(CASE WHEN status IN ('enrolled', 'active') OR central_status = 'active' "
            "THEN 1 ELSE 0 END) FROM records "
            "WHERE branch = ? AND created_at >= ? GROUP BY substr(created_at, 1, 10)",
            (branch, since),
        )
    }
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(DAYS - 1, -1, -1)]
    series = [(day, per_day.get(day, (0, 0))[0]) for day in days]
    enrolled_series = [(day, per_day.get(day, (0, 0))[1]) for day in days]
    places = console.rows(
        "SELECT region_code, rw, count(*), "
        "sum(CASE WHEN status IN ('enrolled', 'active') OR central_status = 'active' "
        "THEN 1 ELSE 0 END), sum(CASE WHEN central_status = 'active' THEN 1 ELSE 0 END) "
        "FROM records WHERE branch = ? GROUP BY region_code, rw",
        (branch,),
    )
    reasons = console.rows(
        "SELECT coalesce(decline_reason, ''), count(*) FROM records "
        "WHERE branch = ? AND status = 'declined' GROUP BY coalesce(decline_reason, '') "
        "ORDER BY count(*) DESC",
        (branch,),
    )
    return {
        "officers": officers, "totals": totals, "days": series, "chart": bar_chart(series),
        "enrolled_chart": bar_chart(enrolled_series),
        "coverage": coverage(places), "reasons": [(r or "-", int(n)) for r, n in reasons],
        "month": month[:7],
    }  # fmt: skip


def _percent(done: int, target: int | None) -> int | None:
    return round(100 * done / target) if target else None


def coverage(places: list[tuple[Any, ...]]) -> dict[str, list[dict[str, Any]]]:
    """Recorded, enrolled and active per kecamatan, desa and RW (region code prefixes)."""
    levels: dict[str, dict[str, list[int]]] = {"kecamatan": {}, "desa": {}, "rw": {}}
    for region, rw, recorded, enrolled, active in places:
        region = region or "-"
        counts = (int(recorded), int(enrolled or 0), int(active or 0))
        for level, key in (
            ("kecamatan", region[:8] if region != "-" else "-"),
            ("desa", region),
            ("rw", f"{region} RW {rw or '-'}"),
        ):
            into = levels[level].setdefault(key, [0, 0, 0])
            for i, n in enumerate(counts):
                into[i] += n
    shown: dict[str, list[dict[str, Any]]] = {}
    for level, found in levels.items():
        biggest = sorted(found.items(), key=lambda kv: -kv[1][0])[:50]
        shown[level] = [
            {"place": key, "recorded": r, "enrolled": e, "active": a,
             "percent": round(100 * e / r) if r else 0}
            for key, (r, e, a) in biggest
        ]  # fmt: skip
    return shown


def set_target(
    console: ConsoleStore, staff: Staff, officer_id: str, month: str, target: str
) -> None:
    """The month's enrollment target of an officer ('' for the branch); admins only."""
    if not staff.is_admin:
        raise Refused("console.admin_only")
    try:
        value = int(target.strip())
    except ValueError:
        raise Refused("console.target.not_number") from None
    if not 0 <= value <= MAX_TARGET:
        raise Refused("console.target.range", max=MAX_TARGET)
    try:
        dt.date.fromisoformat(f"{month.strip()}-01")
    except ValueError:
        raise Refused("console.target.month") from None
    officer_id = officer_id.strip()[:64]
    with console.tx(staff.branch) as run:
        run(
            "INSERT INTO targets (branch, officer_id, month, target, set_by, set_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (branch, officer_id, month) DO UPDATE SET "
            "target = excluded.target, set_by = excluded.set_by, set_at = excluded.set_at",
            (staff.branch, officer_id, month.strip(), value, staff.username,
             utc_stamp(console.now())),
        )  # fmt: skip
        detail = {"officer_id": officer_id, "month": month, "target": value}
        console.audit_in(run, f"staff:{staff.username}", "target_set", staff.branch, detail=detail)


def bar_chart(series: list[tuple[str, int]], width: int = 600, height: int = 120) -> dict[str, Any]:
    """Bars for an inline SVG drawn by the template (no script, nothing downloaded)."""
    top = max((count for _, count in series), default=0) or 1
    step = width / max(1, len(series))
    bars = []
    for i, (day, count) in enumerate(series):
        h = round((height - 16) * count / top, 1)
        bars.append({"x": round(i * step + 1, 1), "y": round(height - 14 - h, 1),
                     "w": round(step - 2, 1), "h": h, "day": day, "count": count})  # fmt: skip
    return {"width": width, "height": height, "bars": bars, "top": top}
