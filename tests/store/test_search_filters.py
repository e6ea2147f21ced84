"""Search narrowed by the list filters (area, status, sync state, follow-up due) in SQL."""

from __future__ import annotations

from typing import Any

import pytest

from outreach_tui.store import Store, search
from outreach_tui.store.search import CANDIDATES

from .conftest import person
from .synthetic import synthetic_records

QUERIES = ["s", "si", "siti", "nur", "a", "ag", "dewi sa", "siti 08", "32", "3201", "0812", "+6285"]
FILTERS: list[dict[str, Any]] = [
    {"region_code": "32.01.01.1001"},
    {"region_code": "32.01.02"},
    {"region_code": "32.01.03.1002", "rw": "003"},
    {"region_code": "32.01.04.1003", "rw": "004", "rt": "005"},
    {"status": "enrolled"},
    {"status": "prospect", "region_code": "32.01"},
    {"sync_state": "pending"},
    {"sync_state": "synced"},
    {"follow_up_due": "2026-06-30"},
    {"since": "2000-01-01"},
]


def passes(record: dict[str, Any], filters: dict[str, Any]) -> bool:
    """The list filters, written out in Python."""
    for key, value in filters.items():
        if key == "region_code":
            code = record.get("region_code") or ""
            if not (code == value or code.startswith(value + ".")):
                return False
        elif key == "follow_up_due":
            if not record.get("follow_up_on") or record["follow_up_on"] > value:
                return False
        elif key == "since":
            if record["updated_at"] < value:
                return False
        elif record.get(key) != value:
            return False
    return True


@pytest.fixture
def crowd(store: Store) -> Store:
    """A few hundred synthetic people spread over a few desas."""
    records = list(synthetic_records(400, seed=7))
    for index, record in enumerate(records):
        record["region_code"] = f"32.01.{index % 4 + 1:02d}.{1001 + index % 3}"
        record["rw"] = f"{index % 5 + 1:03d}"
        record["rt"] = f"{index % 7 + 1:03d}"
    store.save_records(records, actor="t")
    return store


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items())
)
@pytest.mark.parametrize("few", [search.FEW_FILTERED, 0], ids=["walk-filter", "walk-numbers"])
def test_filtered_search_is_the_search_filtered(
    crowd: Store, filters: dict[str, Any], few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both plans of a number search: along the filter's records, along the NIK/phone index."""
    monkeypatch.setattr(search, "FEW_FILTERED", few)
    for query in QUERIES:
        everyone = crowd.search(query, limit=1000)
        assert len(everyone) < 1000  # nothing was cut: the comparison is complete
        expected = [row["id"] for row in everyone if passes(row, filters)]
        found = [row["id"] for row in crowd.search(query, limit=1000, **filters)]
        assert found == expected, (query, filters)


def test_filters_and_the_limit(crowd: Store) -> None:
    expected = [row["id"] for row in crowd.search("s", limit=1000) if row["status"] == "enrolled"]
    assert len(expected) > 5
    assert [row["id"] for row in crowd.search("s", limit=5, status="enrolled")] == expected[:5]


def test_filters_that_nobody_passes(crowd: Store) -> None:
    assert crowd.search("s", region_code="99.99.99.9999") == []
    assert crowd.search("3201", status="active") == []
    assert crowd.search("siti 08", sync_state="conflict") == []


def test_a_small_desa_is_not_missed_among_many_with_the_same_prefix(store: Store) -> None:
    """More Sitis elsewhere than the candidates ranked unfiltered, saved before these two."""
    crowd = [
        person(full_name=f"Siti {chr(65 + i % 26)}{i}", nik=None, consent=False, phone=None)
        for i in range(CANDIDATES + 500)
    ]
    store.save_records(crowd, actor="t")
    here = "32.01.09.2001"
    ids = {
        name: store.save_record(
            person(full_name=name, nik=None, consent=False, region_code=here, rw="001", rt="001"),
            actor="t",
        ).id
        for name in ("Siti Rahayu", "Sri Wahyuni")
    }
    assert len(store.search("siti", limit=CANDIDATES * 2)) == CANDIDATES  # unfiltered: cut
    siti, sri = {ids["Siti Rahayu"]}, {ids["Sri Wahyuni"]}
    for query, expected in (("s", siti | sri), ("si", siti), ("siti", siti), ("sri w", sri)):
        assert {row["id"] for row in store.search(query, region_code=here)} == expected
        assert {row["id"] for row in store.search(query, region_code="32.01.09")} == expected
    assert [row["id"] for row in store.search("siti", region_code=here, rw="001", rt="001")] == [
        ids["Siti Rahayu"]
    ]
    assert store.search("siti", region_code=here, rw="002") == []
