"""Visits: immutable events, logged for sync and audit like records."""

from __future__ import annotations

import pytest

from outreach_tui.store import IntegrityError, Store

from .conftest import person


def test_add_and_read_visits(store: Store) -> None:
    record = store.save_record(person(), actor="t")
    first = store.add_visit(
        {
            "record_id": record.id,
            "at": "2026-02-01T09:00:00.000Z",
            "outcome": "not_home",
            "region_code": "32.01.01.1001",
            "rw": "002",
            "rt": "003",
            "note": "pintu tertutup",
        },
        actor="officer-1",
        officer_id="OFF-1",
    )
    second = store.add_visit(
        {"record_id": record.id, "at": "2026-02-08T09:00:00.000Z", "outcome": "met"}, actor="o"
    )
    household = store.add_visit({"outcome": "refused", "rw": "002", "rt": "004"}, actor="o")
    assert [v["id"] for v in store.visits_for(record.id)] == [first, second]
    visit = store.get_visit(first)
    assert visit is not None
    assert visit["officer_id"] == "OFF-1" and visit["note"] == "pintu tertutup"
    assert store.get_visit(household)["record_id"] is None  # type: ignore[index]
    assert [v["id"] for v in store.visits(outcome="refused")] == [household]
    # Oldest first; the household visit was stamped "now" (no time given).
    assert [v["id"] for v in store.visits(since="2026-02-05")] == [second, household]
    assert [v["id"] for v in store.visits(until="2026-02-05")] == [first]
    assert [v["id"] for v in store.visits(region_code="32.01.01.1001", rw="002")] == [first]
    assert len(store.visits(limit=2)) == 2


def test_a_visit_is_logged_and_audited(store: Store) -> None:
    visit = store.add_visit({"outcome": "moved", "note": "pindah ke Bekasi"}, actor="o")
    change = store.changes_since(0)[-1]
    assert (change.entity, change.entity_id, change.version) == ("visit", visit, 1)
    action, entity, fields = store.db.execute(
        "SELECT action, entity, fields FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert (action, entity) == ("visit", "visit")
    assert "Bekasi" not in fields and "note" in fields
    assert store.verify_audit() is None


def test_visits_are_immutable(store: Store) -> None:
    visit = store.add_visit(
        {"id": "22222222-2222-4222-8222-222222222222", "outcome": "met"}, actor="o"
    )
    with pytest.raises(IntegrityError, match="immutable"):
        store.db.execute("UPDATE visits SET outcome = 'refused'")
    with pytest.raises(IntegrityError):
        store.add_visit({"id": visit, "outcome": "refused"}, actor="o")


def test_bad_visits_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="outcome"):
        store.add_visit({"outcome": "maybe"}, actor="o")
    with pytest.raises(ValueError, match="unknown"):
        store.add_visit({"outcome": "met", "weather": "hujan"}, actor="o")
    with pytest.raises(IntegrityError):  # no such record
        store.add_visit(
            {"outcome": "met", "record_id": "33333333-3333-4333-8333-333333333333"}, actor="o"
        )
    assert store.visits() == [] and store.max_seq() == 0
