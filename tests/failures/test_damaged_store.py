"""A flipped byte in a page: named "damaged", audit verify not "intact", doctor rescues."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outreach_tui.cli import main
from outreach_tui.config import resolve_paths
from outreach_tui.store.connection import DatabaseError, connect
from outreach_tui.store.errors import EXIT_DAMAGED
from outreach_tui.vault import Vault
from tests.conftest import TEST_PASSPHRASE, unlocked_store
from tests.tui.helpers_records import make_records

RECORDS = 2000


def _run(*args: str) -> Any:
    """Run the real CLI in this process (OUTREACH_HOME and the passphrase come from the env)."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _records_leaf_damaged(path: Path, key: bytes) -> bool:
    """Whether a full scan of records fails while its first and last rows still read (a leaf)."""
    for sql in (
        "SELECT * FROM records ORDER BY rid LIMIT 1",
        "SELECT * FROM records ORDER BY rid DESC LIMIT 1",
        "SELECT * FROM records",
    ):
        conn = connect(path, key=key)
        try:
            conn.execute(sql).fetchall()
        except DatabaseError:
            return sql == "SELECT * FROM records"
        finally:
            conn.close()
    return False


def _first_unreadable_id(path: Path, key: bytes, before: dict[int, tuple[Any, ...]]) -> str:
    """The id of a record whose row sits on the damaged page."""
    conn = connect(path, key=key)
    try:
        for rid, row in before.items():
            try:
                conn.execute("SELECT * FROM records WHERE rid = ?", (rid,)).fetchall()
            except DatabaseError:
                return str(row[1])
    finally:
        conn.close()
    raise AssertionError("no record on the damaged page")


@pytest.fixture
def damaged_home(isolated_home: Path, tmp_path: Path) -> dict[str, Any]:
    """A store of 2,000 records with one records page in the middle of the file damaged."""
    _run("search", "x")  # creates the key and an empty store (no hits: exit 1)
    assert resolve_paths().db_path.exists()
    store = unlocked_store(isolated_home)
    try:
        store.save_records(make_records(RECORDS), actor="test", officer_id="p-001")
        conn = store.db.conn
        cursor = conn.execute("SELECT * FROM records")
        columns = [d[0] for d in cursor.description]
        before = {row[0]: tuple(row) for row in cursor}
        store.set_meta("device_token", "token-kept-through-salvage")
        meta = sorted(conn.execute("SELECT key, value FROM meta").fetchall())
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        store.close()
    paths = resolve_paths()
    key = Vault(paths).unlock(TEST_PASSPHRASE)
    db = paths.db_path
    good = tmp_path / "good.db"
    shutil.copyfile(db, good)
    pages = db.stat().st_size // 8192
    for offset in range(pages):  # from the middle outwards, the first leaf page of records
        page = pages // 2 + (offset // 2 if offset % 2 == 0 else -(offset // 2 + 1))
        data = bytearray(good.read_bytes())
        data[page * 8192 + 4000] ^= 0xFF
        db.write_bytes(bytes(data))
        if _records_leaf_damaged(db, key):
            break
    else:
        raise AssertionError("no page of the records table found")
    lost_id = _first_unreadable_id(db, key, before)
    return {
        "lost_id": lost_id,
        "paths": paths,
        "home": isolated_home,
        "before": before,
        "columns": columns,
        "meta": meta,
    }


def test_a_damaged_page_is_named_damaged_never_wrong_key(damaged_home: dict[str, Any]) -> None:
    """Export, forget and audit verify on a damaged store exit 10 "damaged", not "wrong key"."""
    out = damaged_home["home"] / "out.csv"
    forget = ("forget", damaged_home["lost_id"], "--yes")
    for args in (("export", "--out", str(out)), ("audit", "verify"), forget):
        result = _run(*args)
        assert result.exit_code == EXIT_DAMAGED, (args, result.output)
        assert "doctor" in result.output
        assert "dengan kunci laptop ini" not in result.output  # not the key-mismatch message
    verify = _run("audit", "verify")
    assert "utuh" not in verify.output.split("tidak bisa dinyatakan utuh")[0]


def test_doctor_reports_damage_and_salvage_recovers_the_readable_records(
    damaged_home: dict[str, Any],
) -> None:
    """doctor finds the damage; --salvage copies >95% of records byte-identical into a new store."""
    check = _run("doctor", "--json")
    assert check.exit_code == 1
    assert json.loads(check.output)["healthy"] is False
    rescued = _run("doctor", "--salvage", "--replace", "--json")
    assert rescued.exit_code == 1, rescued.output
    report = json.loads(rescued.output)
    records = next(t for t in report["tables"] if t["table"] == "records")
    assert records["unreadable_rowids"], report["tables"]
    before = damaged_home["before"]
    for column in ("full_name", "nik", "phone"):
        index = damaged_home["columns"].index(column)
        assert all(str(row[index]) not in rescued.output for row in before.values())
    assert Path(report["old_kept_at"]).exists()
    assert _run("doctor").exit_code == 0  # the new store is healthy
    db = damaged_home["paths"].db_path
    assert db.stat().st_mode & 0o777 == 0o600
    store = unlocked_store(damaged_home["home"])
    try:
        after = {row[0]: tuple(row) for row in store.db.conn.execute("SELECT * FROM records")}
        assert len(after) == records["saved"]
        assert len(after) > 0.95 * RECORDS
        assert all(after[rid] == before[rid] for rid in after)
        meta = sorted(store.db.conn.execute("SELECT key, value FROM meta").fetchall())
        assert meta == damaged_home["meta"]  # the device token and sync state came along
        name = after[next(iter(after))][damaged_home["columns"].index("full_name")]
    finally:
        store.close()
    found = _run("search", "--json", str(name).split()[0])
    assert found.exit_code == 0, found.output
