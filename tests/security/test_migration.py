"""An old unencrypted store is encrypted on first unlock; no plaintext is left behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from outreach_tui.config import resolve_paths
from outreach_tui.store import open_store
from outreach_tui.vault import MigrationError, Vault, encrypt_plain_store, is_plain_sqlite
from tests.conftest import TEST_PASSPHRASE

from .helpers import CANARY_NAME, CANARY_NIK, CANARY_PHONE, leaks, run

CANARY = {
    "full_name": CANARY_NAME,
    "nik": CANARY_NIK,
    "phone": CANARY_PHONE,
    "status": "interested",
    "consent": True,
    "notes": "catatan Zzyzx",
}


def _plain_store_with_wal(db: Path, tmp_path: Path, others: int = 30) -> None:
    """A plain store whose canary sits in the WAL only, as after a crash or power loss."""
    work = tmp_path / "work"
    work.mkdir()
    store = open_store(work / "outreach.db")
    for n in range(others):
        store.save_record({"full_name": f"Warga Lama {n}"}, actor="old")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.save_record(CANARY, actor="old")
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{work / 'outreach.db'}{suffix}", f"{db}{suffix}")
    store.close()


def test_first_unlock_migrates_and_leaves_no_plaintext(tmp_path: Path, isolated_home: Path) -> None:
    db = resolve_paths().db_path
    _plain_store_with_wal(db, tmp_path)
    assert is_plain_sqlite(db)
    assert leaks(isolated_home)  # the scan does see a plain store
    result = run("search", "Kanari", "--json")
    assert result.exit_code == 0, result.output
    assert [r["full_name"] for r in json.loads(result.stdout)] == [CANARY_NAME]
    assert not is_plain_sqlite(db)
    assert leaks(isolated_home) == []
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "outreach.db"
    ]
    exported = json.loads(run("export", "--format", "json").stdout)
    assert len(exported) == 31
    (canary,) = [r for r in exported if r["full_name"] == CANARY_NAME]
    assert canary["nik"] == CANARY_NIK and canary["phone"] == CANARY_PHONE
    key = Vault(resolve_paths()).unlock(TEST_PASSPHRASE)
    with open_store(db, key=key) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.db.execute("PRAGMA cipher_page_size").fetchone()[0] == "8192"
        assert len(store.search("warga lam")) == 30  # the FTS index came across
        assert store.search(CANARY_NIK[:8])[0]["full_name"] == CANARY_NAME


def test_setup_encrypts_an_old_store_right_away(tmp_path: Path, isolated_home: Path) -> None:
    db = resolve_paths().db_path
    _plain_store_with_wal(db, tmp_path, others=3)
    result = run("setup", "--officer-id", "p1", "--officer-name", "Dewi", "--branch", "B")
    assert result.exit_code == 0, result.output
    assert not is_plain_sqlite(db) and leaks(isolated_home) == []


def test_leftovers_of_an_interrupted_migration_are_removed(
    tmp_path: Path, isolated_home: Path
) -> None:
    assert run("export").exit_code == 0  # an encrypted store exists
    db = resolve_paths().db_path
    Path(f"{db}.plain-old").write_text(f"SQLite format 3\x00 {CANARY_NAME}")
    Path(f"{db}.encrypting").write_bytes(b"half a copy")
    assert run("export").exit_code == 0
    assert not Path(f"{db}.plain-old").exists() and not Path(f"{db}.encrypting").exists()
    assert leaks(isolated_home) == []


def test_an_unreadable_old_file_is_left_intact(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(MigrationError):
        encrypt_plain_store(path, bytes(range(32)))
    assert path.read_bytes().startswith(b"SQLite format 3\x00" + b"\xff")
    assert not Path(f"{path}.encrypting").exists()
