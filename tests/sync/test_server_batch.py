"""The batched push path against the one-item path, the storage under it, and what keeps it fast.

`push_items` stores the records new to the server together and answers replays from one read;
`push_items(..., batched=False)` handles every item on its own, as the protocol describes. Both
must give the same answers and leave the same database behind, whatever the batch holds.
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import json
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.exceptions import RequestValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach_tui.domain.record import validate_record
from sync.protocol import PushItem, canonical_json, content_hash
from sync.server import open_central
from sync.server.answers import _CANONICAL, PushContext
from sync.server.app import parse_push
from sync.server.gcpause import gc_paused
from sync.server.kpj import is_valid_kpj
from sync.server.push import push_items
from sync.server.sqlite_schema import migrate
from sync.server.sqlite_storage import SqliteCentralStorage
from sync.server.storage import Device
from tests.sync.conftest import CentralServer, enrolled_record, make_record, nik_for, record_item

TODAY = dt.date(2026, 1, 31)
AT = "2026-01-31T08:00:00.000Z"
BOGOR = Device("dev-bogor", "petugas-1", "KC-BOGOR", AT)
DEPOK = Device("dev-depok", "petugas-2", "KC-DEPOK", AT)


def _ctx(device: Device = BOGOR) -> PushContext:
    return PushContext(device=device, today=TODAY, at=AT, lang="en")


def _items(raw: list[dict[str, Any]]) -> list[PushItem]:
    return [PushItem.model_validate(item) for item in raw]


def _rows(storage: Any, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on either kind of central database."""
    if isinstance(storage, SqliteCentralStorage):
        conn = sqlite3.connect(storage.path)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(storage.url) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def _snapshot(storage: Any) -> dict[str, Any]:
    """Everything a push can change, in a comparable form.

    KPJ numbers: on SQLite the exact numbers; on PostgreSQL a sequence may skip numbers a
    rolled-back item took, so which records got one, in the order they got it, and that every
    number is valid and unique.
    """
    records = [
        (s.record_id, s.branch, s.version, s.content_hash, dict(s.record), s.status,
         s.duplicate_of, s.kpj_number is not None)
        for s in storage.current_records()
    ]  # fmt: skip
    versions = _rows(
        storage,
        "SELECT r.record_id, v.version, v.base_version, v.content_hash, v.data "
        "FROM record_versions v JOIN records r ON r.rid = v.rid ORDER BY 1, 2",
    )
    visits = _rows(storage, "SELECT visit_id, record_id, content_hash FROM visits")
    kpj = _rows(
        storage,
        "SELECT k.seq, r.record_id, k.kpj_number FROM kpj_numbers k "
        "JOIN records r ON r.rid = k.rid ORDER BY k.seq",
    )
    numbers = [number for _, _, number in kpj]
    assert len(set(numbers)) == len(numbers) and all(is_valid_kpj(n) for n in numbers)
    exact = isinstance(storage, SqliteCentralStorage)
    kpj_view = kpj if exact else [record_id for _, record_id, _ in kpj]
    changes = [
        (c.kind, c.record_id, c.fields if exact or c.kind != "kpj_number" else None)
        for branch in (BOGOR.branch, DEPOK.branch)
        for c in storage.changes_after(branch, 0, 10_000)[0]
    ]
    return {"records": records, "versions": versions, "visits": sorted(visits), "kpj": kpj_view,
            "changes": changes}  # fmt: skip


BACKEND: dict[str, Any] = {"cluster": None}  # the PostgreSQL cluster while a test uses it


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The batch tests run on both central databases."""
    if request.param == "postgres":
        BACKEND["cluster"] = request.getfixturevalue("pg_cluster")
    yield request.param
    BACKEND["cluster"] = None


@contextmanager
def _two_storages(backend: str = "sqlite") -> Iterator[tuple[Any, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        if backend == "postgres":
            cluster = BACKEND["cluster"]
            batched = open_central(cluster.new_database("batched"))
            single = open_central(cluster.new_database("single"))
        else:
            batched = open_central(Path(folder) / "batched.db")
            single = open_central(Path(folder) / "one-by-one.db")
        try:
            yield batched, single
        finally:
            batched.close()
            single.close()


# --- the same answers and the same database, whatever the batch holds ----------------------

PEOPLE = [str(uuid.UUID(int=n + 1, version=4)) for n in range(5)]
NIKS = [nik_for(1), nik_for(2), nik_for(3), None, "1234"]  # "1234" is refused


def _person(person: int, nik: int, enrolled: bool, variant: int) -> dict[str, Any]:
    data = make_record(person, id=PEOPLE[person], nik=NIKS[nik], consent=NIKS[nik] is not None)
    if enrolled:
        data.update(status="enrolled", consent=True)
    if variant == 1:
        data["full_name"] = f"Nama Lain {chr(65 + person)}"
    elif variant == 2:
        data["phone"] = "+62" + data["phone"][1:]  # already normalized: stored as sent
    return data


_records = st.builds(
    lambda person, nik, enrolled, variant, version, base: record_item(
        _person(person, nik, enrolled, variant), version, base
    ),
    person=st.integers(0, len(PEOPLE) - 1),
    nik=st.integers(0, len(NIKS) - 1),
    enrolled=st.booleans(),
    variant=st.integers(0, 2),
    version=st.integers(1, 3),
    base=st.one_of(st.none(), st.integers(1, 3)),
)
_visits = st.builds(
    lambda person, number, note: {
        "kind": "visit",
        "id": _visit_data(person, number, note)["id"],
        "version": 1,
        "content_hash": content_hash(_visit_data(person, number, note)),
        "data": _visit_data(person, number, note),
    },
    person=st.integers(0, len(PEOPLE) - 1),
    number=st.integers(0, 2),
    note=st.sampled_from(["", "kembali sore"]),
)
_batch = st.lists(st.one_of(_records, _records, _records, _visits), max_size=14)


def _visit_data(person: int, number: int, note: str) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=1000 + 10 * person + number, version=4)),
        "record_id": PEOPLE[person],
        "at": "2026-01-15T09:30:00+07:00",
        "outcome": "met",
        "note": note or None,
    }


@settings(
    max_examples=60, deadline=None,
    # `backend` only picks the database: every example makes fresh ones.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(depok=st.lists(_records, max_size=3), earlier=_batch, batch=_batch)
def test_the_batched_path_answers_and_stores_as_one_item_at_a_time(
    backend: str,
    depok: list[dict[str, Any]],
    earlier: list[dict[str, Any]],
    batch: list[dict[str, Any]],
) -> None:
    with _two_storages(backend) as (batched, single):
        answers = []
        for storage, is_batched in ((batched, True), (single, False)):
            push_items(storage, _items(depok), _ctx(DEPOK), batched=is_batched)
            push_items(storage, _items(earlier), _ctx(), batched=is_batched)
            answers.append(push_items(storage, _items(batch), _ctx(), batched=is_batched))
        assert answers[0] == answers[1]
        assert _snapshot(batched) == _snapshot(single)


def test_a_batch_of_new_records_is_stored_in_order_around_a_taken_nik(backend: str) -> None:
    first = enrolled_record(1)
    taken = enrolled_record(2, nik=first["nik"])
    after = enrolled_record(3)
    twice = make_record(4)
    items = _items(
        [
            record_item(first),
            record_item(taken),
            record_item(after),
            record_item(twice),
            record_item({**twice, "notes": "kedua"}, 2, 1),
        ]
    )
    with _two_storages(backend) as (batched, single):
        answers = push_items(batched, items, _ctx())
        assert [a["status"] for a in answers] == [
            "accepted", "duplicate", "accepted", "accepted", "accepted",
        ]  # fmt: skip
        assert answers[1]["duplicate_of"] == first["id"]
        # KPJ numbers and changes in item order: first, (taken is flagged), after.
        kinds = [(c.kind, c.record_id) for c in batched.changes_after("KC-BOGOR", 0, 100)[0]]
        assert kinds == [
            ("kpj_number", first["id"]),
            ("duplicate_nik", taken["id"]),
            ("kpj_number", after["id"]),
        ]
        assert answers == push_items(single, items, _ctx(), batched=False)
        assert _snapshot(batched) == _snapshot(single)
        # A replay of the whole batch writes nothing and answers `duplicate` throughout.
        before = _snapshot(batched)
        replay = push_items(batched, items, _ctx())
        assert [a["status"] for a in replay] == ["duplicate"] * 5
        assert replay[1]["duplicate_of"] == first["id"]
        assert [a["kpj_number"] for a in replay[:3]] == [a["kpj_number"] for a in answers[:3]]
        assert _snapshot(batched) == before


def test_a_record_is_stored_once_and_read_back_normalized(tmp_path: Path) -> None:
    # As a laptop sends it: normalized by the same rules, every field present.
    same = validate_record(make_record(1), today=TODAY).record
    other = make_record(2, phone="0812-0000-0002", full_name="  budi   SANTOSO ")
    with open_central(tmp_path / "c.db") as storage:
        push_items(storage, _items([record_item(same), record_item(other)]), _ctx())
        conn = sqlite3.connect(storage.path)
        stored = dict(conn.execute("SELECT record_id, record FROM records").fetchall())
        conn.close()
        # The first is kept once (its version's data); the second's normalized form differs.
        assert stored[same["id"]] is None
        assert stored[other["id"]] is not None
        first, second = storage.record(same["id"]), storage.record(other["id"])
        assert first is not None and second is not None
        assert first.record == same
        assert second.record["phone"] == "+6281200000002"
        assert second.record["full_name"] != other["full_name"]


@pytest.mark.parametrize(
    ("record", "sent"),
    [({"a": 1}, {"a": 1.0}), ({"a": True}, {"a": 1}), ({"a": [1]}, {"a": [1]})],
)
def test_equal_values_of_other_types_are_not_the_same_json(
    tmp_path: Path, record: dict[str, Any], sent: dict[str, Any]
) -> None:
    from sync.server.push import _same_json

    assert record == sent and not _same_json(record, sent)


def test_the_canonical_encoder_matches_the_protocol() -> None:
    data = {"b": "é\u00e9 \u2028", "a": [1, 2.5, None, True], "c": {"z": 1, "y": "x"}, "n": -0.0}
    assert _CANONICAL.encode(data).encode() == canonical_json(data)


# --- the database: migration from the first schema, checkpoints ----------------------------


def test_a_first_schema_database_migrates_with_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, upto=1)
    rid = str(uuid.uuid4())
    conn.executescript(
        f"""
        INSERT INTO records (record_id, branch, officer_id, version, content_hash, record, nik,
            created_at, updated_at)
            VALUES ('{rid}', 'KC-BOGOR', 'p1', 2, 'h2', '{{"id": "{rid}", "full_name": "A"}}',
                    '3201014101800001', 't', 't');
        INSERT INTO record_versions VALUES ('{rid}', 1, NULL, 'h1', '{{}}', 'KC-BOGOR', 'p1',
                                            'd1', 't');
        INSERT INTO record_versions VALUES ('{rid}', 2, 1, 'h2', '{{}}', 'KC-BOGOR', 'p1',
                                            'd1', 't');
        INSERT INTO kpj_numbers (seq, record_id, kpj_number, assigned_at)
            VALUES (41, '{rid}', '10000000410', 't');
        """
    )
    conn.close()
    with open_central(path) as storage:
        state = storage.record(rid)
        assert state is not None and state.version == 2 and state.kpj_number == "10000000410"
        assert state.record["full_name"] == "A"
        with storage.write() as writer:
            stored = writer.stored_version(rid, 1)
            assert stored is not None and stored.content_hash == "h1"
        # The sequence goes on after the highest number ever handed out.
        new = str(uuid.uuid4())
        push_items(storage, _items([record_item(enrolled_record(5, id=new))]), _ctx())
        later = storage.record(new)
        assert later is not None and later.kpj_number is not None
        assert int(later.kpj_number[:-1]) == 1_000_000_000 + 42


def test_commits_reach_the_database_file_through_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with open_central(path) as storage:
        items = [record_item(make_record(n)) for n in range(50)]
        push_items(storage, _items(items), _ctx())
    # Closed: the last checkpoint ran and the WAL is empty, so the main file has every row.
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (50,)
    finally:
        conn.close()
    assert not any(t.name == "central-checkpoint" for t in threading.enumerate())


# --- the HTTP side: parsing, the collector, the schema ---------------------------------------


def test_the_collector_is_paused_per_batch_and_resumed_after_the_last() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_the_push_body_is_parsed_as_fastapi_would() -> None:
    item = record_item(make_record(1))
    body = json.dumps({"batch_id": "b", "items": [item]}).encode()
    assert parse_push(body).items[0].data == item["data"]
    # What pydantic's parser refuses is read by the stdlib, as before (NaN, lone surrogates).
    odd = {**item, "data": {**item["data"], "notes": "x\udc00", "monthly_income": float("nan")}}
    parsed = parse_push(json.dumps({"batch_id": "b", "items": [odd]}).encode())
    assert parsed.items[0].data["notes"] == "x\udc00"
    for broken, loc in ((b"", ["body"]), (b'{"batch_id": ', ["body", 13])):
        with pytest.raises(RequestValidationError) as error:
            parse_push(broken)
        assert [list(e["loc"]) for e in error.value.errors()] == [loc]
    with pytest.raises(RequestValidationError) as error:
        parse_push(json.dumps({"protocol": 9, "batch_id": "b", "items": []}).encode())
    assert [list(e["loc"]) for e in error.value.errors()] == [["body", "protocol"]]


def test_a_gzipped_batch_of_many_new_records_over_http(central_server: CentralServer) -> None:
    token = central_server.add_device()
    items = [record_item(enrolled_record(n) if n % 3 else make_record(n)) for n in range(300)]
    body = gzip.compress(json.dumps({"batch_id": "big", "items": items}).encode())
    response = central_server.session(token).post(
        f"{central_server.url}/v1/push",
        data=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == ["protocol", "batch_id", "results", "server_time"]
    results = answer["results"]
    assert [r["status"] for r in results] == ["accepted"] * 300
    assert all(list(r) == ["kind", "id", "version", "status", "reasons", "duplicate_of",
                           "kpj_number"] for r in results)  # fmt: skip
    assert sum(r["kpj_number"] is not None for r in results) == 200
    schema = requests.get(f"{central_server.url}/openapi.json", timeout=5).json()
    body_schema = schema["paths"]["/v1/push"]["post"]["requestBody"]
    ref = body_schema["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/PushRequest" and body_schema["required"]
    assert {"PushRequest", "PushItem"} <= set(schema["components"]["schemas"])
