"""The schema is created from nothing by migrations, and re-opening changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from outreach_tui.store import migrations, open_store

TABLES = {"records", "record_versions", "visits", "changes", "audit", "meta", "records_fts"}


def test_migrations_create_the_schema_from_an_empty_file(store_path: Path) -> None:
    assert not store_path.parent.exists()
    with open_store(store_path) as store:
        assert set(store.db.table_names()) >= TABLES
        applied = [m.name for m in migrations.migrations.applied(store.db)]
        assert applied == [m.name for m in migrations.migrations._migrations]
        assert migrations.migrations.pending(store.db) == []
        indexes = {index.name for index in store.db["records"].indexes}
        for name in (
            "records_nik",
            "records_status_name",
            "records_area_name",
            "records_follow_up",
            "records_sync_state",
            "records_updated",
            "records_name",
        ):
            assert name in indexes


def test_reopening_is_idempotent_and_keeps_data(store_path: Path) -> None:
    with open_store(store_path) as store:
        saved = store.save_record({"full_name": "Budi"}, actor="t")
        schema = store.db.execute(
            "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
        ).fetchall()
    for _ in range(2):
        with open_store(store_path) as store:
            assert store.get_record(saved.id) is not None
            assert (
                store.db.execute(
                    "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
                ).fetchall()
                == schema
            )
            assert store.db["_sqlite_migrations"].count == len(migrations.migrations._migrations)


def test_store_does_not_import_the_domain_or_textual() -> None:
    code = "import sys, outreach_tui.store; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout
    assert "outreach_tui.domain" not in loaded
    assert "'textual" not in loaded


def test_content_fields_are_the_domain_record_fields() -> None:
    # The store keeps its own list (it never imports the domain); this keeps the two equal.
    from outreach_tui.domain.record import RECORD_FIELDS
    from outreach_tui.store.fields import CONTENT_FIELDS

    assert (*RECORD_FIELDS[1:], "monthly_contribution", "kpj_number") == CONTENT_FIELDS
