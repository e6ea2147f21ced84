"""Consent proof: who recorded the person's consent, when, and to which consent text."""

from __future__ import annotations

import json
from pathlib import Path

from outreach_tui.domain import consent, privacy
from outreach_tui.domain.i18n import LANGUAGES
from outreach_tui.store import fields as store_fields
from outreach_tui.store import open_store

from .helpers import CANARY_NAME, run, write_csv


def test_the_store_and_the_domain_agree() -> None:
    assert store_fields.CONSENT_TEXT_VERSION == consent.CONSENT_TEXT_VERSION
    assert store_fields.PERSONAL_FIELDS == privacy.PERSONAL_FIELDS


def test_consent_text_in_both_languages() -> None:
    texts = {lang: consent.consent_text(lang, retention_days=45) for lang in LANGUAGES}
    assert texts["id"] != texts["en"]
    for text in texts.values():
        assert consent.CONSENT_TEXT_VERSION in text and "45" in text and "NIK" in text
    assert "Tujuan" in texts["id"] and "Purpose" in texts["en"]
    assert consent.consent_text() == consent.consent_text("id")


def test_proof_is_set_when_consent_becomes_true(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        saved = store.save_record({"full_name": "Siti"}, actor="p1", officer_id="p1")
        record = store.get_record(saved.id)
        assert record is not None
        assert [record[f] for f in consent.CONSENT_PROOF_FIELDS] == [None, None, None]

        store.save_record(
            {"id": saved.id, "full_name": "Siti", "consent": True}, actor="p2", officer_id="p2"
        )
        record = store.get_record(saved.id)
        assert record is not None
        assert record["consent_by"] == "p2"
        assert record["consent_version"] == consent.CONSENT_TEXT_VERSION
        assert record["consent_at"] == record["updated_at"]
        first_at = record["consent_at"]

        # Still consenting: the proof stays as it was.
        store.save_record(
            {"id": saved.id, "full_name": "Siti", "consent": True, "notes": "x"}, actor="p3"
        )
        record = store.get_record(saved.id)
        assert record is not None and record["consent_at"] == first_at
        assert record["consent_by"] == "p2"

        # Withdrawn: no consent, no proof.
        store.save_record({"id": saved.id, "full_name": "Siti", "consent": False}, actor="p3")
        record = store.get_record(saved.id)
        assert record is not None and record["consent_at"] is None

        made = store.save_records(
            [{"full_name": "Ani", "consent": True}, {"full_name": "Budi"}], actor="imp"
        )
        proofs = [store.get_record(m.id)["consent_by"] for m in made]  # type: ignore[index]
        assert proofs == ["imp", None]


def test_proof_is_exported(isolated_home: Path, tmp_path: Path) -> None:
    assert (
        run("setup", "--officer-id", "p9", "--officer-name", "Dewi", "--branch", "B").exit_code == 0
    )
    assert run("import", str(write_csv(tmp_path))).exit_code == 0
    exported = run("export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    row = next(r for r in json.loads(exported.stdout) if r["full_name"] == CANARY_NAME)
    assert row["consent"] is True
    assert row["consent_by"] == "p9"
    assert row["consent_version"] == consent.CONSENT_TEXT_VERSION
    assert row["consent_at"].endswith("Z")
    csv_out = run("export", "--format", "csv", "--plain")
    header = csv_out.stdout.splitlines()[0].split(",")
    assert {"consent_at", "consent_by", "consent_version", "purged_at"} <= set(header)
