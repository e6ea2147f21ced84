"""`outreach conflicts` lists sync conflicts and resolves one as F10 on the sync screen does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main
from tests.conftest import cli_setup, unlocked_store
from tests.security.helpers import write_csv
from tests.sync.conftest import CentralServer
from tests.sync.test_client import edit


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _edit(home: Path, record_id: str, notes: str) -> None:
    store = unlocked_store(home)
    try:
        edit(store, record_id, notes=notes)
    finally:
        store.close()


def test_list_and_keep_mine(
    central_server: CentralServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies of one laptop edit the same person: the second is told, then keeps its own."""
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("OUTREACH_HOME", str(a))
    assert cli_setup(central_server.url, central_server.add_device("p1")).exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    assert _run("sync").exit_code == 0
    (record_id, *_) = [r["id"] for r in json.loads(_run("export", "--format", "json").stdout)]
    shutil.copytree(a, b)
    _edit(a, record_id, "versi A")
    assert _run("sync").exit_code == 0
    monkeypatch.setenv("OUTREACH_HOME", str(b))
    assert _run("conflicts").exit_code == 0  # none yet
    _edit(b, record_id, "versi B")
    assert _run("sync").exit_code == 1
    listed = _run("conflicts", "--json")
    assert listed.exit_code == 1
    (conflict,) = json.loads(listed.stdout)
    assert conflict["id"] == record_id and conflict["server_version"] == 2
    resolved = _run("conflicts", "resolve", record_id, "--keep", "mine")
    assert resolved.exit_code == 0, resolved.output
    assert _run("sync").exit_code == 0
    assert _run("conflicts").exit_code == 0
    state = central_server.storage.record(record_id)
    assert state is not None and state.record["notes"] == "versi B"
    again = _run("conflicts", "resolve", record_id, "--keep", "mine")
    assert again.exit_code == 1
