"""Saving records as versions: new, changed, unchanged; reading them back."""

from __future__ import annotations

import json

import pytest

from outreach_tui.store import IntegrityError, StaleVersionError, Store
from outreach_tui.store.fields import CONTENT_FIELDS, sha256_hex

from .conftest import person


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_new_record_gets_an_id_and_version_1(store: Store) -> None:
    saved = store.save_record(person(), actor="officer-1", officer_id="OFF-1")
    assert saved.version == 1 and saved.created and saved.is_new_record
    record = store.get_record(saved.id)
    assert record is not None
    assert record["id"] == saved.id
    assert record["full_name"] == "Siti Nurhaliza"
    assert record["consent"] is True
    assert record["monthly_income"] == 1_500_000
    assert record["version"] == 1 and record["base_version"] is None
    assert record["sync_state"] == "pending"
    assert record["officer_id"] == "OFF-1"
    assert record["created_at"].endswith("Z") and record["created_at"] == record["updated_at"]


def test_an_update_makes_a_new_version_that_names_the_one_it_replaces(store: Store) -> None:
    first = store.save_record(person(), actor="a")
    second = store.save_record(person(id=first.id, status="enrolled"), actor="b")
    assert (second.id, second.version, second.created) == (first.id, 2, True)
    assert not second.is_new_record
    record = store.get_record(first.id)
    assert record is not None
    assert record["status"] == "enrolled"
    assert (record["version"], record["base_version"]) == (2, 1)
    assert record["officer_id"] is None  # never given: stays unset
    versions = store.record_versions(first.id)
    assert [(v["version"], v["base_version"], v["actor"]) for v in versions] == [
        (1, None, "a"),
        (2, 1, "b"),
    ]
    assert versions[0]["data"]["status"] == "interested"
    assert versions[1]["data"]["status"] == "enrolled"
    assert set(versions[0]["data"]) == set(CONTENT_FIELDS)
    assert all(v["sent_at"] is None for v in versions)


def test_the_version_hash_is_the_sha256_of_its_stored_text(store: Store) -> None:
    saved = store.save_record(person(notes="Catatan: é ✓"), actor="a")
    data, digest = store.db.execute(
        "SELECT data, hash FROM record_versions WHERE record_id = ?", [saved.id]
    ).fetchone()
    assert sha256_hex(data) == digest
    assert json.loads(data)["notes"] == "Catatan: é ✓"
    assert "decline_reason" not in json.loads(data)  # no value: left out of the text


def test_an_identical_save_makes_no_version_change_or_audit_entry(store: Store) -> None:
    first = store.save_record(person(), actor="a")
    counts = [_count(store, t) for t in ("record_versions", "changes", "audit")]
    again = store.save_record({**person(), "id": first.id.upper()}, actor="b", officer_id="X")
    assert again == (first.id, 1, False)
    assert [_count(store, t) for t in ("record_versions", "changes", "audit")] == counts
    # A blank string is "no value", the same as a missing field.
    same = store.save_record({**person(id=first.id), "decline_reason": ""}, actor="a")
    assert not same.created


def test_officer_id_is_replaced_only_when_given(store: Store) -> None:
    saved = store.save_record(person(), actor="a", officer_id="OFF-1")
    store.save_record(person(id=saved.id, notes="x"), actor="a")
    assert store.get_record(saved.id)["officer_id"] == "OFF-1"  # type: ignore[index]
    store.save_record(person(id=saved.id, notes="y"), actor="a", officer_id="OFF-2")
    assert store.get_record(saved.id)["officer_id"] == "OFF-2"  # type: ignore[index]


def test_expected_version_refuses_a_lost_update(store: Store) -> None:
    saved = store.save_record(person(), actor="a")
    store.save_record(person(id=saved.id, notes="from the import"), actor="import")
    with pytest.raises(StaleVersionError):
        store.save_record(person(id=saved.id, notes="from the form"), actor="a", expected_version=1)
    assert store.get_record(saved.id)["notes"] == "from the import"  # type: ignore[index]
    ok = store.save_record(person(id=saved.id, notes="form"), actor="a", expected_version=2)
    assert ok.version == 3


def test_bad_shapes_are_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(ValueError, match="fullname"):
        store.save_record({"fullname": "Typo"}, actor="a")
    with pytest.raises(ValueError, match="full_name"):
        store.save_record({"full_name": ""}, actor="a")
    with pytest.raises(ValueError, match="monthly_income"):
        store.save_record(person(monthly_income="banyak"), actor="a")
    with pytest.raises(ValueError, match="UUID"):
        store.save_record(person(id="not-a-uuid"), actor="a")
    with pytest.raises(ValueError, match="actor"):
        store.save_record(person(), actor="")
    assert _count(store, "records") == 0


def test_the_schema_refuses_an_nik_without_consent(store: Store) -> None:
    with pytest.raises(IntegrityError):
        store.save_record(person(consent=False), actor="a")
    with pytest.raises(IntegrityError):
        store.save_record(person(status="unknown"), actor="a")
    assert _count(store, "records") == _count(store, "changes") == _count(store, "audit") == 0


def test_frozen_versions_accept_only_sent_at(store: Store) -> None:
    saved = store.save_record(person(), actor="a")
    with pytest.raises(IntegrityError, match="frozen"):
        store.db.execute("UPDATE record_versions SET data = '{}' WHERE record_id = ?", [saved.id])
    store.db.execute(
        "UPDATE record_versions SET sent_at = '2026-01-01T00:00:00.000Z' WHERE record_id = ?",
        [saved.id],
    )
    assert store.record_versions(saved.id)[0]["sent_at"] == "2026-01-01T00:00:00.000Z"


def test_lookups_by_id_and_nik(store: Store) -> None:
    a = store.save_record(person(), actor="a")
    b = store.save_record(person(full_name="Siti Lain"), actor="a")  # same NIK: not merged
    c = store.save_record(person(nik="3201010101900002"), actor="a")
    found = store.ids_for_niks(["3201014501900001", "3201010101900002", "9999999999999999"])
    assert found == {"3201014501900001": [a.id, b.id], "3201010101900002": [c.id]}
    assert store.existing_ids(
        [a.id, c.id.upper(), "nope", "00000000-0000-4000-8000-000000000000"]
    ) == {
        a.id,
        c.id,
    }
    assert store.get_record("00000000-0000-4000-8000-000000000000") is None
    assert store.get_record("garbage") is None
    assert store.record_versions("garbage") == []


def test_bulk_save_of_10k_rows_is_one_transaction_with_everything(store: Store) -> None:
    from .synthetic import synthetic_records

    rows = list(synthetic_records(10_000, seed=3))
    saved = store.save_records(rows, actor="import")
    assert len(saved) == 10_000 and all(s.created and s.version == 1 for s in saved)
    assert len({s.id for s in saved}) == 10_000
    for table in ("records", "record_versions", "changes", "audit", "records_fts"):
        assert _count(store, table) == 10_000, table
    assert store.verify_audit() is None
    assert store.get_record(saved[1234].id)["full_name"] == rows[1234]["full_name"]  # type: ignore[index]
    seqs = [c.seq for c in store.changes_since(0, 20_000)]
    assert seqs == sorted(seqs) and len(seqs) == 10_000
    # Saving the same rows again (with their ids) changes nothing.
    again = store.save_records(
        [{**row, "id": s.id} for row, s in zip(rows, saved, strict=True)], actor="import"
    )
    assert not any(s.created for s in again)
    assert _count(store, "record_versions") == 10_000
    # Indexes dropped for the bulk load are all back.
    assert "records_name" in {index.name for index in store.db["records"].indexes}


def test_a_batch_may_create_and_then_change_one_record(store: Store) -> None:
    existing = store.save_record(person(full_name="Lama"), actor="a")
    new_id = "11111111-1111-4111-8111-111111111111"
    saved = store.save_records(
        [
            person(id=new_id, full_name="Baru Satu"),
            person(id=existing.id, full_name="Lama Diubah"),
            person(id=new_id, full_name="Baru Dua"),
            person(id=new_id, full_name="Baru Dua"),
        ],
        actor="import",
    )
    assert [(s.id, s.version, s.created) for s in saved] == [
        (new_id, 1, True),
        (existing.id, 2, True),
        (new_id, 2, True),
        (new_id, 2, False),
    ]
    assert store.get_record(new_id)["full_name"] == "Baru Dua"  # type: ignore[index]
    assert [r["full_name"] for r in store.search("baru")] == ["Baru Dua"]
    assert [r["full_name"] for r in store.search("diubah")] == ["Lama Diubah"]
    assert store.search("satu") == []


def test_a_failing_batch_saves_nothing(store: Store) -> None:
    store.save_record(person(full_name="Sudah Ada"), actor="a")
    before = [_count(store, t) for t in ("records", "record_versions", "changes", "audit")]
    rows = [person(full_name=f"Orang {i}", nik=None, consent=False) for i in range(30_000)]
    rows[25_000]["sex"] = "X"  # passes the shape check, refused by the schema mid-batch
    with pytest.raises(IntegrityError):
        store.save_records(rows, actor="import")
    after = [_count(store, t) for t in ("records", "record_versions", "changes", "audit")]
    assert after == before
    assert "records_name" in {index.name for index in store.db["records"].indexes}
    assert _count(store, "records_fts") == 1
    assert store.search("orang") == []
