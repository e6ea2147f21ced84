"""`outreach backup` / `outreach restore`: nothing lost with the laptop (issue 11, point 2).

Real encrypted stores, real files, the real central API for the backup taken during a sync.
"""

from __future__ import annotations

import json
import stat
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from outreach_tui.cli import main
from tests.conftest import TEST_PASSPHRASE, cli_setup, unlocked_store
from tests.sync.conftest import CentralServer

from .helpers import CANARY_NAME, NEEDLES, write_csv


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _backup(folder: Path) -> Path:
    result = _run("backup", "--to", str(folder))
    assert result.exit_code == 0, result.output
    (made,) = folder.glob("*.outreach-backup")
    return made


def _export(home: Path) -> list[dict[str, Any]]:
    store = unlocked_store(home)
    try:
        return sorted(store.iter_records(), key=lambda r: r["id"])
    finally:
        store.close()


@pytest.fixture
def laptop(isolated_home: Path, tmp_path: Path) -> Path:
    """An officer's laptop with two people and a draft."""
    assert cli_setup("http://127.0.0.1:9", "tok-backup").exit_code == 0
    assert _run("import", str(write_csv(tmp_path))).exit_code == 0
    store = unlocked_store(isolated_home)
    try:
        store.set_meta("draft.new", json.dumps({"full_name": "Draf Belum Simpan"}))
    finally:
        store.close()
    return isolated_home


def test_backup_then_restore_on_a_fresh_laptop(
    laptop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything comes back: records, draft, token, keys, settings; the file is private."""
    before = _export(laptop)
    made = _backup(tmp_path / "usb")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert "p1" in made.name  # named with the officer and the date
    raw = made.read_bytes()
    assert not any(needle.encode() in raw for needle in NEEDLES)  # unreadable without the key
    fresh = tmp_path / "new-laptop"
    monkeypatch.setenv("OUTREACH_HOME", str(fresh))
    restored = _run("restore", str(made))
    assert restored.exit_code == 0, restored.output
    assert _export(fresh) == before
    store = unlocked_store(fresh)
    try:
        assert store.get_meta("secret.device_token") == "tok-backup"
        assert "Draf Belum Simpan" in (store.get_meta("draft.new") or "")
    finally:
        store.close()
    assert (fresh / "keys" / "device_ed25519.key").exists()
    assert _run("search", CANARY_NAME.split()[0]).exit_code == 0
    slip = _run("slip-key")
    assert slip.exit_code == 0


def test_restore_never_overwrites_without_replace(laptop: Path, tmp_path: Path) -> None:
    """Existing data stays unless --replace, which keeps it aside."""
    made = _backup(tmp_path / "usb")
    store_bytes = (laptop / "data" / "outreach.db").read_bytes()
    refused = _run("restore", str(made))
    assert refused.exit_code == 2 and "--replace" in refused.output
    assert (laptop / "data" / "outreach.db").read_bytes() == store_bytes
    replaced = _run("restore", str(made), "--replace")
    assert replaced.exit_code == 0, replaced.output
    aside = next((laptop / "data" / "aside").iterdir())
    assert (aside / "outreach.db").read_bytes() == store_bytes


def test_a_wrong_passphrase_restores_nothing(
    laptop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _backup(tmp_path / "usb")
    fresh = tmp_path / "new-laptop"
    monkeypatch.setenv("OUTREACH_HOME", str(fresh))
    monkeypatch.setenv("OUTREACH_PASSPHRASE", "bukan-frasa-yang-benar")
    result = _run("restore", str(made))
    assert result.exit_code == 5
    assert not (fresh / "data" / "outreach.db").exists()


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_truncated_backup_is_refused(
    cut: float, laptop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _backup(tmp_path / "usb")
    data = made.read_bytes()
    broken = tmp_path / "broken.outreach-backup"
    broken.write_bytes(data[: int(len(data) * cut)])
    fresh = tmp_path / "new-laptop"
    monkeypatch.setenv("OUTREACH_HOME", str(fresh))
    result = _run("restore", str(broken))
    assert result.exit_code == 2, result.output
    assert "rusak" in result.output
    assert not (fresh / "data" / "outreach.db").exists()


def test_a_tampered_member_is_refused(
    laptop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _backup(tmp_path / "usb")
    tampered = tmp_path / "tampered.outreach-backup"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "store.db":
                data = data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]
            target.writestr(info, data)
    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "new-laptop"))
    assert _run("restore", str(tampered)).exit_code == 2


def test_backup_while_a_sync_runs(
    central_server: CentralServer, isolated_home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A backup taken during a running sync is consistent; the restored laptop syncs on."""
    token = central_server.add_device("p1", "KC-BOGOR")
    assert cli_setup(central_server.url, token).exit_code == 0
    letters = "abcdefghijklmnopqrstuvwxyz"
    rows = "".join(
        f"Warga {letters[i % 26].upper()}{letters[i // 26 % 26]}{letters[i // 676]} Jaya,,,ojol,"
        ",,,32.01.01.1001,001,002,prospect,false\n"
        for i in range(1500)
    )
    assert _run("import", str(write_csv(tmp_path, "many.csv", rows))).exit_code == 0
    outcome: dict[str, Result] = {}
    syncing = threading.Thread(
        target=lambda: outcome.setdefault("sync", _run("sync", "--batch-size", "50"))
    )
    syncing.start()
    made = _backup(tmp_path / "usb")
    syncing.join(timeout=120)
    assert outcome["sync"].exit_code == 0, outcome["sync"].output
    fresh = tmp_path / "new-laptop"
    monkeypatch.setenv("OUTREACH_HOME", str(fresh))
    assert _run("restore", str(made)).exit_code == 0
    assert len(_export(fresh)) == 1500
    # The restored laptop pushes whatever its copy had not sent: replays are harmless.
    again = _run("sync")
    assert again.exit_code == 0, again.output
    assert sum(1 for _ in central_server.storage.current_records()) == 1500
    assert TEST_PASSPHRASE  # the same passphrase opens the restored laptop
