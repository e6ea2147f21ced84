"""Groups and events are checked like records: each problem names its field and rule, in
Indonesian by default, and never echoes what was typed (issue 14, bad input)."""

from __future__ import annotations

import datetime as dt
import uuid

from outreach_tui.domain.groups import Checked, coverage, validate_event, validate_group

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=WIB)


def _codes(check: Checked) -> set[str]:
    return {p.code for p in check.errors}


def test_a_market_group_is_normalized() -> None:
    check = validate_group({
        "id": str(uuid.uuid4()), "name": "  Pasar   Bogor ", "kind": "Pasar",
        "region_code": "3201011001", "rw": "3", "contact_name": "Haji  Mamat",
        "contact_phone": "0812-3456-7890", "contact_role": "Ketua paguyuban",
        "declared_workers": "1.250",
    })  # fmt: skip
    assert check.ok, [p.code for p in check.errors]
    rec = check.record
    assert (rec["name"], rec["kind"], rec["region_code"], rec["rw"]) == (
        "Pasar Bogor", "pasar", "32.01.01.1001", "003")  # fmt: skip
    assert rec["contact_phone"] == "+6281234567890" and rec["declared_workers"] == 1250
    # A kecamatan-wide group (a Dinas, a camat) is fine; a province is too wide.
    assert validate_group({"name": "Koperasi Cibinong", "kind": "koperasi",
                           "region_code": "32.01.01"}).ok  # fmt: skip
    assert _codes(validate_group({"name": "X", "kind": "umkm", "region_code": "32"})) == {
        "region_code.too_wide"
    }


def test_bad_groups_name_the_field_and_the_rule() -> None:
    check = validate_group({"name": " ", "kind": "arisan", "region_code": "3201011001",
                            "declared_workers": -5, "rt": "2"})  # fmt: skip
    assert _codes(check) == {"name.required", "kind.unknown", "declared_workers.negative",
                             "rw.required_with_rt"}  # fmt: skip
    messages = {p.field: p.message("id") for p in check.errors}
    assert messages["name"] == "Nama kelompok wajib diisi."
    assert messages["declared_workers"] == "Jumlah pekerja tidak boleh negatif."
    assert "arisan" not in messages["kind"] and messages["kind"].startswith("Jenis")
    english = {p.field: p.message("en") for p in check.errors}
    assert english["declared_workers"] == "Workers cannot be negative."
    assert _codes(validate_group({})) == {"name.required", "kind.required",
                                           "region_code.required"}  # fmt: skip


def test_an_event_in_the_future_cannot_be_marked_held() -> None:
    base = {"kind": "sosialisasi", "place": "Balai Desa Cibinong",
            "institution": "Dinas Koperasi dan UKM"}  # fmt: skip
    held = validate_event({**base, "starts_at": "2026-12-07 09:00", "held": "ya"}, now=NOW)
    assert _codes(held) == {"held.future"}
    assert held.errors[0].message("id").startswith("Kegiatan yang belum dimulai")
    planned = validate_event({**base, "starts_at": "2026-12-07 09:00"}, now=NOW)
    assert planned.ok and planned.record["held"] is False
    assert planned.record["starts_at"] == "2026-12-07T09:00+07:00"  # WIB when none is given
    past = validate_event({**base, "starts_at": "2026-12-01T09:00+07:00", "held": True}, now=NOW)
    assert past.ok


def test_an_event_needs_a_partner_and_a_follow_up_its_earlier_event() -> None:
    check = validate_event({"kind": "follow_up", "starts_at": "kemarin", "place": ""}, now=NOW)
    wanted = {"starts_at.format", "place.required", "institution.partner_required",
              "follows_event_id.required"}  # fmt: skip
    assert _codes(check) == wanted
    ok = validate_event({"kind": "follow_up", "starts_at": "2026-11-01 09:00", "place": "Pasar",
                         "group_id": str(uuid.uuid4()), "follows_event_id": str(uuid.uuid4())},
                        now=NOW)  # fmt: skip
    assert ok.ok


def test_coverage_of_a_group() -> None:
    assert coverage(recorded=40, enrolled=10, declared=669) == (25, 1)
    assert coverage(recorded=0, enrolled=0, declared=None) == (0, None)
