"""`outreach audit verify`: an intact chain, then rows tampered with by SQL (encrypted store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import unlocked_store

from .helpers import CANARY_NAME, CANARY_NIK, run, write_csv


def _import(tmp_path: Path) -> int:
    result = run("import", str(write_csv(tmp_path)))
    assert result.exit_code == 0, result.output
    with unlocked_store(Path(_home())) as store:
        return int(store.db.conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def _home() -> str:
    import os

    return os.environ["OUTREACH_HOME"]


def _tamper(*statements: str) -> None:
    """Run SQL on the real (encrypted) store, after lifting the append-only triggers."""
    with unlocked_store(Path(_home())) as store:
        conn = store.db.conn
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def test_an_intact_log_says_so(tmp_path: Path) -> None:
    entries = _import(tmp_path)
    assert entries >= 2
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"{entries} entri" in result.output
    as_json = run("audit", "verify", "--json")
    assert json.loads(as_json.stdout) == {"intact": True, "entries": entries}


def test_an_empty_log_is_intact() -> None:
    result = run("audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"intact": True, "entries": 0}


@pytest.mark.parametrize(
    ("statements", "seq", "problem"),
    [
        (("UPDATE audit SET fields = '[\"nik\"]' WHERE seq = 2",), 2, "changed"),
        (("UPDATE audit SET actor = 'someone-else' WHERE seq = 1",), 1, "changed"),
        (("DELETE FROM audit WHERE seq = 1",), 2, "missing_before"),
        (
            (
                "UPDATE audit SET actor = 'x', "
                "hash = '1111111111111111111111111111111111111111111111111111111111111111' "
                "WHERE seq = 1",
            ),
            1,
            "changed",
        ),
    ],
)
def test_tampering_names_the_first_broken_entry(
    tmp_path: Path, statements: tuple[str, ...], seq: int, problem: str
) -> None:
    _import(tmp_path)
    _tamper(*statements)
    result = run("audit", "verify", "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["intact"] is False
    assert report["broken_at"] == seq
    assert report["problem"] == problem
    assert report["entry"]["entity"] == "record"
    text = run("audit", "verify")
    assert text.exit_code == 1
    assert f"entri {seq}" in text.stderr
    assert CANARY_NAME not in text.output and CANARY_NIK not in text.output


def test_a_rewritten_entry_breaks_the_link_of_the_next(tmp_path: Path) -> None:
    """A forger who recomputes the edited entry's hash still breaks the next entry's link."""
    from outreach_tui.store.audit import _entry_text
    from outreach_tui.store.fields import sha256_hex

    _import(tmp_path)
    with unlocked_store(Path(_home())) as store:
        row = store.db.conn.execute(
            "SELECT seq, at, action, entity, entity_id, version, fields, prev_hash FROM audit "
            "WHERE seq = 1"
        ).fetchone()
    seq, at, action, entity, entity_id, version, fields, prev_hash = row
    forged = sha256_hex(
        prev_hash + _entry_text(seq, at, "forger", action, entity, entity_id, version, fields)
    )
    _tamper(f"UPDATE audit SET actor = 'forger', hash = '{forged}' WHERE seq = 1")
    report = json.loads(run("audit", "verify", "--json").stdout)
    assert (report["broken_at"], report["problem"]) == (2, "relinked")


def test_entries_cut_off_the_end_are_noticed(tmp_path: Path) -> None:
    entries = _import(tmp_path)
    _tamper(f"DELETE FROM audit WHERE seq = {entries}")
    result = run("audit", "verify", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["broken_at"], report["problem"]) == (entries, "cut_off")
    assert report["entry"] is None
    english = run("audit", "verify")
    assert english.exit_code == 1 and "dipotong" in english.stderr


def test_the_messages_follow_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _import(tmp_path)
    monkeypatch.setenv("OUTREACH_LANG", "en")
    assert "intact" in run("audit", "verify").output
    _tamper("UPDATE audit SET fields = '[]' WHERE seq = 1")
    result = run("audit", "verify")
    assert "broken from entry 1" in result.stderr and "content was changed" in result.stderr
