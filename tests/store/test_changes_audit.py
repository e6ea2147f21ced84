"""The change log and the audit log: written with every change, in the same transaction."""

from __future__ import annotations

import pytest

from outreach_tui.store import IntegrityError, Store

from .conftest import person


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_every_change_gets_a_rising_seq(store: Store) -> None:
    assert store.max_seq() == 0 and store.changes_since(0) == []
    a = store.save_record(person(), actor="a")
    b = store.save_record(person(full_name="Budi", nik=None), actor="a")
    store.save_record(person(id=a.id, notes="again"), actor="a")
    visit = store.add_visit({"record_id": b.id, "outcome": "not_home"}, actor="a")
    changes = store.changes_since(0, 100)
    assert [(c.entity, c.entity_id, c.version) for c in changes] == [
        ("record", a.id, 1),
        ("record", b.id, 1),
        ("record", a.id, 2),
        ("visit", visit, 1),
    ]
    assert [c.seq for c in changes] == sorted({c.seq for c in changes})
    assert store.max_seq() == changes[-1].seq
    assert [c.seq for c in store.changes_since(changes[1].seq, 1)] == [changes[2].seq]


def test_seqs_are_never_reused(store: Store) -> None:
    store.save_record(person(), actor="a")
    last = store.max_seq()
    # Sync may one day compact the log; AUTOINCREMENT still never hands out an old seq.
    store.db.execute("DELETE FROM changes")
    store.save_record(person(full_name="Baru"), actor="a")
    assert store.changes_since(0)[0].seq == last + 1


def test_a_save_that_fails_mid_transaction_leaves_no_trace(store: Store) -> None:
    # The audit row is the last write of a save: make SQLite refuse it.
    store.db.execute(
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    with pytest.raises(IntegrityError, match="disk on fire"):
        store.save_record(person(), actor="a")
    for table in ("records", "record_versions", "changes", "audit", "records_fts"):
        assert _count(store, table) == 0, table
    with pytest.raises(IntegrityError):
        store.add_visit({"outcome": "met"}, actor="a")
    assert _count(store, "visits") == _count(store, "changes") == 0
    store.db.execute("DROP TRIGGER fail_audit")
    saved = store.save_record(person(), actor="a")
    assert saved.version == 1 and store.max_seq() >= 1


def test_the_audit_log_names_fields_never_values(store: Store) -> None:
    saved = store.save_record(person(), actor="officer-7")
    store.save_record(person(id=saved.id, status="enrolled", phone="+6281111111111"), actor="b")
    rows = store.db.execute(
        "SELECT actor, action, entity, entity_id, version, fields FROM audit ORDER BY seq"
    ).fetchall()
    assert rows[0][:5] == ("officer-7", "create", "record", saved.id, 1)
    assert rows[1][:5] == ("b", "update", "record", saved.id, 2)
    assert rows[1][5] == '["phone","status"]'
    text = " ".join(str(value) for row in rows for value in row)
    for value in ("Siti", "3201014501900001", "+628", "Melati"):
        assert value not in text


def test_the_audit_chain_verifies(store: Store) -> None:
    assert store.verify_audit() is None
    for i in range(5):
        store.save_record(person(full_name=f"Orang {i}"), actor="a")
    assert store.verify_audit() is None


@pytest.mark.parametrize("actor", ["a", 'Pak "Budi" \\ Ñoño ✓\n', "petugas\u2028x"])
def test_the_audit_chain_verifies_for_any_actor(store: Store, actor: str) -> None:
    # Entry texts are put together by hand on the write path, by canonical_json() on verify.
    store.save_records([person(full_name=f"Orang {i}") for i in range(3)], actor=actor)
    store.save_record(person(full_name="Ma'ruf Élodie"), actor=actor)
    assert store.verify_audit() is None


def test_audit_entry_text_is_canonical_json() -> None:
    from outreach_tui.store.audit import AuditEntry, _entry_text, append_audit

    class _Capture:
        rows: list[tuple[object, ...]] = []

        def execute(self, sql: str, *args: object) -> _Capture:
            return self

        def fetchone(self) -> None:
            return None

        def executemany(self, sql: str, rows: list[tuple[object, ...]]) -> None:
            self.rows = rows

    conn = _Capture()
    entries = [
        AuditEntry("create", "record", "0f8e1a2b-0000-4000-8000-000000000001", 1, ["full_name"]),
        AuditEntry("erase", "record", None, None, []),
        AuditEntry('o"dd', "visit", 'x\\y"\u00e9', 12345678901234, ['a"b', "ü"]),
    ]
    append_audit(conn, "2026-11-23T00:00:00.000000Z", 'Pak "B" ✓', entries)
    prev = "0" * 64
    import hashlib

    for row in conn.rows:
        seq, at, actor, action, entity, entity_id, version, fields, prev_hash, digest = row
        text = _entry_text(seq, at, actor, action, entity, entity_id, version, fields)  # type: ignore[arg-type]
        assert prev_hash == prev
        assert digest == hashlib.sha256((prev + text).encode("utf-8")).hexdigest()
        prev = digest


def _tamper(store: Store, sql: str) -> None:
    """What someone with the file and a SQLite shell could do: drop the guard, then edit."""
    store.db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    store.db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    store.db.execute(sql)


def test_the_audit_log_refuses_edits(store: Store) -> None:
    store.save_record(person(), actor="a")
    with pytest.raises(IntegrityError, match="append-only"):
        store.db.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM audit")


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE audit SET actor = 'someone else' WHERE seq = 3", 3),
        ("UPDATE audit SET fields = '[]' WHERE seq = 2", 2),
        ("DELETE FROM audit WHERE seq = 2", 3),
        ("DELETE FROM audit WHERE seq = 5", 5),
        ("UPDATE audit SET hash = '00' WHERE seq = 4", 4),
    ],
)
def test_the_audit_chain_detects_tampering(store: Store, sql: str, broken: int) -> None:
    for i in range(5):
        store.save_record(person(full_name=f"Orang {i}"), actor="a")
    _tamper(store, sql)
    assert store.verify_audit() == broken


def test_meta_values(store: Store) -> None:
    assert store.get_meta("sync.checkpoint") is None
    assert store.get_meta("sync.checkpoint", "0") == "0"
    store.set_meta("sync.checkpoint", "42")
    store.set_meta("sync.checkpoint", "43")
    assert store.get_meta("sync.checkpoint") == "43"
    store.set_meta("sync.checkpoint", None)
    assert store.get_meta("sync.checkpoint") is None
