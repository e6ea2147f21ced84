"""Keep less: the retention purge removes personal data of acknowledged records, for real."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from outreach_tui.config import load_settings, resolve_paths, save_settings
from outreach_tui.store import open_store
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer

from .helpers import CANARY_NAME, CANARY_NIK, run, write_csv

NAME = "Kanari Purgamus Xylofon"
NIK = "3201015508950003"
PHONE = "+6281298761111"
STREET = "Jl. Kanari Rahasia 77"
NOTE = "catatan-kanari-rahasia"
UNSENT_NAME = "Tersimpan Belumkirim Vwxyq"
CANARIES = (NAME, "xylofon", "Xylofon", NIK, PHONE, STREET, NOTE)


def acknowledge(store: Any) -> None:
    """Answer the whole outbox `accepted`, as the central API would."""
    items, upto = store.outbox(store.push_checkpoint(), 1000)
    store.mark_sent(items)
    store.apply_push_results(items, [{"status": "accepted"} for _ in items], upto)


def person(**extra: Any) -> dict[str, Any]:
    return {
        "full_name": NAME,
        "nik": NIK,
        "birth_date": "1995-08-15",
        "sex": "F",
        "phone": PHONE,
        "street": STREET,
        "notes": NOTE,
        "monthly_income": 1_500_000,
        "region_code": "32.01.01.1001",
        "rw": "001",
        "rt": "002",
        "status": "enrolled",
        "programs": "JKK,JKM",
        "payment_period": 1,
        "consent": True,
        **extra,
    }


def file_bytes(db: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()
    )


def found_in(data: bytes, text: str) -> bool:
    return any(text.encode(enc) in data for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def test_purge_removes_personal_fields_and_their_bytes(tmp_path: Path) -> None:
    db = tmp_path / "plain.db"  # unencrypted, so the file's bytes can be searched
    later = datetime.now(UTC) + timedelta(days=31)
    with open_store(db) as store:
        first = store.save_record(person(), actor="p1", officer_id="p1")
        store.save_record(
            {**person(), "id": first.id, "notes": NOTE + " dua"}, actor="p1", officer_id="p1"
        )
        store.add_visit({"record_id": first.id, "outcome": "met", "note": NOTE}, actor="p1")
        acknowledge(store)
        unsent = store.save_record({"full_name": UNSENT_NAME, "rw": "003"}, actor="p1")
        seq, outbox = store.max_seq(), store.outbox_size()
        # As PRAGMA optimize does on close: sqlite_stat4 keeps samples of indexed values.
        store.db.execute("ANALYZE")
        stat4 = store.db.execute("SELECT count(*) FROM sqlite_stat4").fetchone()[0]
        assert stat4 > 0

        report = store.purge_expired(later, 30)

        assert report.records == [first.id] and report.visits == 1
        assert report.kept_unsent == 1
        record = store.get_record(first.id)
        assert record is not None
        assert record["full_name"] == ""
        for name in ("nik", "birth_date", "sex", "phone", "street", "notes", "monthly_income"):
            assert record[name] is None, name
        kept = {k: record[k] for k in ("status", "region_code", "rw", "rt", "version")}
        assert kept == {
            "status": "enrolled",
            "region_code": "32.01.01.1001",
            "rw": "001",
            "rt": "002",
            "version": 2,
        }
        assert record["purged_at"] and record["created_at"] and record["consent_at"]
        assert store.record_versions(first.id) == []
        assert [v["note"] for v in store.visits_for(first.id)] == [None]
        assert store.search("xylofon") == []
        # Nothing new to push: a purge is not a change.
        assert (store.max_seq(), store.outbox_size()) == (seq, outbox)
        assert store.get_record(unsent.id)["full_name"] == UNSENT_NAME  # type: ignore[index]
        audit = store.db.execute("SELECT fields FROM audit WHERE action = 'purge'")
        (fields,) = audit.fetchone()
        assert "full_name" in fields and NAME not in fields
        # Purging again finds nothing more.
        assert store.purge_expired(later, 30).records == []
    data = file_bytes(db)
    assert [c for c in CANARIES if found_in(data, c)] == []
    assert found_in(data, UNSENT_NAME)  # the scan does see data that is still kept


def test_purge_respects_the_retention_period(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        saved = store.save_record(person(), actor="p1")
        acknowledge(store)
        ten_days = datetime.now(UTC) + timedelta(days=10)
        assert store.purge_expired(ten_days, 30).records == []
        assert store.purge_expired(ten_days, 5, dry_run=True).records == [saved.id]
        assert store.get_record(saved.id)["full_name"] == NAME  # type: ignore[index]
        assert store.purge_expired(ten_days, 5).records == [saved.id]


def test_unsent_changes_are_never_purged(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        saved = store.save_record(person(), actor="p1")
        acknowledge(store)
        store.save_record({**person(), "id": saved.id, "notes": "baru"}, actor="p1")
        far = datetime.now(UTC) + timedelta(days=400)
        assert store.purge_expired(far, 30).records == []
        assert store.get_record(saved.id)["notes"] == "baru"  # type: ignore[index]
        # Once the server has the edit, the record can go.
        acknowledge(store)
        assert store.purge_expired(far, 30).records == [saved.id]


def test_a_purged_record_edited_again_is_pushed_as_a_new_version(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        saved = store.save_record(person(), actor="p1")
        acknowledge(store)
        store.purge_expired(datetime.now(UTC) + timedelta(days=31), 30)
        again = store.save_record({**person(), "id": saved.id, "notes": None}, actor="p1")
        assert again.version == 2
        items, _ = store.outbox(store.push_checkpoint(), 100)
        assert [(i.version, i.base_version) for i in items] == [(2, 1)]
        assert store.get_record(saved.id)["purged_at"] is None  # type: ignore[index]


def test_purge_command_uses_the_setting(
    isolated_home: Path, tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    assert run("sync").exit_code == 0

    kept = run("purge", "--json")
    assert kept.exit_code == 0, kept.output
    assert json.loads(kept.stdout)["records"] == []  # default: 30 days

    paths = resolve_paths()
    save_settings(paths, load_settings(paths).model_copy(update={"retention_days": 0}))
    dry = run("purge", "--dry-run", "--json")
    assert json.loads(dry.stdout)["record_count"] == 2
    done = run("purge")
    assert done.exit_code == 0, done.output
    assert "2" in done.stdout

    exported = run("export", "--format", "json")
    rows = json.loads(exported.stdout)
    assert {r["full_name"] for r in rows} == {None}
    assert sorted(r["status"] for r in rows) == ["enrolled", "prospect"]
    assert all(r["purged_at"] and r["region_code"] for r in rows)
    assert CANARY_NAME not in exported.stdout and CANARY_NIK not in exported.stdout
    with unlocked_store(isolated_home) as store:
        assert store.outbox_size() == 0
    again = run("sync")
    assert again.exit_code == 0, again.output
    central = [r.record for r in central_server.storage.current_records()]
    assert CANARY_NAME in {r["full_name"] for r in central}  # the branch still has it


def test_every_sync_purges_what_the_centre_has_held_long_enough(
    isolated_home: Path, tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    first = run("sync")  # 30 days by default: nothing is old enough yet
    assert first.exit_code == 0, first.output
    assert "dihapus" not in first.stdout

    paths = resolve_paths()
    save_settings(paths, load_settings(paths).model_copy(update={"retention_days": 0}))
    second = run("sync")
    assert second.exit_code == 0, second.output
    assert "Data pribadi 2 orang dihapus" in second.stdout
    with unlocked_store(isolated_home) as store:
        assert store.search(CANARY_NAME) == []
        assert store.count_records(status="enrolled") == 1
        assert store.outbox_size() == 0  # the purge is not a change to send
