"""`outreach forget`: a person's data goes now, locally, and centrally at the next sync."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from outreach_tui.store import open_store
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, enrolled_record, record_item, statuses

from .helpers import CANARY_NAME, CANARY_NIK, run, write_csv
from .test_retention import CANARIES, NAME, NOTE, acknowledge, file_bytes, found_in, person


def canary_id(home: Path) -> str:
    with unlocked_store(home) as store:
        return next(r["id"] for r in store.iter_records() if r["full_name"] == CANARY_NAME)


def test_forget_removes_everything_locally_even_unsent(tmp_path: Path) -> None:
    db = tmp_path / "plain.db"
    with open_store(db) as store:
        saved = store.save_record(person(), actor="p1")
        store.save_record({**person(), "id": saved.id, "notes": NOTE + "2"}, actor="p1")
        store.add_visit({"record_id": saved.id, "outcome": "met", "note": NOTE}, actor="p1")
        store.db.execute("ANALYZE")  # sample index values into sqlite_stat4
        assert store.forget_record(saved.id, actor="p1")

        record = store.get_record(saved.id)
        assert record is not None and record["full_name"] == "" and record["nik"] is None
        assert record["status"] == "enrolled" and record["rw"] == "001"
        assert store.record_versions(saved.id) == []
        assert store.visits_for(saved.id)[0]["note"] is None
        # Never sent: nothing for the central API to forget, and nothing left to push.
        assert store.pending_forgets() == []
        items, _ = store.outbox(store.push_checkpoint(), 100)
        assert [i.kind for i in items] == ["visit"]
        assert NOTE not in json.dumps([i.data for i in items])
        (fields,) = store.db.execute("SELECT fields FROM audit WHERE action = 'forget'").fetchone()
        assert "nik" in fields and NAME not in fields
        assert not store.forget_record("00000000-0000-4000-8000-000000000000", actor="p1")
    data = file_bytes(db)
    assert [c for c in CANARIES if found_in(data, c)] == []


def test_forget_after_a_send_queues_a_request_and_skips_the_unsent_edit(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        saved = store.save_record(person(), actor="p1")
        acknowledge(store)
        store.save_record({**person(), "id": saved.id, "notes": "edit"}, actor="p1")
        assert store.forget_record(saved.id, actor="p1")
        assert store.pending_forgets() == [saved.id]
        assert store.outbox_size() == 0
        store.forget_sent(saved.id, "forgotten")
        assert store.pending_forgets() == []
        assert store.forget_requests()[0]["result"] == "forgotten"


def test_forget_command_asks_and_is_sent_at_the_next_sync(
    isolated_home: Path, tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    assert run("sync").exit_code == 0
    record_id = canary_id(isolated_home)

    refused = run("forget", record_id, input="n\n")
    assert refused.exit_code == 1
    assert run("search", "Kanari").exit_code == 0
    done = run("forget", record_id, "--yes")
    assert done.exit_code == 0, done.output
    assert run("search", "Kanari").exit_code == 1
    assert run("forget", "00000000-0000-4000-8000-000000000000", "--yes").exit_code == 1
    state = central_server.storage.record(record_id)
    assert state is not None and state.record["full_name"] == CANARY_NAME  # not yet told

    synced = run("sync")
    assert synced.exit_code == 0, synced.output
    assert "1" in synced.stdout.splitlines()[-1]
    state = central_server.storage.record(record_id)
    assert state is not None
    assert state.record["full_name"] is None and state.record["nik"] is None
    assert state.status == "enrolled" and state.kpj_number
    blob = "\n".join(row[0] for row in central_server.query("SELECT data FROM record_versions"))
    nik_col = central_server.query("SELECT count(*) FROM records WHERE nik = ?", (CANARY_NIK,))
    assert nik_col[0][0] == 0
    assert CANARY_NAME not in blob and CANARY_NIK not in blob
    pulled = central_server.pull(token).json()["changes"]
    assert {"kind": "forgotten", "record_id": record_id} in [
        {"kind": c["kind"], "record_id": c["record_id"]} for c in pulled
    ]
    with unlocked_store(isolated_home) as store:
        assert store.pending_forgets() == []
        assert store.forget_requests()[0]["result"] == "forgotten"


def _forget(server: CentralServer, token: str | None, record_id: str) -> Any:
    return server.session(token).post(f"{server.url}/v1/records/{record_id}/forget", timeout=30)


def test_the_central_api_refuses_another_branch(central_server: CentralServer) -> None:
    bogor = central_server.add_device("p1", "KC-BOGOR")
    depok = central_server.add_device("p2", "KC-DEPOK")
    data = enrolled_record(7)
    assert statuses(central_server.push(bogor, [record_item(data)])) == ["accepted"]

    other = _forget(central_server, depok, data["id"])
    # Another branch's record looks exactly like an unknown one: its existence is not told.
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["code"] == "record_not_found"
    assert data["full_name"] not in other.text
    state = central_server.storage.record(data["id"])
    assert state is not None and state.record["full_name"] == data["full_name"]

    missing = _forget(central_server, bogor, "00000000-0000-4000-8000-000000000000")
    assert (missing.status_code, missing.json()["code"]) == (404, "record_not_found")
    assert _forget(central_server, None, data["id"]).status_code == 401

    ok = _forget(central_server, bogor, data["id"])
    assert ok.status_code == 200 and ok.json()["status"] == "forgotten"
    assert _forget(central_server, bogor, data["id"]).status_code == 200  # idempotent
    state = central_server.storage.record(data["id"])
    assert state is not None and state.record["full_name"] is None
    # A replay of the forgotten version is not stored again.
    assert statuses(central_server.push(bogor, [record_item(data)])) == ["duplicate"]
    state = central_server.storage.record(data["id"])
    assert state is not None and state.record["nik"] is None


def test_a_refused_forget_request_is_closed(
    isolated_home: Path, tmp_path: Path, central_server: CentralServer
) -> None:
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    with unlocked_store(isolated_home) as store:
        saved = store.save_record(person(), actor="p1")
        # Pretend it was sent (the server never got it): the centre answers 404.
        items, _ = store.outbox(0, 10)
        store.mark_sent(items)
        store.forget_record(saved.id, actor="p1")
        assert store.pending_forgets() == [saved.id]
    synced = run("sync")
    assert synced.exit_code == 0, synced.output
    with unlocked_store(isolated_home) as store:
        assert store.forget_requests()[0]["result"] == "not_held"
