"""`outreach server backup/restore`: sealed copies of the central database, restored and equal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from tests.sync.conftest import CentralServer, enrolled_record, record_item, statuses

PASS = "frasa-cadangan-pusat-yang-panjang"


def _run(*args: str, passphrase: str = PASS) -> Any:
    return CliRunner().invoke(main, list(args), env={"OUTREACH_BACKUP_PASSPHRASE": passphrase})


def _export(db: str) -> list[dict[str, Any]]:
    done = _run("server", "export", "--db", db, "--format", "json")
    assert done.exit_code == 0, done.output
    return sorted(json.loads(done.stdout), key=lambda row: row["id"])


def test_backup_restores_into_a_fresh_database_with_the_same_export(
    central_server: CentralServer, central_db: Any, tmp_path: Path
) -> None:
    token = central_server.add_device()
    people = [enrolled_record(n) for n in range(30)]
    assert set(statuses(central_server.push(token, [record_item(p) for p in people]))) == {
        "accepted"
    }
    db = str(central_server.db_path)
    out = tmp_path / "central.backup"
    done = _run("server", "backup", "--db", db, "--out", str(out))
    assert done.exit_code == 0, done.output
    assert out.stat().st_mode & 0o777 == 0o600
    blob = out.read_bytes()
    for person in people[:5]:  # sealed: no name or NIK readable in the file
        assert person["nik"].encode() not in blob and person["full_name"].encode() not in blob
    # A wrong passphrase and a foreign file are refused before anything is written.
    target = str(central_db())
    wrong = _run("server", "restore", "--db", target, "--from", str(out), passphrase="salah" * 4)
    assert wrong.exit_code == 5 and "Frasa sandi salah" in wrong.output
    foreign = tmp_path / "not-a-backup"
    foreign.write_bytes(b"hello")
    assert _run("server", "restore", "--db", target, "--from", str(foreign)).exit_code == 2
    restored = _run("server", "restore", "--db", target, "--from", str(out))
    assert restored.exit_code == 0, restored.output
    assert _export(target) == _export(db)
    # Never over a database that holds data.
    again = _run("server", "restore", "--db", target, "--from", str(out))
    assert again.exit_code == 2 and "sudah berisi data" in again.output


@pytest.mark.sqlite_only
def test_backup_refuses_to_overwrite_the_database(central_server: CentralServer) -> None:
    db = str(central_server.db_path)
    done = _run("server", "backup", "--db", db, "--out", db)
    assert done.exit_code == 2
    wal = _run("server", "backup", "--db", db, "--out", db + "-wal")
    assert wal.exit_code == 2  # nor its WAL, nor anything else an --out must not touch
    assert _export(db) == []
