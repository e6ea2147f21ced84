"""Push against the real central API: per-item answers, replays, conflicts, flags, KPJ numbers."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import requests

from sync.protocol import content_hash
from sync.server.export import central_rows
from sync.server.kpj import is_valid_kpj
from tests.sync.conftest import (
    CentralServer,
    enrolled_record,
    make_record,
    nik_for,
    record_item,
    statuses,
    visit_item,
)


def _results(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_health_answers_without_a_token(central_server: CentralServer) -> None:
    response = requests.get(f"{central_server.url}/v1/health", timeout=5)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["protocol"] == 1


def test_accepted_then_a_replay_is_duplicate_with_the_same_answer(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device()
    items = [record_item(make_record(1)), record_item(enrolled_record(2))]
    first = _results(central_server.push(token, items))
    assert [r["status"] for r in first] == ["accepted", "accepted"]
    assert first[0]["kpj_number"] is None and is_valid_kpj(first[1]["kpj_number"])
    second = _results(central_server.push(token, items))
    third = _results(central_server.push(token, items))
    assert [r["status"] for r in second] == ["duplicate", "duplicate"]
    assert second == third  # a replay answers the same every time
    assert [r["kpj_number"] for r in second] == [r["kpj_number"] for r in first]
    assert [r["reasons"] for r in second] == [[], []]


def test_a_new_version_keeps_the_history(central_server: CentralServer) -> None:
    token = central_server.add_device()
    v1 = make_record(1)
    v2 = {**v1, "status": "interested", "notes": "datang lagi minggu depan"}
    assert statuses(central_server.push(token, [record_item(v1)])) == ["accepted"]
    assert statuses(central_server.push(token, [record_item(v2, 2, 1)])) == ["accepted"]
    state = central_server.storage.record(v1["id"])
    assert state is not None and state.version == 2 and state.status == "interested"
    with central_server.storage.write() as writer:
        assert writer.stored_version(v1["id"], 1) is not None
        assert writer.stored_version(v1["id"], 2) is not None


def test_same_version_with_other_content_is_a_conflict(central_server: CentralServer) -> None:
    token = central_server.add_device()
    v1 = make_record(1)
    central_server.push(token, [record_item(v1)])
    other = {**v1, "full_name": "Nama Lain"}
    [result] = _results(central_server.push(token, [record_item(other)]))
    assert result["status"] == "conflict"
    assert [r["code"] for r in result["reasons"]] == ["version.content_differs"]
    state = central_server.storage.record(v1["id"])
    assert state is not None and state.record["full_name"] == v1["full_name"]


def test_a_stale_base_is_a_conflict_naming_the_current_version(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device()
    v1 = make_record(1)
    v2 = {**v1, "notes": "kedua"}
    central_server.push(token, [record_item(v1), record_item(v2, 2, 1)])
    stale = {**v1, "notes": "dari laptop lain"}
    [result] = _results(central_server.push(token, [record_item(stale, 3, 1)]))
    assert result["status"] == "conflict"
    [reason] = result["reasons"]
    assert reason["code"] == "version.stale_base" and reason["field"] == "base_version"
    assert "2" in reason["message"]
    # Naming no base for a record the server holds is stale too.
    [again] = _results(central_server.push(token, [record_item(stale, 3, None)]))
    assert again["status"] == "conflict"


def test_a_record_new_to_the_server_is_accepted_whatever_its_base(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device()
    # Version 1 was rejected earlier (or never sent); the fixed version 2 names it as its base.
    fixed = make_record(1)
    assert statuses(central_server.push(token, [record_item(fixed, 2, 1)])) == ["accepted"]
    backwards = make_record(2)
    [result] = _results(central_server.push(token, [record_item(backwards, 2, 2)]))
    assert result["status"] == "rejected"
    assert result["reasons"][0]["code"] == "version.not_after_base"


def test_a_rejected_item_does_not_block_the_others(central_server: CentralServer) -> None:
    token = central_server.add_device()
    good1, good2 = make_record(1), make_record(2)
    bad = make_record(3, nik="1234", consent=True, status="enrolled", full_name="R2D2")
    items = [record_item(good1), record_item(bad), record_item(good2), visit_item(good1["id"])]
    results = _results(central_server.push(token, items))
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted", "accepted"]
    reasons = {r["field"]: r for r in results[1]["reasons"]}
    assert {"nik", "full_name"} <= set(reasons)
    assert reasons["nik"]["code"].startswith("nik.")
    assert "NIK" in reasons["nik"]["message"] and "16" in reasons["nik"]["message"]
    assert central_server.storage.record(bad["id"]) is None
    # The same reasons in English when the client asks for it.
    english = _results(central_server.push(token, [record_item(bad)], **{"Accept-Language": "en"}))
    assert "must" in english[0]["reasons"][0]["message"] or "invalid" in str(english[0]["reasons"])


def test_a_wrong_content_hash_is_rejected(central_server: CentralServer) -> None:
    token = central_server.add_device()
    item = record_item(make_record(1))
    item["data"]["full_name"] = "Diubah Di Jalan"
    [result] = _results(central_server.push(token, [item]))
    assert result["status"] == "rejected"
    assert result["reasons"][0]["code"] == "content_hash.mismatch"


def test_an_id_that_is_not_a_uuid_or_differs_from_the_data_is_rejected(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device()
    data = make_record(1)
    other = record_item(data)
    other["id"] = "not-a-uuid"
    moved = record_item(data)
    moved["id"] = str(make_record(2)["id"])
    results = _results(central_server.push(token, [other, moved]))
    assert [r["reasons"][0]["code"] for r in results] == ["id.format", "id.mismatch"]


def test_an_nik_held_by_another_record_is_flagged_never_merged(
    central_server: CentralServer,
) -> None:
    first_token = central_server.add_device("petugas-1", "KC-BOGOR")
    second_token = central_server.add_device("petugas-2", "KC-DEPOK")
    first = enrolled_record(7)
    second = enrolled_record(8, nik=first["nik"], full_name="Orang Yang Sama")
    [held] = _results(central_server.push(first_token, [record_item(first)]))
    [flagged] = _results(central_server.push(second_token, [record_item(second)]))
    assert held["status"] == "accepted" and held["kpj_number"]
    assert flagged["status"] == "duplicate"
    # Another branch's record: held elsewhere, never its id (least privilege).
    assert flagged["duplicate_of"] == "held-in-other-branch"
    assert flagged["reasons"][0]["code"] == "nik.held_in_other_branch"
    assert flagged["kpj_number"] is None  # one person, one KPJ: the flag is resolved first
    # Replaying the flagged record answers the same.
    [replay] = _results(central_server.push(second_token, [record_item(second)]))
    assert replay == flagged
    # Both records are kept; one current (unflagged) record per NIK.
    rows = list(central_rows(central_server.storage))
    assert {row["id"] for row in rows} == {first["id"], second["id"]}
    unflagged = [row["nik"] for row in rows if row["duplicate_of"] is None]
    assert len(unflagged) == len(set(unflagged)) == 1
    # The flag flows back to the flagged record's branch only.
    changes = central_server.pull(second_token).json()["changes"]
    assert [(c["kind"], c["record_id"], c["fields"]) for c in changes] == [
        ("duplicate_nik", second["id"], {"duplicate_of": "held-in-other-branch"})
    ]
    assert first["id"] not in central_server.pull(second_token).text
    # A later version with a corrected NIK lifts the flag and gets a KPJ number.
    fixed = {**second, "nik": nik_for(9)}
    [lifted] = _results(central_server.push(second_token, [record_item(fixed, 2, 1)]))
    assert lifted["status"] == "accepted" and is_valid_kpj(lifted["kpj_number"])


def test_an_enrolled_record_gets_one_kpj_number_that_flows_back(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device()
    record = make_record(3)
    central_server.push(token, [record_item(record)])
    enrolled = {**record, "status": "enrolled", "nik": nik_for(3), "consent": True}
    [result] = _results(central_server.push(token, [record_item(enrolled, 2, 1)]))
    kpj = result["kpj_number"]
    assert result["status"] == "accepted" and is_valid_kpj(kpj) and len(kpj) == 11
    [replayed] = _results(central_server.push(token, [record_item(enrolled, 2, 1)]))
    assert replayed["kpj_number"] == kpj
    edited = {**enrolled, "notes": "nomor HP diganti"}
    [later] = _results(central_server.push(token, [record_item(edited, 3, 2)]))
    assert later["kpj_number"] == kpj
    changes = central_server.pull(token).json()["changes"]
    assert [(c["kind"], c["fields"]) for c in changes] == [("kpj_number", {"kpj_number": kpj})]


def test_kpj_numbers_are_unique_across_records(central_server: CentralServer) -> None:
    token = central_server.add_device()
    items = [record_item(enrolled_record(n)) for n in range(50)]
    numbers = [r["kpj_number"] for r in _results(central_server.push(token, items))]
    assert len(set(numbers)) == 50 and all(is_valid_kpj(n) for n in numbers)


def test_a_payment_flows_back_as_a_status_change(central_server: CentralServer) -> None:
    token = central_server.add_device()
    record = enrolled_record(4)
    central_server.push(token, [record_item(record)])
    paid = central_server.storage.mark_paid(record["id"])
    assert paid.outcome == "paid"
    changes = central_server.pull(token).json()["changes"]
    assert [c["kind"] for c in changes] == ["kpj_number", "status"]
    assert changes[1]["fields"] == {"status": "active"} and changes[1]["record_id"] == record["id"]
    # The laptop has not pulled yet and edits the phone: its `enrolled` means active.
    edited = {**record, "phone": "081299998888"}
    assert statuses(central_server.push(token, [record_item(edited, 2, 1)])) == ["accepted"]
    state = central_server.storage.record(record["id"])
    assert state is not None and state.status == "active"
    # A paid participant cannot be declined from the field.
    declined = {**edited, "status": "declined", "decline_reason": "biaya"}
    [result] = _results(central_server.push(token, [record_item(declined, 3, 2)]))
    assert result["status"] == "rejected"
    assert result["reasons"][0]["code"] == "status.transition"


def test_the_laptop_cannot_set_active(central_server: CentralServer) -> None:
    token = central_server.add_device()
    record = enrolled_record(5, status="active")
    [result] = _results(central_server.push(token, [record_item(record)]))
    assert result["status"] == "rejected"
    assert result["reasons"][0]["code"] == "status.central_only"


def test_visits_are_immutable_events(central_server: CentralServer) -> None:
    token = central_server.add_device()
    record = make_record(1)
    visit = visit_item(record["id"], note="tidak di rumah, kembali sore")
    changed_data = {**visit["data"], "note": "isi lain"}
    changed = {**visit, "data": changed_data, "content_hash": content_hash(changed_data)}
    orphan = visit_item(make_record(2)["id"], outcome="not_home")
    bad = visit_item(record["id"], outcome="ngobrol")
    first = statuses(central_server.push(token, [record_item(record), visit, orphan, bad]))
    assert first == ["accepted", "accepted", "accepted", "rejected"]
    assert statuses(central_server.push(token, [visit, changed])) == ["duplicate", "conflict"]


def test_a_device_never_touches_another_branch(central_server: CentralServer) -> None:
    bogor = central_server.add_device("petugas-1", "KC-BOGOR")
    depok = central_server.add_device("petugas-2", "KC-DEPOK")
    record = enrolled_record(1)
    central_server.push(bogor, [record_item(record)])
    central_server.storage.mark_paid(record["id"])
    # Depok pushes a version of Bogor's record: refused, and nothing changes.
    hijack = {**record, "full_name": "Diambil Alih"}
    [result] = _results(central_server.push(depok, [record_item(hijack, 2, 1)]))
    assert result["status"] == "rejected"
    assert result["reasons"][0]["code"] == "branch.forbidden"
    [visit] = _results(central_server.push(depok, [visit_item(record["id"])]))
    assert visit["status"] == "rejected" and visit["reasons"][0]["code"] == "branch.forbidden"
    state = central_server.storage.record(record["id"])
    assert state is not None and state.record["full_name"] == record["full_name"]
    # Depok's pull shows nothing of Bogor; Bogor's shows its own changes.
    depok_pull = central_server.pull(depok).json()
    assert depok_pull["changes"] == [] and depok_pull["more"] is False
    assert len(central_server.pull(bogor).json()["changes"]) == 2


def test_pull_pages_with_cursor_limit_and_more(central_server: CentralServer) -> None:
    token = central_server.add_device()
    items = [record_item(enrolled_record(n)) for n in range(7)]
    central_server.push(token, items)
    seen: list[int] = []
    cursor, pages = 0, 0
    while True:
        page = central_server.pull(token, cursor, limit=3).json()
        pages += 1
        seen += [c["seq"] for c in page["changes"]]
        assert len(page["changes"]) <= 3
        if page["changes"]:
            assert page["cursor"] == page["changes"][-1]["seq"]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert pages == 3 and len(seen) == 7 and seen == sorted(set(seen))
    # Past the end: nothing, the same cursor back.
    empty = central_server.pull(token, cursor).json()
    assert empty == {"protocol": 1, "changes": [], "cursor": cursor, "more": False}


def test_twenty_devices_pushing_overlapping_batches_at_once(
    central_server: CentralServer,
) -> None:
    tokens = [central_server.add_device(f"petugas-{n}") for n in range(20)]
    records = [make_record(n) for n in range(60)]
    items = [record_item(r) for r in records] + [visit_item(r["id"]) for r in records[:20]]
    answers: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def push(index: int) -> None:
        try:
            # Every thread sends an overlapping half of the items, in its own order.
            start = index * 4 % len(items)
            batch = (items[start:] + items[:start])[: len(items) // 2 + 10]
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {tokens[index]}"
            barrier.wait(timeout=10)
            body: dict[str, Any] = {"batch_id": f"batch-{index}", "items": batch}
            response = session.post(f"{central_server.url}/v1/push", json=body, timeout=60)
            assert response.status_code == 200, response.text
            answers.append(response.json()["results"])
            session.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(answers) == 20
    counts = Counter(result["status"] for answer in answers for result in answer)
    assert set(counts) <= {"accepted", "duplicate"}
    accepted = Counter(
        result["id"] for answer in answers for result in answer if result["status"] == "accepted"
    )
    answered = {result["id"] for answer in answers for result in answer}
    assert all(n == 1 for n in accepted.values())  # each item accepted exactly once
    assert set(accepted) == answered
    stored = {row["id"] for row in central_rows(central_server.storage)}
    assert stored == {r["id"] for r in records if r["id"] in answered}


def test_an_unsupported_protocol_version_is_422(central_server: CentralServer) -> None:
    token = central_server.add_device()
    body: dict[str, Any] = {"protocol": 99, "batch_id": "b", "items": []}
    response = central_server.session(token).post(f"{central_server.url}/v1/push", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "protocol_unsupported"
