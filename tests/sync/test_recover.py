"""Caseload recovery (`outreach sync --recover`): an old backup or a new laptop gets the
officer's own records back from the real central API, exactly once, never a colleague's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main
from tests.conftest import cli_setup, unlocked_store
from tests.security.helpers import write_csv
from tests.sync.conftest import CentralServer, enrolled_record, record_item, visit_item
from tests.sync.test_client import edit

ROW = "{name},,,ojol,,,,32.01.01.1001,001,002,prospect,false\n"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _records(home: Path) -> dict[str, dict[str, Any]]:
    store = unlocked_store(home)
    try:
        return {r["id"]: r for r in store.iter_records()}
    finally:
        store.close()


def test_an_old_backup_gets_every_record_back_exactly_once(
    central_server: CentralServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "laptop"
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    assert cli_setup(central_server.url, central_server.add_device("p1")).exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    assert _run("sync").exit_code == 0
    shutil.copytree(home, tmp_path / "old-backup")  # the backup taken on day 1
    rows = "".join(ROW.format(name=f"Warga Baru {c}") for c in "ABC")
    assert _run("import", str(write_csv(tmp_path, "day2.csv", rows))).exit_code == 0
    first = next(iter(_records(home)))
    store = unlocked_store(home)
    edit(store, first, notes="diubah hari kedua")
    store.close()
    assert _run("sync").exit_code == 0
    # A visit of one of the day-2 records, and a colleague's record that must never arrive.
    central_server.push(central_server.add_device("p2"), [record_item(enrolled_record(77))])
    final = _records(home)
    shutil.rmtree(home)
    shutil.copytree(tmp_path / "old-backup", home)  # the laptop is lost: restore day 1
    assert len(_records(home)) == 2
    result = _run("sync", "--recover")
    assert result.exit_code == 0, result.output
    recovered = _records(home)
    assert set(recovered) == set(final)
    for record_id, record in final.items():
        assert recovered[record_id]["version"] == record["version"]
        assert recovered[record_id]["full_name"] == record["full_name"]
        assert recovered[record_id]["sync_state"] == "synced"
    assert recovered[first]["notes"] == "diubah hari kedua"
    # Nothing recovered is pushed back, and a second recovery changes nothing.
    store = unlocked_store(home)
    assert store.outbox_size() == 0
    store.close()
    again = _run("sync", "--recover")
    assert again.exit_code == 0 and "0 ditambahkan, 0 diperbarui" in again.output
    assert sum(1 for _ in central_server.storage.current_records()) == 6


def test_a_newer_local_version_is_never_overwritten(
    central_server: CentralServer, tmp_path: Path, isolated_home: Path
) -> None:
    assert cli_setup(central_server.url, central_server.add_device("p1")).exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    assert _run("sync").exit_code == 0
    record_id = next(iter(_records(isolated_home)))
    store = unlocked_store(isolated_home)
    edit(store, record_id, notes="belum terkirim")
    store.close()
    store = unlocked_store(isolated_home)
    counts = store.recover_records(
        [
            {
                "id": record_id,
                "version": 1,
                "base_version": None,
                "data": {"full_name": "Lama"},
                "officer_id": "p1",
            }
        ]
    )
    store.close()
    assert (counts.kept, counts.updated) == (1, 0)
    assert _records(isolated_home)[record_id]["notes"] == "belum terkirim"


def test_visits_come_back_with_their_record(
    central_server: CentralServer, tmp_path: Path, isolated_home: Path
) -> None:
    token = central_server.add_device("p1")
    person = enrolled_record(5)
    visit = visit_item(person["id"], note="datang Senin")
    central_server.push(token, [record_item(person), visit])
    assert cli_setup(central_server.url, token).exit_code == 0
    result = _run("sync", "--recover")
    assert result.exit_code == 0, result.output
    store = unlocked_store(isolated_home)
    try:
        assert store.get_record(person["id"]) is not None
        assert store.get_visit(visit["id"]) is not None
        assert store.outbox_size() == 0
    finally:
        store.close()
    payload = json.dumps(central_server.session(token).get(
        f"{central_server.url}/v1/records/mine", timeout=10).json())  # fmt: skip
    assert person["id"] in payload
