"""The overview's figures: records received today and this month, per officer, per day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sync.server.console.store import ConsoleStore

DAYS = 30


def branch_overview(console: ConsoleStore, branch: str, today: dt.date) -> dict[str, Any]:
    """Counts from indexed columns only (created_at, officer, central status, flags)."""
    month = today.replace(day=1).isoformat()
    since = (today - dt.timedelta(days=DAYS - 1)).isoformat()
    per_officer = console._rows(
        "SELECT officer_id, count(*), "
        "sum(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), "
        "sum(CASE WHEN substr(created_at, 1, 10) = ? THEN 1 ELSE 0 END), "
        "sum(CASE WHEN central_status = 'active' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN duplicate_of IS NOT NULL THEN 1 ELSE 0 END) "
        "FROM records WHERE branch = ? GROUP BY officer_id ORDER BY officer_id",
        (month, today.isoformat(), branch),
    )
    officers = [
        {"officer_id": r[0], "total": int(r[1]), "month": int(r[2] or 0),
         "today": int(r[3] or 0), "active": int(r[4] or 0), "flagged": int(r[5] or 0)}
        for r in per_officer
    ]  # fmt: skip
    days = dict(
        console._rows(
            "SELECT substr(created_at, 1, 10), count(*) FROM records "
            "WHERE branch = ? AND created_at >= ? GROUP BY substr(created_at, 1, 10)",
            (branch, since),
        )
    )
    series = [((today - dt.timedelta(days=n)).isoformat(), 0) for n in range(DAYS - 1, -1, -1)]
    series = [(day, int(days.get(day, 0))) for day, _ in series]
    totals = {
        k: sum(o[k] for o in officers) for k in ("total", "month", "today", "active", "flagged")
    }
    return {"officers": officers, "days": series, "totals": totals, "chart": bar_chart(series)}


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
