"""The report aggregates: counts per area and status, decline reasons, enrollment times."""

from __future__ import annotations

from outreach_tui.store import Store
from tests.store.conftest import person

AREA = "32.01.01.1001"


def _add(store: Store, n: int, **fields: object) -> str:
    record = person(nik=None, consent=False, full_name=f"Warga {n}", phone=None, **fields)
    return store.save_record(record, actor="p1").id


def test_status_counts_group_by_area_and_status(store: Store) -> None:
    for n, (region, rw, status) in enumerate(
        [
            (AREA, "001", "prospect"),
            (AREA, "001", "prospect"),
            (AREA, "002", "declined"),
            ("32.01.01.1002", "001", "prospect"),
        ]
    ):
        extra = {"decline_reason": "biaya"} if status == "declined" else {}
        _add(store, n, region_code=region, rw=rw, rt="001", status=status, **extra)
    rows = store.status_counts_by_area(AREA)
    assert [(r["rw"], r["status"], r["count"]) for r in rows] == [
        ("001", "prospect", 2),
        ("002", "declined", 1),
    ]
    assert sum(r["count"] for r in store.status_counts_by_area("32.01")) == 4
    assert sum(r["count"] for r in store.status_counts_by_area(None)) == 4


def test_decline_reasons_are_counted_most_first(store: Store) -> None:
    for n, reason in enumerate(["biaya", "minta_waktu", "biaya", None]):
        _add(store, n, status="declined", decline_reason=reason)
    _add(store, 9, status="prospect")
    assert store.decline_reason_counts(AREA) == {"biaya": 2, "": 1, "minta_waktu": 1}
    assert store.decline_reason_counts("32.02") == {}


def test_an_enrollment_counts_once_when_it_happens(store: Store) -> None:
    before = "2000-01-01T00:00:00.000000Z"
    first = _add(store, 1, status="interested")
    record = store.get_record(first)
    assert record is not None
    enrolled = {**record, "status": "enrolled", "nik": "3201014501900001", "consent": True}
    store.save_record(enrolled, actor="p1")
    store.save_record({**enrolled, "notes": "edited after enrolling"}, actor="p1")
    store.save_record(person(status="enrolled", nik="3201014501900002"), actor="p1")
    times = store.enrollment_times(before, AREA)
    assert len(times) == 2 and times == sorted(times)
    assert store.enrollment_times(before, "32.02") == []
    assert store.enrollment_times("2999-01-01T00:00:00.000000Z") == []
