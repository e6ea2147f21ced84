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


def fill_groups(store: Any, *, today: date, area: str, officer_id: str, seed: int) -> None:
    """Issue 14's parts for a newcomer to see: a market and an ojek base with members, a past
    socialisation event with attendees (some enrolled since), and a few participants the
    central API would have made inactive (as a pull brings them)."""
    import random

    rng = random.Random(seed + 14)
    people = store.list_records(limit=400)
    by_status: dict[str, list[dict[str, Any]]] = {}
    for person in people:
        by_status.setdefault(str(person["status"]), []).append(person)
    market = store.save_group(
        {"name": "Pasar Cibinong", "kind": "pasar", "region_code": area, "rw": "003",
         "contact_name": "Haji Mamat", "contact_phone": "081211112222",
         "contact_role": "Ketua paguyuban pedagang", "declared_workers": 120},
        actor=officer_id, officer_id=officer_id,
    )  # fmt: skip
    base = store.save_group(
        {"name": "Pangkalan Ojek Simpang Tiga", "kind": "pangkalan_ojek", "region_code": area,
         "contact_name": "Pak Darto", "contact_phone": "081233334444",
         "contact_role": "Koordinator pangkalan", "declared_workers": 35},
        actor=officer_id, officer_id=officer_id,
    )  # fmt: skip
    traders = [p["id"] for p in people if str(p.get("occupation", "")).startswith("pedagang")]
    drivers = [p["id"] for p in people if p.get("occupation") in ("ojol", "ojek_pangkalan")]
    store.add_members(market, traders[:25], actor=officer_id)
    store.add_members(base, drivers[:15], actor=officer_id)
    held = datetime.combine(today - timedelta(days=21), time(9, 0))
    event = store.save_event(
        {"kind": "sosialisasi", "starts_at": held.strftime("%Y-%m-%d %H:%M"), "held": True,
         "place": "Balai Pasar Cibinong", "group_id": market,
         "institution": "Dinas Koperasi dan UKM"},
        actor=officer_id, officer_id=officer_id,
    )  # fmt: skip
    statuses = {p["id"]: str(p["status"]) for p in people}
    came = traders[:15] + [p["id"] for p in by_status.get("enrolled", [])[:5]]
    for record_id in dict.fromkeys(came):  # a trader may be enrolled too: once
        # From the paper list: those enrolled now were still thinking about it then.
        then = "interested" if statuses.get(record_id) in ("enrolled", "active") else None
        store.attend(event, record_id, actor=officer_id, status_then=then)
    enrolled = by_status.get("enrolled", [])
    owing = rng.sample(enrolled, min(3, len(enrolled)))
    paid_through = (today.replace(day=1) - timedelta(days=100)).strftime("%Y-%m")
    store.apply_server_changes(
        [{"kind": "status", "record_id": p["id"],
          "fields": {"status": "inactive", "months_in_arrears": 3, "paid_through": paid_through}}
         for p in owing],
        int(store.get_meta("sync.pull_cursor") or 0),
    )  # fmt: skip
