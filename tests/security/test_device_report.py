"""`outreach server device-report`: what a lost device held, from a real central database."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from click.testing import CliRunner, Result

from outreach_tui.cli import main
from sync.server.auth import issue_device
from sync.server.central import utc_stamp
from tests.sync.conftest import (
    CentralServer,
    enrolled_record,
    make_record,
    record_item,
    statuses,
    visit_item,
)

NAME = "Sulastri Kanarini"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["server", "device-report", *args], catch_exceptions=False)


def _device(server: CentralServer, officer: str = "p-1", branch: str = "KC-BOGOR") -> Any:
    return issue_device(server.storage, officer, branch, at=utc_stamp())


def _work(server: CentralServer) -> dict[str, Any]:
    """Device A pushes two records (one twice), two visits; device B one record."""
    lost, other = _device(server), _device(server, "p-2")
    enrolled = enrolled_record(1, full_name=NAME, notes="rumah cat biru")
    prospect = make_record(2, street="")
    assert (
        statuses(
            server.push(
                lost.token,
                [
                    record_item(enrolled),
                    record_item(prospect),
                    record_item({**enrolled, "phone": "081311112222"}, 2, 1),
                    visit_item(enrolled["id"], note="datang lagi Senin"),
                    visit_item(None),
                ],
            )
        )
        == ["accepted"] * 5
    )
    elsewhere = make_record(3)
    assert statuses(server.push(other.token, [record_item(elsewhere)])) == ["accepted"]
    assert server.storage.mark_paid(enrolled["id"]).outcome == "paid"
    return {
        "lost": lost.device.device_id,
        "other": other.device.device_id,
        "enrolled": enrolled["id"],
        "prospect": prospect["id"],
        "elsewhere": elsewhere["id"],
    }


def test_json_lists_what_the_device_sent_and_could_pull(central_server: CentralServer) -> None:
    ids = _work(central_server)
    db = str(central_server.db_path)
    result = _run("--db", db, "--device", ids["lost"], "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["device"]["device_id"] == ids["lost"]
    assert report["device"]["branch"] == "KC-BOGOR" and report["device"]["revoked_at"] is None
    rows = {row["record_id"]: row for row in report["records"]}
    assert ids["elsewhere"] not in rows  # another laptop's record: never on this one
    assert set(rows) - {ids["enrolled"], ids["prospect"]} != set()  # the stray visit
    enrolled = rows[ids["enrolled"]]
    assert enrolled["kind"] == "record" and enrolled["branch"] == "KC-BOGOR"
    assert {"full_name", "nik", "phone", "notes", "monthly_income", "visit.note"} <= set(
        enrolled["personal_fields"]
    )
    assert "status" not in enrolled["personal_fields"]
    assert enrolled["versions_sent"] == 2 and enrolled["visits_sent"] == 1
    assert enrolled["received_fields"] == ["kpj_number", "status"]
    assert enrolled["last_received_at"] >= enrolled["last_sent_at"] >= enrolled["first_sent_at"]
    prospect = rows[ids["prospect"]]
    assert "nik" not in prospect["personal_fields"] and "street" not in prospect["personal_fields"]
    assert prospect["received_fields"] == [] and prospect["last_received_at"] is None
    [stray] = [row for row in rows.values() if row["kind"] == "visit"]
    assert stray["visits_sent"] == 1 and stray["versions_sent"] == 0
    assert "full_name" not in enrolled  # names only when asked
    assert NAME not in result.output


def test_names_for_the_notification_letter(central_server: CentralServer) -> None:
    ids = _work(central_server)
    db = str(central_server.db_path)
    result = _run("--db", db, "--device", ids["lost"], "--format", "json", "--names")
    rows = {row["record_id"]: row for row in json.loads(result.stdout)["records"]}
    assert rows[ids["enrolled"]]["full_name"] == NAME
    text = _run("--db", db, "--device", ids["lost"], "--names")
    assert NAME in text.output


def test_csv_and_a_file(central_server: CentralServer, tmp_path: Any) -> None:
    ids = _work(central_server)
    db = str(central_server.db_path)
    result = _run("--db", db, "--device", ids["lost"], "--format", "csv", "--plain")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == 3 and "full_name" not in table[0]
    [row] = [r for r in table if r["record_id"] == ids["enrolled"]]
    assert "nik" in row["personal_fields"].split(";") and row["versions_sent"] == "2"
    out = tmp_path / "drill" / "report.csv"
    written = _run("--db", db, "--device", ids["lost"], "--format", "csv", "--out", str(out))
    assert written.exit_code == 0 and str(out) in written.output
    assert out.read_text(encoding="utf-8").startswith("\ufeffrecord_id,")


def test_text_reminds_to_revoke_and_says_what_is_missing(central_server: CentralServer) -> None:
    ids = _work(central_server)
    db = str(central_server.db_path)
    before = _run("--db", db, "--device", ids["lost"])
    assert before.exit_code == 0
    assert "3 data" in before.output and "revoke-device" in before.output
    assert "belum pernah disinkronkan" in before.output
    assert CliRunner().invoke(
        main, ["server", "revoke-device", "--db", db, "--device", ids["lost"]]
    )
    after = _run("--db", db, "--device", ids["lost"], "--json")
    assert json.loads(after.stdout)["device"]["revoked_at"]
    assert "revoke-device" not in _run("--db", db, "--device", ids["lost"]).output


def test_a_device_that_sent_nothing_and_an_unknown_one(central_server: CentralServer) -> None:
    idle = _device(central_server)
    db = str(central_server.db_path)
    empty = _run("--db", db, "--device", idle.device.device_id, "--json")
    assert empty.exit_code == 0 and json.loads(empty.stdout)["records"] == []
    unknown = _run("--db", db, "--device", "no-such-device")
    assert unknown.exit_code == 1 and "no-such-device" in unknown.output


def test_a_real_laptop_after_import_and_sync(central_server: CentralServer, tmp_path: Any) -> None:
    from tests.conftest import cli_setup

    from .helpers import CANARY_NAME, run, write_csv

    issued = _device(central_server, "p1", "KC-BOGOR")
    assert cli_setup(central_server.url, issued.token).exit_code == 0
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    assert run("sync").exit_code == 0
    db = str(central_server.db_path)
    report = json.loads(_run("--db", db, "--device", issued.device.device_id, "--json").stdout)
    assert len(report["records"]) == 2
    fields = {tuple(row["personal_fields"]) for row in report["records"]}
    assert any({"full_name", "nik", "phone", "birth_date", "sex"} <= set(f) for f in fields)
    assert any(row["received_fields"] == ["kpj_number"] for row in report["records"])
    named = _run("--db", db, "--device", issued.device.device_id, "--names", "--json")
    assert CANARY_NAME in {row["full_name"] for row in json.loads(named.stdout)["records"]}


def test_groups_with_a_contact_person_are_listed(central_server: CentralServer) -> None:
    """A lost laptop also held the contact persons of its groups (name and phone)."""
    from tests.sync.test_server_groups import group, item

    ids = _work(central_server)
    lost = _device(central_server, "p-1")
    market = group(name="Pasar Cibinong", contact_name="Haji Mamat")
    assert statuses(central_server.push(lost.token, [item("group", market)])) == ["accepted"]
    db = str(central_server.db_path)
    result = _run("--db", db, "--device", lost.device.device_id, "--format", "json", "--names")
    (row,) = json.loads(result.stdout)["records"]
    assert (row["record_id"], row["kind"], row["full_name"]) == (
        market["id"], "group", "Pasar Cibinong")  # fmt: skip
    assert row["personal_fields"] == ["group.contact_name", "group.contact_phone"]
    before = _run("--db", db, "--device", ids["lost"], "--format", "json")
    assert all(r["kind"] != "group" for r in json.loads(before.stdout)["records"])
