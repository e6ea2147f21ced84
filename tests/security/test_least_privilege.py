"""One device token can do only what its own officer should (issue 10, least privilege).

Against the real central API on loopback: forget, pull, pushes of colleagues' records,
cross-branch NIKs, strict record fields, slip keys and central slip checks, and the laptop's
own commands that change trust.
"""

from __future__ import annotations

import base64
import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from outreach_tui.cli import main
from outreach_tui.slips.payload import encode_payload, sign_payload
from outreach_tui.slips.signing import key_id_for
from sync.protocol import RECORD_DATA_FIELDS, VISIT_DATA_FIELDS
from sync.server import open_central
from sync.server.sqlite_schema import MIGRATIONS, migrate
from tests.sync.conftest import (
    CentralServer,
    enrolled_record,
    make_record,
    record_item,
    statuses,
    visit_item,
)


def _results(response: requests.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def _forget(server: CentralServer, token: str, record_id: str) -> requests.Response:
    return server.session(token).post(f"{server.url}/v1/records/{record_id}/forget", timeout=10)


@pytest.fixture
def colleagues(central_server: CentralServer) -> dict[str, Any]:
    """Officers A and B of one branch; A has recorded an enrolled person."""
    a = central_server.add_device("petugas-a", "KC-BOGOR")
    b = central_server.add_device("petugas-b", "KC-BOGOR")
    person = enrolled_record(11, full_name="Sumirah Kanari")
    assert statuses(central_server.push(a, [record_item(person)])) == ["accepted"]
    return {"a": a, "b": b, "person": person}


def test_a_device_cannot_forget_a_colleagues_record(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """B's token gets 403 for A's record; nothing is blanked; A may forget its own."""
    person = colleagues["person"]
    refused = _forget(central_server, colleagues["b"], person["id"])
    assert (refused.status_code, refused.json()["code"]) == (403, "officer_forbidden")
    state = central_server.storage.record(person["id"])
    assert state is not None and state.record["full_name"] == "Sumirah Kanari"
    assert _forget(central_server, colleagues["a"], person["id"]).status_code == 200
    state = central_server.storage.record(person["id"])
    assert state is not None and state.record["full_name"] is None


def test_a_pull_carries_nothing_of_a_colleagues_records(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """A's pull brings A's KPJ number; B's pull has no id of A's records, at any cursor."""
    person = colleagues["person"]
    own = central_server.pull(colleagues["a"])
    assert [c["record_id"] for c in own.json()["changes"]] == [person["id"]]
    other = central_server.pull(colleagues["b"])
    assert other.status_code == 200 and other.json()["changes"] == []
    assert person["id"] not in other.text
    # B's own work still arrives, and its cursor moves past A's changes.
    mine = enrolled_record(12)
    assert statuses(central_server.push(colleagues["b"], [record_item(mine)])) == ["accepted"]
    page = central_server.pull(colleagues["b"], limit=1).json()
    assert [c["record_id"] for c in page["changes"]] == [mine["id"]] and page["more"] is False


def test_a_device_cannot_change_a_colleagues_record(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """A new version of A's record pushed with B's token is refused; A's record is unchanged."""
    person = colleagues["person"]
    changed = {**person, "full_name": "Nama Palsu", "phone": "081399990000"}
    [answer] = _results(central_server.push(colleagues["b"], [record_item(changed, 2, 1)]))
    assert answer["status"] == "rejected"
    assert answer["reasons"][0]["code"] == "officer.forbidden"
    state = central_server.storage.record(person["id"])
    assert (
        state is not None and state.version == 1 and state.record["full_name"] == "Sumirah Kanari"
    )


@pytest.mark.parametrize(
    ("branch", "marker", "code"),
    [
        ("KC-DEPOK", "held-in-other-branch", "nik.held_in_other_branch"),
        ("KC-BOGOR", "held-by-colleague", "nik.held_by_colleague"),
    ],
)
def test_a_taken_nik_never_names_the_record_that_holds_it(
    branch: str, marker: str, code: str, central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """Answer, replay and pull say who resolves it, never the holder's id."""
    holder = colleagues["person"]
    token = central_server.add_device("petugas-c", branch)
    same = enrolled_record(13, nik=holder["nik"], full_name="Orang Lain")
    pushed = central_server.push(token, [record_item(same)])
    [answer] = _results(pushed)
    assert (answer["status"], answer["duplicate_of"]) == ("duplicate", marker)
    assert answer["reasons"][0]["code"] == code
    replay = central_server.push(token, [record_item(same)])
    pulled = central_server.pull(token)
    for text in (pushed.text, replay.text, pulled.text):
        assert holder["id"] not in text and "Sumirah" not in text
    assert pulled.json()["changes"][0]["fields"] == {"duplicate_of": marker}


def test_the_own_officers_duplicate_keeps_its_id(central_server: CentralServer) -> None:
    """Two records of the same officer with one NIK: the officer may see which one."""
    token = central_server.add_device("petugas-a", "KC-BOGOR")
    first = enrolled_record(21)
    second = enrolled_record(22, nik=first["nik"], full_name="Kembar Data")
    central_server.push(token, [record_item(first)])
    [answer] = _results(central_server.push(token, [record_item(second)]))
    assert answer["duplicate_of"] == first["id"]


def test_only_contract_fields_are_accepted(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """`nama_ibu`, a 1.5 MB text, a nested object: refused per item, the others accepted."""
    token = colleagues["a"]
    good = make_record(31)
    extra = {**make_record(32), "nama_ibu": "Kanari Ibu"}
    blob = {**make_record(33), "notes": "x" * 1_500_000}
    nested = {**make_record(34), "street": {"jalan": "Melati"}}
    visit = visit_item(good["id"], nama_ibu="Kanari Ibu")
    answers = _results(
        central_server.push(
            token,
            [record_item(extra), record_item(good), record_item(blob), record_item(nested), visit],
        )
    )
    assert [a["status"] for a in answers] == [
        "rejected", "accepted", "rejected", "rejected", "rejected"
    ]  # fmt: skip
    assert answers[0]["reasons"] == [
        {**answers[0]["reasons"][0], "field": "nama_ibu", "code": "field.unknown"}
    ]
    assert (answers[2]["reasons"][0]["field"], answers[2]["reasons"][0]["code"]) == (
        "notes", "field.too_long"
    )  # fmt: skip
    assert answers[3]["reasons"][0]["code"] == "field.not_scalar"
    assert answers[4]["reasons"][0]["field"] == "nama_ibu"
    raw = central_server.stored_bytes()
    assert b"nama_ibu" not in raw and b"Kanari Ibu" not in raw and b"x" * 1000 not in raw


def test_the_laptop_sends_only_contract_fields() -> None:
    """What the laptop's outbox puts on the wire is inside what the server accepts."""
    from outreach_tui.store import outbox

    assert set(outbox._WIRE_SORTED) <= RECORD_DATA_FIELDS
    assert {"id", *outbox._VISIT_FIELDS} <= VISIT_DATA_FIELDS


def test_forgetting_the_holder_lifts_the_duplicate_flags(central_server: CentralServer) -> None:
    """Two records flagged against a forgotten one: the first is unflagged, the next moves."""
    token = central_server.add_device("petugas-a", "KC-BOGOR")
    holder = enrolled_record(41)
    twin = enrolled_record(42, nik=holder["nik"], full_name="Kembar Satu")
    third = enrolled_record(43, nik=holder["nik"], full_name="Kembar Dua")
    for record in (holder, twin, third):
        central_server.push(token, [record_item(record)])
    cursor = central_server.pull(token).json()["cursor"]
    assert _forget(central_server, token, holder["id"]).status_code == 200
    twin_state = central_server.storage.record(twin["id"])
    third_state = central_server.storage.record(third["id"])
    assert twin_state is not None and twin_state.duplicate_of is None
    assert third_state is not None and third_state.duplicate_of == twin["id"]
    changes = central_server.pull(token, cursor).json()["changes"]
    flags = {c["record_id"]: c["fields"] for c in changes if c["kind"] == "duplicate_nik"}
    assert flags == {twin["id"]: {"duplicate_of": None}, third["id"]: {"duplicate_of": twin["id"]}}


def test_the_branch_forgets_any_record_by_command(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """`outreach server forget` needs a reason, blanks the record and writes the audit log."""
    person, db = colleagues["person"], str(central_server.db_path)
    runner = CliRunner()
    no_reason = runner.invoke(main, ["server", "forget", "--db", db, "--record", person["id"],
                                     "--yes"])  # fmt: skip
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    done = runner.invoke(main, ["server", "forget", "--db", db, "--record", person["id"],
                                "--reason", "permintaan peserta", "--by", "kepala-cabang",
                                "--yes"])  # fmt: skip
    assert done.exit_code == 0, done.output
    state = central_server.storage.record(person["id"])
    assert state is not None and state.record["nik"] is None
    rows = central_server.query("SELECT actor, action, record_id, reason FROM central_audit")
    assert ("staff:kepala-cabang", "forget", person["id"], "permintaan peserta") in rows
    unknown = runner.invoke(main, ["server", "forget", "--db", db, "--record", str(uuid.uuid4()),
                                   "--reason", "x", "--yes"])  # fmt: skip
    assert unknown.exit_code == 1


# --- slip keys and central slip checks ------------------------------------------------------


def _key() -> tuple[Ed25519PrivateKey, dict[str, str]]:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, {"key_id": key_id_for(raw), "public_key": base64.b64encode(raw).decode()}


def _slip(private: Ed25519PrivateKey, key_id: str, record_id: str, issued: dt.date) -> str:
    body = encode_payload(
        record_id=record_id, key_id=key_id, issued=issued, payment_period=1,
        programs="JKK,JKM", monthly_contribution=16800, officer_id="petugas-a",
    )  # fmt: skip

    class _Signer:
        def sign(self, message: bytes) -> bytes:
            return private.sign(message)

    return sign_payload(body, _Signer())


def test_one_active_slip_key_per_device_and_central_checks(
    central_server: CentralServer, colleagues: dict[str, Any]
) -> None:
    """A new key replaces the old (audited); old slips still verify, later ones do not; a slip
    whose record the branch does not hold is not valid."""
    a, verifier = colleagues["a"], central_server.add_device("petugas-v", "KC-BOGOR")
    person = colleagues["person"]
    old, old_info = _key()
    new, new_info = _key()
    url = central_server.url
    assert central_server.session(a).post(f"{url}/v1/devices/key", json=old_info).status_code == 200
    today = dt.date.today()
    before = _slip(old, old_info["key_id"], person["id"], today)
    assert central_server.session(a).post(f"{url}/v1/devices/key", json=new_info).status_code == 200

    def verify(payload: str) -> dict[str, Any]:
        answer = central_server.session(verifier).post(
            f"{url}/v1/slips/verify", json={"payload": payload}
        )
        assert answer.status_code == 200
        return dict(answer.json())

    assert verify(before)["valid"] is True
    later = verify(_slip(old, old_info["key_id"], person["id"], today + dt.timedelta(days=2)))
    assert (later["valid"], later["reason"]) == (False, "key_replaced")
    assert verify(_slip(new, new_info["key_id"], person["id"], today))["valid"] is True
    ghost = verify(_slip(new, new_info["key_id"], str(uuid.uuid4()), today))
    assert (ghost["valid"], ghost["reason"]) == (False, "record_unknown")
    actions = central_server.query("SELECT action, key_id FROM central_audit ORDER BY id")
    assert actions == [
        ("key_registered", old_info["key_id"]),
        ("key_replaced", old_info["key_id"]),
        ("key_registered", new_info["key_id"]),
    ]
    # The replaced key cannot be made active again by re-registering it.
    again = central_server.session(a).post(f"{url}/v1/devices/key", json=old_info)
    assert again.status_code == 409


def test_slip_key_add_needs_the_passphrase(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trusting a new slip key changes what the laptop accepts: it unlocks first."""
    from tests.conftest import cli_setup

    assert cli_setup("http://127.0.0.1:9", "tok").exit_code == 0
    _, info = _key()
    key_file = tmp_path / "key.json"
    key_file.write_text(__import__("json").dumps(info))
    monkeypatch.delenv("OUTREACH_PASSPHRASE")
    refused = CliRunner().invoke(main, ["slip-key", "--add", str(key_file)])
    assert refused.exit_code == 6
    known = isolated_home / "keys" / "known_keys.json"
    assert not known.exists() or info["key_id"] not in known.read_text()


def test_schema_5_upgrades_a_populated_database(tmp_path: Path) -> None:
    """A database of schema 4 with changes in it gets the owners of its changes filled in."""
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, upto=4)
    conn.execute(
        "INSERT INTO records (record_id, branch, officer_id, version, content_hash, record, "
        "created_at, updated_at) VALUES ('r1', 'KC', 'petugas-a', 1, 'h', '{}', 't', 't')"
    )
    conn.execute(
        "INSERT INTO server_changes (branch, record_id, kind, fields, at) "
        "VALUES ('KC', 'r1', 'kpj_number', '{}', 't')"
    )
    conn.close()
    storage = open_central(db)
    try:
        assert storage.schema_version() == len(MIGRATIONS)
        mine, _ = storage.changes_after("KC", 0, 10, officer_id="petugas-a")
        theirs, _ = storage.changes_after("KC", 0, 10, officer_id="petugas-b")
        assert [c.record_id for c in mine] == ["r1"] and theirs == []
    finally:
        storage.close()
