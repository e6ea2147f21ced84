"""Groups, memberships, events and attendance over the protocol (issue 14), on SQLite and
PostgreSQL: versions and replays, immutable pairs, branch and officer fences, bad input named
by field and rule, and the item-kinds header that keeps older laptops and servers working."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

import pytest

from sync.protocol import (
    FIRST_ITEM_KINDS,
    ITEM_KINDS_HEADER,
    ItemResult,
    PushResponse,
    content_hash,
    pair_id,
)
from tests.sync.conftest import (
    TEST_SETTINGS,
    CentralServer,
    StartServer,
    make_record,
    record_item,
    statuses,
)


def item(kind: str, data: dict[str, Any], version: int = 1,
         base: int | None = None) -> dict[str, Any]:  # fmt: skip
    return {"kind": kind, "id": data["id"], "version": version, "base_version": base,
            "content_hash": content_hash(data), "data": data}  # fmt: skip


def group(**overrides: Any) -> dict[str, Any]:
    data = {"id": str(uuid.uuid4()), "name": "Pangkalan Ojek Simpang", "kind": "pangkalan_ojek",
            "region_code": "32.01.01.1001", "rw": "003", "contact_name": "Pak Udin",
            "contact_phone": "081234567890", "declared_workers": 40}  # fmt: skip
    data.update(overrides)
    return data


def event(group_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    data = {"id": str(uuid.uuid4()), "kind": "sosialisasi", "starts_at": "2026-01-10T09:00+07:00",
            "held": True, "place": "Balai desa", "group_id": group_id,
            "institution": None if group_id else "Dinas Koperasi dan UKM"}  # fmt: skip
    data.update(overrides)
    return data


def membership(group_id: str, record_id: str, **overrides: Any) -> dict[str, Any]:
    data = {"id": pair_id(group_id, record_id), "group_id": group_id, "record_id": record_id,
            "added_at": "2026-01-10T02:00:00.000000Z"}  # fmt: skip
    data.update(overrides)
    return data


def attendance(event_id: str, record_id: str, **overrides: Any) -> dict[str, Any]:
    data = {"id": pair_id(event_id, record_id), "event_id": event_id, "record_id": record_id,
            "status_then": "prospect", "at": "2026-01-10T02:05:00.000000Z"}  # fmt: skip
    data.update(overrides)
    return data


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_a_group_is_versioned_and_replays_are_harmless(central_server: CentralServer) -> None:
    token = central_server.add_device("p-1")
    first = group()
    assert statuses(central_server.push(token, [item("group", first)])) == ["accepted"]
    assert statuses(central_server.push(token, [item("group", first)])) == ["duplicate"]
    second = {**first, "declared_workers": 55}
    assert statuses(central_server.push(token, [item("group", second, 2, 1)])) == ["accepted"]
    rows = central_server.query("SELECT version, declared_workers, name, branch FROM groups")
    assert rows == [(2, 55, "Pangkalan Ojek Simpang", "KC-BOGOR")]
    # The same version with other content, and an older version than the server's: conflicts.
    other = {**first, "declared_workers": 60}
    (answer,) = results(central_server.push(token, [item("group", other, 2, 1)]))
    assert answer["status"] == "conflict"
    assert answer["reasons"][0]["code"] == "version.content_differs"
    (answer,) = results(central_server.push(token, [item("group", other)]))
    assert (answer["status"], answer["reasons"][0]["code"]) == ("conflict", "version.stale_base")
    assert central_server.query("SELECT declared_workers FROM groups") == [(55,)]


def test_bad_groups_and_events_are_refused_naming_field_and_rule(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device("p-1")
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(timespec="minutes")
    items = [
        item("group", group(name="")),
        item("group", group(declared_workers=-3)),
        item("event", event(starts_at=tomorrow, held=True)),
        item("event", event(institution=None)),
        item("group", group(secret="x")),
    ]
    answers = results(central_server.push(token, items, **{"Accept-Language": "id"}))
    assert [a["status"] for a in answers] == ["rejected"] * 5
    codes = [[(r["field"], r["code"]) for r in a["reasons"]] for a in answers]
    assert codes[0] == [("name", "name.required")]
    assert codes[1] == [("declared_workers", "declared_workers.negative")]
    assert codes[2] == [("held", "held.future")]
    assert codes[3] == [("institution", "institution.partner_required")]
    assert codes[4] == [("secret", "field.unknown")]
    assert "wajib" in answers[0]["reasons"][0]["message"]
    assert central_server.query("SELECT count(*) FROM groups") == [(0,)]
    assert central_server.query("SELECT count(*) FROM events") == [(0,)]


def test_memberships_and_attendance_are_immutable_pairs(central_server: CentralServer) -> None:
    token = central_server.add_device("p-1")
    person = make_record(1)
    the_group, the_event = group(), event()
    the_event["group_id"] = the_group["id"]
    member, attended = membership(the_group["id"], person["id"]), attendance(
        the_event["id"], person["id"])  # fmt: skip
    batch = [record_item(person), item("group", the_group), item("event", the_event),
             item("membership", member), item("attendance", attended)]  # fmt: skip
    assert statuses(central_server.push(token, batch)) == ["accepted"] * 5
    assert statuses(central_server.push(token, batch)) == ["duplicate"] * 5
    changed = {**attended, "status_then": "enrolled"}
    (answer,) = results(central_server.push(token, [item("attendance", changed)]))
    assert (answer["status"], answer["reasons"][0]["code"]) == ("conflict", "item.content_differs")
    # An id that is not the pair's, a missing record, an unknown status then.
    wrong = {**membership(the_group["id"], str(uuid.uuid4())), "id": str(uuid.uuid4())}
    no_record = attendance(the_event["id"], person["id"])
    no_record.pop("record_id")
    bad_status = attendance(the_event["id"], str(uuid.uuid4()), status_then="sultan")
    answers = results(central_server.push(token, [item("membership", wrong),
                      item("attendance", no_record), item("attendance", bad_status)]))  # fmt: skip
    assert [(a["status"], [r["code"] for r in a["reasons"]]) for a in answers] == [
        ("rejected", ["id.mismatch"]),
        ("rejected", ["record_id.required"]),
        ("rejected", ["status_then.unknown"]),
    ]
    assert central_server.query("SELECT status_then FROM attendance") == [("prospect",)]
    assert central_server.query("SELECT count(*) FROM group_members") == [(1,)]
    # A membership naming a record the server does not know yet is kept (it may come later).
    later = membership(the_group["id"], str(uuid.uuid4()))
    assert statuses(central_server.push(token, [item("membership", later)])) == ["accepted"]


def test_branch_and_officer_fences(central_server: CentralServer) -> None:
    bogor = central_server.add_device("p-1", "KC-BOGOR")
    colleague = central_server.add_device("p-2", "KC-BOGOR")
    depok = central_server.add_device("p-9", "KC-DEPOK")
    person = make_record(2)
    the_group, the_event = group(), event()
    pushed = [record_item(person), item("group", the_group), item("event", the_event)]
    assert statuses(central_server.push(bogor, pushed)) == ["accepted"] * 3
    # Another branch may not change Bogor's group, join its records or its groups, or take
    # attendance of its people; a colleague may not change another officer's group.
    depok_group, depok_event = group(), event()
    items = [
        item("group", {**the_group, "name": "Diambil"}, 2, 1),
        item("membership", membership(depok_group["id"], person["id"])),
        item("membership", membership(the_group["id"], str(uuid.uuid4()))),
        item("attendance", attendance(depok_event["id"], person["id"])),
        item("event", {**depok_event, "group_id": the_group["id"], "institution": None}),
    ]
    answers = results(central_server.push(depok, items))
    assert [(a["status"], a["reasons"][0]["field"], a["reasons"][0]["code"]) for a in answers] == [
        ("rejected", "id", "branch.forbidden"),
        ("rejected", "record_id", "branch.forbidden"),
        ("rejected", "group_id", "branch.forbidden"),
        ("rejected", "record_id", "branch.forbidden"),
        ("rejected", "group_id", "branch.forbidden"),
    ]
    (answer,) = results(central_server.push(colleague, [item("group", {**the_group,
                        "name": "Diubah"}, 2, 1)]))  # fmt: skip
    assert (answer["status"], answer["reasons"][0]["code"]) == ("rejected", "officer.forbidden")
    # A colleague of the branch may record attendance of a branch record at an event.
    mine = attendance(the_event["id"], person["id"])
    assert statuses(central_server.push(colleague, [item("attendance", mine)])) == ["accepted"]
    assert central_server.query("SELECT name FROM groups") == [("Pangkalan Ojek Simpang",)]
    assert central_server.query("SELECT count(*) FROM group_members") == [(0,)]


def test_the_server_names_the_kinds_it_takes_and_older_laptops_are_answered_as_before(
    central_server: CentralServer,
) -> None:
    token = central_server.add_device("p-1")
    health = central_server.session().get(f"{central_server.url}/v1/health", timeout=10)
    kinds = health.headers[ITEM_KINDS_HEADER].split(",")
    assert kinds == ["record", "visit", "group", "membership", "event", "attendance"]
    # A laptop built before groups sends records and visits only, and reads the answer with a
    # model that forbids unknown keys: the answer has exactly the fields it knew.
    response = central_server.push(token, [record_item(make_record(3))])
    assert response.headers[ITEM_KINDS_HEADER] == ",".join(kinds)
    PushResponse.model_validate(response.json())
    (answer,) = response.json()["results"]
    assert set(answer) == set(ItemResult.model_fields) - {"current_version"}
    pulled = central_server.pull(token)
    assert pulled.status_code == 200 and pulled.headers[ITEM_KINDS_HEADER] == ",".join(kinds)


def test_a_server_without_the_newer_kinds_refuses_them_as_an_older_server_does(
    central_server_factory: StartServer,
) -> None:
    server = central_server_factory(settings=replace(TEST_SETTINGS, item_kinds=FIRST_ITEM_KINDS))
    token = server.add_device("p-1")
    response = server.push(token, [record_item(make_record(4)), item("group", group())])
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "items", "1", "kind"]
    assert server.query("SELECT count(*) FROM records") == [(0,)]
    assert server.session().get(f"{server.url}/v1/health", timeout=10).headers[
        ITEM_KINDS_HEADER] == "record,visit"  # fmt: skip


@pytest.mark.parametrize("kind", ["group", "event"])
def test_a_version_not_after_its_base_is_refused(central_server: CentralServer, kind: str) -> None:
    token = central_server.add_device("p-1")
    data = group() if kind == "group" else event()
    (answer,) = results(central_server.push(token, [item(kind, data, 2, 2)]))
    assert (answer["status"], answer["reasons"][0]["code"]) == (
        "rejected",
        "version.not_after_base",
    )


def test_one_batch_creates_changes_and_fences_as_items_one_by_one(
    central_server: CentralServer,
) -> None:
    """What a batch reads ahead (`groups.Known`) follows its own writes, and an id written in
    another case is looked up on its own: the answers are those of items sent one by one."""
    bogor = central_server.add_device("p-1", "KC-BOGOR")
    depok = central_server.add_device("p-9", "KC-DEPOK")
    theirs = group()
    assert statuses(central_server.push(depok, [item("group", theirs)])) == ["accepted"]
    mine = group(name="Koperasi Nelayan", kind="koperasi")
    person = str(uuid.uuid4())
    upper = membership(theirs["id"], person)
    upper["group_id"] = theirs["id"].upper()
    batch = [
        item("group", mine),
        item("group", {**mine, "declared_workers": 90}, 2, 1),
        item("group", {**mine, "declared_workers": 95}, 2, 1),
        item("membership", upper),
        item("event", event(mine["id"])),
    ]
    answers = results(central_server.push(bogor, batch))
    assert [(a["status"], [r["code"] for r in a["reasons"]]) for a in answers] == [
        ("accepted", []),
        ("accepted", []),
        ("conflict", ["version.content_differs"]),
        ("rejected", ["branch.forbidden"]),
        ("accepted", []),
    ]
    assert central_server.query(
        "SELECT version, declared_workers FROM groups WHERE branch = 'KC-BOGOR'"
    ) == [(2, 90)]
