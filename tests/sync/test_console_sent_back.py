"""A record a supervisor sends back reaches its officer's laptop with the next pull, set aside
with the supervisor's comment, and leaves both the laptop's list and the console's once the
officer sends a corrected version. An older laptop (no Outreach-Accept-Kinds) is never sent it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from sync.protocol import ACCEPT_KINDS_HEADER
from tests.conftest import cli_setup, unlocked_store
from tests.sync.conftest import CentralServer, nik_for
from tests.sync.test_console import csrf_of, staff_session

HEADER = "full_name,nik,phone,occupation,programs,payment_period,region_code,rw,rt,status,consent\n"
COMMENT = "NIK milik kakaknya; minta KTP asli"


def _laptop(home: Path, central: CentralServer, officer: str, name: str, mp: pytest.MonkeyPatch):
    mp.setenv("OUTREACH_HOME", str(home))
    token = central.add_device(officer, "KC-BOGOR")
    assert cli_setup(central.url, token, officer).exit_code == 0
    people = home / "people.csv"
    people.write_text(
        HEADER + f"{name},{nik_for(3)},0812-3456-7890,ojol,JKK JKM,1,3201011001,1,2,enrolled,ya\n"
    )
    assert CliRunner().invoke(main, ["import", str(people)]).exit_code == 0
    synced = CliRunner().invoke(main, ["sync"])
    return token, synced


def test_a_record_sent_back_reaches_the_laptop_and_leaves_when_corrected(
    tmp_path: Path, central_server: CentralServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _laptop(tmp_path / "a", central_server, "p-a", "Siti Aminah", monkeypatch)
    token_b, synced = _laptop(tmp_path / "b", central_server, "p-b", "Rina Wati", monkeypatch)
    assert synced.exit_code == 1  # B's record is flagged: the NIK is A's
    ((flagged_id,),) = central_server.query(
        "SELECT record_id FROM records WHERE duplicate_of IS NOT NULL"
    )
    web = staff_session(central_server, "dewi", "KC-BOGOR", "supervisor")
    page = web.get(f"{central_server.url}/console/review", timeout=10)
    sent = web.post(
        f"{central_server.url}/console/review/decide",
        data={"record_id": flagged_id, "version": "1", "decision": "wrong_nik",
              "comment": COMMENT, "csrf": csrf_of(page)},
        timeout=10,
    )  # fmt: skip
    assert "Keputusan tersimpan" in sent.text
    assert COMMENT in sent.text  # listed as sent back, awaiting the officer
    # An older laptop's pull (no header) is not sent the new kind; a newer one is.
    old = central_server.pull(token_b).json()["changes"]
    assert all(c["kind"] != "review" for c in old)
    new = central_server.session(token_b).get(
        f"{central_server.url}/v1/pull", headers={ACCEPT_KINDS_HEADER: "review"}, timeout=10
    )
    assert [c["fields"]["comment"] for c in new.json()["changes"] if c["kind"] == "review"] == [
        COMMENT
    ]
    # Laptop B syncs: the record is set aside with the comment, in Indonesian.
    synced = CliRunner().invoke(main, ["sync"])
    assert "dikembalikan supervisor" in synced.output
    assert "Dikembalikan oleh supervisor dewi" in synced.output and COMMENT in synced.output
    store = unlocked_store(tmp_path / "b")
    try:
        (aside,) = store.set_aside()  # once, though flagged too: the decision comes first
        assert aside["sync_state"] == "sent_back" and aside["id"] == flagged_id
        assert aside["reasons"][0]["message"] == COMMENT and store.set_aside_count() == 1
        # The officer corrects the NIK: a new version, sent with the next sync.
        record = dict(store.get_record(flagged_id))
        record["nik"] = nik_for(5)  # same birth date and sex, another serial
        store.save_record(record, actor="p-b", expected_version=record["version"])
    finally:
        store.close()
    synced = CliRunner().invoke(main, ["sync"])
    assert synced.exit_code == 0, synced.output
    store = unlocked_store(tmp_path / "b")
    try:
        assert not [r for r in store.set_aside() if r["sync_state"] == "sent_back"]
    finally:
        store.close()
    queue = web.get(f"{central_server.url}/console/review", timeout=10)
    assert COMMENT not in queue.text
    assert not re.search(r"Siti|Rina", queue.text)  # flag lifted, nothing waits
