"""Slip keys travel through sync: a slip signed on one laptop verifies offline on another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from outreach_tui.cli import main
from tests.sync.conftest import CentralServer, nik_for

HEADER = "full_name,nik,phone,occupation,programs,payment_period,region_code,rw,rt,status,consent\n"


def _laptop(
    home: Path, server: CentralServer, officer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    token = server.add_device(officer, "KC-BOGOR")
    setup = CliRunner().invoke(
        main,
        ["setup", "--officer-id", officer, "--officer-name", f"Petugas {officer}", "--branch",
         "KC-BOGOR", "--server", server.url, "--token", token],
    )  # fmt: skip
    assert setup.exit_code == 0, setup.output


def test_slip_verifies_on_another_laptop_after_sync(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    # Laptop A enrolls someone and syncs: its slip key goes to the centre.
    _laptop(tmp_path / "a", central_server, "P-A", monkeypatch)
    people = tmp_path / "people.csv"
    people.write_text(
        HEADER
        + f"Siti Aminah,{nik_for(1)},0812-3456-7890,ojol,JKK JKM,1,3201011001,1,2,enrolled,ya\n"
    )
    assert runner.invoke(main, ["import", str(people)]).exit_code == 0
    synced = runner.invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output
    (record,) = json.loads(runner.invoke(main, ["export", "--format", "json"]).stdout)
    image = tmp_path / "slip.png"
    made = runner.invoke(main, ["slip", record["id"], "--format", "png", "--out", str(image)])
    assert made.exit_code == 0, made.output
    (decoded,) = zxingcpp.read_barcodes(Image.open(image))
    assert decoded.text.startswith("BPU1:")
    # Laptop B of the same branch does not know A's key until it syncs.
    _laptop(tmp_path / "b", central_server, "P-B", monkeypatch)
    unknown = runner.invoke(main, ["slip-verify", "--image", str(image)])
    assert unknown.exit_code == 1
    synced = runner.invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output
    known = runner.invoke(main, ["slip-verify", "--image", str(image), "--json"])
    assert known.exit_code == 0, known.output
    assert json.loads(known.stdout)["valid"] is True
    # The centre verifies it too.
    session = central_server.session(central_server.add_device("P-C", "KC-BOGOR"))
    answer = session.post(f"{central_server.url}/v1/slips/verify", json={"payload": decoded.text})
    assert answer.status_code == 200 and answer.json()["valid"] is True
