"""`outreach server ...` through click's CliRunner, against a live central API's database."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main
from outreach_tui.commands.server import server as server_group
from sync.server.kpj import is_valid_kpj
from tests.sync.conftest import (
    CentralServer,
    enrolled_record,
    make_record,
    record_item,
    statuses,
)


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["server", *args], catch_exceptions=False)


def _add_device(db: Path, officer: str = "p-1", branch: str = "KC-BOGOR") -> dict[str, str]:
    result = _run(
        "add-device", "--db", str(db), "--officer-id", officer, "--branch", branch, "--json"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_server_command_and_option_has_help() -> None:
    assert server_group.help
    for name, command in server_group.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"
        result = _run(name, "--help")
        assert result.exit_code == 0 and "--db" in result.output


def test_add_device_prints_the_token_once_and_it_works(
    central_server: CentralServer,
) -> None:
    device = _add_device(central_server.db_path)
    assert set(device) == {"token", "device_id"} and len(device["token"]) >= 40
    assert central_server.pull(device["token"]).status_code == 200
    plain = _run(
        "add-device", "--db", str(central_server.db_path), "--officer-id", "p-2", "--branch", "KC"
    )
    assert plain.exit_code == 0
    assert "p-2" in plain.output and "KC" in plain.output and "Token" in plain.output
    blank = _run(
        "add-device", "--db", str(central_server.db_path), "--officer-id", " ", "--branch", "KC"
    )
    assert blank.exit_code == 2


def test_revoke_device_turns_its_token_away(central_server: CentralServer) -> None:
    device = _add_device(central_server.db_path)
    db = str(central_server.db_path)
    revoked = _run("revoke-device", "--db", db, "--device", device["device_id"])
    assert revoked.exit_code == 0 and device["device_id"] in revoked.output
    assert central_server.pull(device["token"]).json()["code"] == "token_revoked"
    again = _run("revoke-device", "--db", db, "--device", device["device_id"])
    assert again.exit_code == 0 and "sudah dicabut" in again.output
    unknown = _run("revoke-device", "--db", db, "--device", "no-such-device")
    assert unknown.exit_code == 1 and "no-such-device" in unknown.output


def test_commands_on_a_missing_database_say_so(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.db")
    for args in (
        ("revoke-device", "--db", missing, "--device", "x"),
        ("export", "--db", missing),
        ("mark-paid", "--db", missing, "x"),
    ):
        result = _run(*args)
        assert result.exit_code == 2 and "nope.db" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_export_json_and_csv_one_row_per_record(
    central_server: CentralServer, tmp_path: Path
) -> None:
    token = central_server.add_device("petugas-1", "KC-BOGOR")
    other = central_server.add_device("petugas-2", "KC-DEPOK")
    v1 = enrolled_record(1, street="=HYPERLINK(1) Jl. Mawar")
    v2 = {**v1, "notes": "versi kedua"}
    flagged = enrolled_record(2, nik=v1["nik"])
    assert statuses(central_server.push(token, [record_item(v1), record_item(v2, 2, 1)])) == [
        "accepted",
        "accepted",
    ]
    assert statuses(central_server.push(other, [record_item(flagged)])) == ["duplicate"]
    db = str(central_server.db_path)

    result = _run("export", "--db", db, "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert set(rows) == {v1["id"], flagged["id"]}
    first = rows[v1["id"]]
    assert first["version"] == 2 and first["notes"] == "versi kedua"
    assert first["branch"] == "KC-BOGOR" and first["officer_id"] == "petugas-1"
    assert first["status"] == "enrolled" and is_valid_kpj(first["kpj_number"])
    assert first["phone"].startswith("+628")  # the normalized record
    assert rows[flagged["id"]]["duplicate_of"] == v1["id"]

    out = tmp_path / "export" / "central.csv"
    written = _run(
        "export", "--db", db, "--format", "csv", "--out", str(out), "--branch", "KC-BOGOR"
    )
    assert written.exit_code == 0 and str(out) in written.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row["id"] for row in table] == [v1["id"]]
    assert table[0]["nik"] == f'="{v1["nik"]}"'  # spreadsheets keep every digit
    assert table[0]["street"].startswith("'=")  # no formula injection
    plain = _run("export", "--db", db, "--format", "csv", "--plain", "--branch", "KC-DEPOK")
    [row] = list(csv.DictReader(io.StringIO(plain.output)))
    assert row["nik"] == v1["nik"] and row["duplicate_of"] == v1["id"]


def test_mark_paid_makes_an_enrolled_participant_active(central_server: CentralServer) -> None:
    token = central_server.add_device()
    enrolled, prospect = enrolled_record(1), make_record(2)
    central_server.push(token, [record_item(enrolled), record_item(prospect)])
    db = str(central_server.db_path)
    paid = _run("mark-paid", "--db", db, enrolled["id"])
    assert paid.exit_code == 0 and enrolled["id"] in paid.output
    changes = central_server.pull(token).json()["changes"]
    assert changes[-1]["kind"] == "status" and changes[-1]["fields"] == {"status": "active"}
    again = _run("mark-paid", "--db", db, enrolled["id"])
    assert again.exit_code == 0 and "sudah aktif" in again.output
    assert len(central_server.pull(token).json()["changes"]) == len(changes)  # no second change
    refused = _run("mark-paid", "--db", db, prospect["id"])
    assert refused.exit_code == 1 and prospect["id"] in refused.output
    unknown = _run("mark-paid", "--db", db, "00000000-0000-4000-8000-000000000000")
    assert unknown.exit_code == 1


def test_run_on_a_busy_port_fails_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = _run("run", "--db", str(tmp_path / "c.db"), "--port", str(port))
    assert result.exit_code == 2
    assert str(port) in result.output


@pytest.mark.parametrize("lang", ["id", "en"])
def test_messages_follow_the_language(
    central_server: CentralServer, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("OUTREACH_LANG", lang)
    result = _run("mark-paid", "--db", str(central_server.db_path), "nope")
    expected = "is not in the central database" if lang == "en" else "tidak ada di basis data"
    assert expected in result.output
