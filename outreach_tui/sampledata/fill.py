"""Fill a store with sample people of one desa: validated records and their visits (the demo)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from outreach_tui.domain.record import validate_record
from outreach_tui.sampledata.generator import generate

VISIT_NOTES = (
    "",
    "",
    "Minta datang lagi sore hari.",
    "Suami belum pulang kerja.",
    "Sudah dijelaskan manfaat JKK dan JKM.",
    "Sedang berjualan di pasar.",
)


def sample_records(count: int, *, seed: int, today: date, area: str) -> list[dict[str, Any]]:
    """``count`` generated people living in ``area``, validated and normalized like an import.

    Rows the domain rejects (rare: the generator follows the rules) are left out.
    """
    records: list[dict[str, Any]] = []
    for row in generate(count, seed=seed, today=today, area=area, messy=False):
        result = validate_record(row, today=today)
        if result.ok:
            records.append(result.record)
    return records


def sample_visits(records: list[dict[str, Any]], *, seed: int, today: date) -> list[dict[str, Any]]:
    """Visits of the last two weeks for about a third of the people (met, not at home, ...)."""
    rng = random.Random(seed)
    visits: list[dict[str, Any]] = []
    for record in records:
        if rng.random() > 0.35:
            continue
        for _ in range(rng.choice((1, 1, 2))):
            day = today - timedelta(days=rng.randint(0, 13))
            moment = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)))
            outcome = rng.choices(("met", "not_home", "moved", "refused"), (70, 22, 3, 5))[0]
            visits.append(
                {
                    "record_id": record["id"],
                    "at": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "region_code": record.get("region_code"),
                    "rw": record.get("rw"),
                    "rt": record.get("rt"),
                    "outcome": outcome,
                    "note": rng.choice(VISIT_NOTES) or None,
                }
            )
    visits.sort(key=lambda visit: visit["at"])
    return visits


def _spread(records: list[dict[str, Any]], *, seed: int) -> list[tuple[int, list[Any]]]:
    """The records in chunks by day, oldest first: 27 days ago down to today."""
    rng = random.Random(seed + 1)
    days: dict[int, list[Any]] = {}
    for record in records:
        day_back = min(27, int(rng.expovariate(1 / 9)))
        days.setdefault(day_back, []).append(record)
    ordered = sorted(days.items(), key=lambda item: -item[0])
    return [(day_back, chunk) for day_back, chunk in ordered]


def fill_store(
    store: Any, *, count: int, seed: int, today: date, area: str, officer_id: str
) -> tuple[int, int]:
    """Save ``count`` sample people of ``area`` and their visits; returns (records, visits)."""
    records = sample_records(count, seed=seed, today=today, area=area)
    saved = []
    # A real month: people met over the past four weeks (weekdays busier), a few today.
    for day_back, chunk in _spread(records, seed=seed):
        day = today - timedelta(days=day_back)
        moment = datetime.combine(day, time(9, 0)).astimezone(UTC)
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        saved += store.save_records(chunk, actor=officer_id, officer_id=officer_id, at=stamp)
    for record, result in zip(records, saved, strict=True):
        record["id"] = result.id
    visits = sample_visits(records, seed=seed, today=today)
    for visit in visits:
        store.add_visit(visit, actor=officer_id, officer_id=officer_id)
    return len(saved), len(visits)
