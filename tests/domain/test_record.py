"""validate_record: every field rule and every cross-field rule of DESIGN.md and DOMAIN.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from outreach_tui.domain.record import (
    EXPORT_ONLY_FIELDS,
    RECORD_FIELDS,
    Validation,
    validate_record,
)

TODAY = dt.date(2026, 6, 1)
NIK_F = "3201015508950003"  # a woman born 1995-08-15, issued in Cibinong, Kabupaten Bogor
UUID = "0b7c6f3e-2a41-4c52-9d0e-6f1f5a7b8c9d"


def check(raw: Mapping[Any, object], **kwargs: Any) -> Validation:
    return validate_record(raw, today=TODAY, **kwargs)


def error_codes(v: Validation) -> list[str]:
    return [p.code for p in v.errors]


def warning_codes(v: Validation) -> list[str]:
    return [p.code for p in v.warnings]


def test_field_lists_match_design() -> None:
    assert RECORD_FIELDS == (
        "id", "full_name", "nik", "birth_date", "sex", "phone", "occupation", "monthly_income",
        "programs", "payment_period", "region_code", "rw", "rt", "street", "status",
        "decline_reason", "follow_up_on", "consent", "notes",
    )  # fmt: skip
    assert EXPORT_ONLY_FIELDS == (
        "monthly_contribution", "kpj_number", "sync_state", "officer_id", "created_at",
        "updated_at", "consent_at", "consent_by", "consent_version", "purged_at",
    )  # fmt: skip


def test_minimal_record() -> None:
    v = check({"full_name": "Siti"})
    assert v.ok and v.warnings == []
    assert v.record == {
        **dict.fromkeys(RECORD_FIELDS),
        "full_name": "Siti",
        "status": "prospect",
        "consent": False,
        "monthly_contribution": None,
    }


def test_full_enrolled_record_from_csv_text() -> None:
    raw = {
        "id": UUID.upper(),
        "full_name": "  Siti   Aminah ",
        "nik": "3201 0155 0895 0003",
        "birth_date": "",
        "sex": "P",
        "phone": "0812-3456-7890",
        "occupation": "Pedagang Pasar",
        "monthly_income": "Rp 1.500.000",
        "programs": "jkk jkm jht",
        "payment_period": "3",
        "region_code": "3201011001",
        "rw": "2",
        "rt": "01",
        "street": "Jl. Mawar  No. 3",
        "status": "Enrolled",
        "decline_reason": "",
        "follow_up_on": "2026-07-01",
        "consent": "ya",
        "notes": "Bayar lewat Kantor Pos.\r\nTelepon sore hari.",
    }
    v = check(raw)
    assert v.ok, v.errors
    assert v.warnings == []
    assert v.record == {
        "id": UUID,
        "full_name": "Siti Aminah",
        "nik": NIK_F,
        "birth_date": "1995-08-15",
        "sex": "F",
        "phone": "+6281234567890",
        "occupation": "pedagang_pasar",
        "monthly_income": 1_500_000,
        "programs": "JKK,JKM,JHT",
        "payment_period": 3,
        "region_code": "32.01.01.1001",
        "rw": "002",
        "rt": "001",
        "street": "Jl. Mawar No. 3",
        "status": "enrolled",
        "decline_reason": None,
        "follow_up_on": "2026-07-01",
        "consent": True,
        "notes": "Bayar lewat Kantor Pos.\nTelepon sore hari.",
        "monthly_contribution": 15_000 + 6_800 + 30_000,
    }
    assert check(v.record).record == v.record


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", UUID, UUID),
        ("id", UUID.upper(), UUID),
        ("id", "{" + UUID + "}", UUID),
        ("id", UUID.replace("-", ""), UUID),
        ("full_name", "Ni  Komang\tAyu", "Ni Komang Ayu"),
        ("birth_date", "1995-08-15", "1995-08-15"),
        ("birth_date", "15/08/1995", "1995-08-15"),
        ("birth_date", "15-8-1995", "1995-08-15"),
        ("birth_date", dt.date(1995, 8, 15), "1995-08-15"),
        ("birth_date", dt.datetime(1995, 8, 15, 0, 0), "1995-08-15"),
        ("birth_date", "1995-08-15T00:00:00", "1995-08-15"),
        ("sex", "L", "M"),
        ("sex", "p", "F"),
        ("sex", "M", "M"),
        ("sex", "f", "F"),
        ("sex", "Laki-laki", "M"),
        ("sex", "PEREMPUAN", "F"),
        ("sex", "pria", "M"),
        ("sex", "Wanita", "F"),
        ("phone", "+62 812 3456 7890", "+6281234567890"),
        ("phone", 81234567890, "+6281234567890"),
        ("occupation", "OJOL", "ojol"),
        ("occupation", "ojek pangkalan", "ojek_pangkalan"),
        ("occupation", "pedagang-kaki-lima", "pedagang_kaki_lima"),
        ("monthly_income", "1.500.000", 1_500_000),
        ("monthly_income", "1500000", 1_500_000),
        ("monthly_income", "Rp 1.500.000", 1_500_000),
        ("monthly_income", "Rp1.500.000,-", 1_500_000),
        ("monthly_income", "IDR 1,500,000", 1_500_000),
        ("monthly_income", "1.500.000,00", 1_500_000),
        ("monthly_income", "1,5jt", 1_500_000),
        ("monthly_income", "800 rb", 800_000),
        ("monthly_income", "2 juta", 2_000_000),
        ("monthly_income", 1_500_000, 1_500_000),
        ("monthly_income", 1_500_000.0, 1_500_000),
        ("monthly_income", "0", 0),
        ("programs", ["JKK", "JKM", "JHT"], "JKK,JKM,JHT"),
        ("programs", "JHT", "JKK,JKM,JHT"),
        ("payment_period", "12", 12),
        ("payment_period", 6, 6),
        ("payment_period", 3.0, 3),
        ("region_code", "32.01.01.1001", "32.01.01.1001"),
        ("region_code", " 3201011001 ", "32.01.01.1001"),
        ("region_code", 3201011001, "32.01.01.1001"),
        ("rw", "1", "001"),
        ("rw", 12, "012"),
        ("rt", "RT 007", "007"),
        ("street", "  Gg.  Kelinci\nNo. 5 ", "Gg. Kelinci No. 5"),
        ("status", " Interested ", "interested"),
        ("follow_up_on", "2026-07-01", "2026-07-01"),
        ("follow_up_on", dt.date(2026, 7, 1), "2026-07-01"),
        ("consent", "true", True),
        ("consent", "TIDAK", False),
        ("consent", "yes", True),
        ("consent", "no", False),
        ("consent", "1", True),
        ("consent", "0", False),
        ("consent", 1, True),
        ("consent", False, False),
        ("notes", "  baris satu  \n\n  baris  dua ", "baris satu\n\nbaris dua"),
    ],
)
def test_field_normalization(field: str, value: object, expected: object) -> None:
    v = check({"full_name": "Siti", field: value})
    assert v.ok, v.errors
    assert v.record[field] == expected
    assert check(v.record).record == v.record


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("id", "not-a-uuid", "id.format"),
        ("id", 12345, "id.format"),
        ("full_name", "", "full_name.required"),
        ("full_name", "Siti 2", "full_name.digits"),
        ("full_name", "Siti#", "full_name.characters"),
        ("full_name", "x" * 101, "full_name.too_long"),
        ("nik", "12345", "nik.length"),
        ("nik", "3201011508950000", "nik.serial"),
        ("birth_date", "1995-02-30", "birth_date.format"),
        ("birth_date", "08/15/1995", "birth_date.format"),  # month first is not Indonesian
        ("birth_date", "kemarin", "birth_date.format"),
        ("birth_date", "2026-06-02", "birth_date.future"),
        ("birth_date", "1899-12-31", "birth_date.range"),
        ("sex", "X", "sex.format"),
        ("phone", "021 555 1234", "phone.landline"),
        ("phone", "0812", "phone.too_short"),
        ("occupation", "dokter", "occupation.unknown"),
        ("monthly_income", "-500000", "monthly_income.negative"),
        ("monthly_income", -1, "monthly_income.negative"),
        ("monthly_income", "1.500.000,50", "monthly_income.whole_rupiah"),
        ("monthly_income", "1500000.5", "monthly_income.whole_rupiah"),
        ("monthly_income", 1_500_000.5, "monthly_income.whole_rupiah"),
        ("monthly_income", "2000000000000", "monthly_income.too_large"),
        ("monthly_income", 10**13, "monthly_income.too_large"),
        ("monthly_income", "banyak", "monthly_income.format"),
        ("monthly_income", float("nan"), "monthly_income.format"),
        ("monthly_income", True, "monthly_income.type"),
        ("programs", "JKK,JKM,JP", "programs.not_for_bpu"),
        ("programs", "ABC", "programs.unknown"),
        ("payment_period", "2", "payment_period.choice"),
        ("payment_period", 24, "payment_period.choice"),
        ("region_code", "32-01", "region_code.format"),
        ("region_code", "99.99.99.9999", "region_code.unknown"),
        ("region_code", "32.01.01", "region_code.not_village"),
        ("region_code", "3201", "region_code.not_village"),
        ("rw", "0", "rw.range"),
        ("rw", "1000", "rw.range"),
        ("rt", "satu", "rt.format"),
        ("street", "x" * 501, "street.too_long"),
        ("status", "lost", "status.unknown"),
        ("status", "active", "status.central_only"),
        ("decline_reason", "mahal", "decline_reason.unknown"),
        ("follow_up_on", "besok", "follow_up_on.format"),
        ("consent", "mungkin", "consent.format"),
        ("consent", 2, "consent.format"),
        ("notes", "x" * 501, "notes.too_long"),
        ("full_name", b"Siti", "full_name.type"),
        ("nik", 3.201015508950003e15, "nik.type"),
        ("phone", ["0812"], "phone.type"),
        ("street", {"a": 1}, "street.type"),
        ("birth_date", 19950815, "birth_date.type"),
        ("payment_period", True, "payment_period.type"),
        ("rt", 1.0, "rt.type"),
        ("consent", b"ya", "consent.type"),
        ("status", 1.5, "status.type"),
        ("programs", 3, "programs.type"),
    ],
)
def test_field_errors(field: str, value: object, code: str) -> None:
    raw: dict[str, object] = {"full_name": "Siti", field: value}
    v = check(raw)
    assert code in error_codes(v)
    problem = next(p for p in v.errors if p.code == code)
    assert problem.field == field
    assert problem.message("id") and problem.message("en")


def test_lengths_at_the_limit_are_fine() -> None:
    v = check({"full_name": "Siti", "street": "x" * 500, "notes": "y" * 500})
    assert v.ok


def test_empty_strings_are_missing() -> None:
    raw = dict.fromkeys(RECORD_FIELDS, "  ")
    raw["full_name"] = "Siti"
    v = check(raw)
    assert v.ok and v.record["status"] == "prospect" and v.record["consent"] is False


def test_unknown_and_export_only_keys_are_ignored() -> None:
    raw = {
        "full_name": "Siti",
        "umur": "40",
        "monthly_contribution": "999",
        "kpj_number": "12345678901",
        "sync_state": "synced",
        "officer_id": "P-1",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "garbage",
        42: "not a str key",
    }
    v = check(raw)
    assert v.ok and v.warnings == []
    assert set(v.record) == {*RECORD_FIELDS, "monthly_contribution"}
    assert v.record["monthly_contribution"] is None


# --- cross-field rules


def test_birth_date_and_sex_derived_from_nik() -> None:
    v = check({"full_name": "Siti", "nik": NIK_F, "consent": True})
    assert v.ok
    assert (v.record["birth_date"], v.record["sex"]) == ("1995-08-15", "F")


def test_matching_birth_date_and_sex_are_fine() -> None:
    v = check(
        {"full_name": "Siti", "nik": NIK_F, "consent": True, "birth_date": "15/08/1995", "sex": "P"}
    )
    assert v.ok


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"birth_date": "1995-08-16"}, "birth_date", "birth_date.mismatch_nik"),
        ({"sex": "L"}, "sex", "sex.mismatch_nik"),
    ],
)
def test_disagreement_with_nik_is_an_error_on_that_field(
    extra: dict[str, str], field: str, code: str
) -> None:
    v = check({"full_name": "Siti", "nik": NIK_F, "consent": True, **extra})
    assert error_codes(v) == [code]
    assert v.errors[0].field == field
    # The message names the rule, never what the NIK encodes (issue 10: no value echoed).
    assert "1995-08-15" not in v.errors[0].message() and "NIK" in v.errors[0].message()


def test_nik_needs_consent() -> None:
    v = check({"full_name": "Siti", "nik": NIK_F})
    assert error_codes(v) == ["nik.consent_required"]
    assert v.errors[0].field == "nik"
    assert v.record["nik"] is None and v.record["birth_date"] is None


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ({"status": "enrolled"}, ["nik.required", "consent.required"]),
        ({"status": "enrolled", "consent": True}, ["nik.required"]),
        ({"status": "enrolled", "nik": NIK_F}, ["nik.consent_required"]),
        ({"status": "enrolled", "nik": "123"}, ["nik.length"]),
        ({"status": "enrolled", "nik": NIK_F, "consent": "ya"}, []),
        ({"status": "declined"}, ["decline_reason.required"]),
        ({"status": "declined", "decline_reason": "biaya"}, []),
        ({"status": "declined", "decline_reason": "Minta Waktu"}, []),
        ({"status": "declined", "decline_reason": "xyz"}, ["decline_reason.unknown"]),
        ({"status": "interested", "decline_reason": "biaya"}, ["decline_reason.not_declined"]),
        ({"decline_reason": "biaya"}, ["decline_reason.not_declined"]),
    ],
)
def test_status_needs(raw: dict[str, object], codes: list[str]) -> None:
    v = check({"full_name": "Siti", **raw})
    assert error_codes(v) == codes
    assert all(p.message("id") and p.message("en") for p in v.errors)


def test_enrolled_defaults_programs_period_and_contribution() -> None:
    v = check({"full_name": "Siti", "status": "enrolled", "nik": NIK_F, "consent": True})
    assert v.ok
    assert (v.record["programs"], v.record["payment_period"]) == ("JKK,JKM", 1)
    assert v.record["monthly_contribution"] == 16_800


def test_contribution_uses_occupation_discount() -> None:
    v = check({"full_name": "Siti", "programs": "JKK,JKM,JHT", "occupation": "ojol"})
    assert v.record["monthly_contribution"] == 28_400
    assert check({"full_name": "Siti"}).record["monthly_contribution"] is None


@pytest.mark.parametrize(
    ("old", "new", "source", "codes"),
    [
        ("enrolled", "prospect", "local", ["status.transition"]),
        ("enrolled", "declined", "local", []),
        ("declined", "interested", "local", []),
        ("active", "declined", "local", ["status.transition"]),
        ("enrolled", "active", "central", []),
        ("prospect", "active", "central", ["status.transition"]),
        ("active", "active", "local", []),
        ("garbage", "prospect", "local", []),
    ],
)
def test_transitions_against_previous(old: str, new: str, source: str, codes: list[str]) -> None:
    raw = {"full_name": "Siti", "status": new, "nik": NIK_F, "consent": True}
    if new == "declined":
        raw["decline_reason"] = "biaya"
    v = validate_record(raw, today=TODAY, previous={"status": old}, source=source)  # type: ignore[arg-type]
    assert error_codes(v) == codes


def test_active_only_from_central() -> None:
    raw = {"full_name": "Siti", "status": "active", "nik": NIK_F, "consent": True}
    assert error_codes(check(raw)) == ["status.central_only"]
    assert check(raw, source="central").ok


# --- warnings


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ({"nik": "3201991508950001", "consent": True}, ["nik.region_unknown"]),
        ({"nik": NIK_F, "consent": True, "region_code": "32.01.01.1001"}, []),
        ({"nik": NIK_F, "consent": True, "region_code": "32.76.01.1006"}, ["nik.region_mismatch"]),
        ({"birth_date": "1950-01-01"}, ["birth_date.age_above_limit"]),
        ({"birth_date": "1960-06-01"}, ["birth_date.age_above_limit"]),  # 66 today
        ({"birth_date": "1960-06-02"}, []),  # 65 until tomorrow: not above the limit
        ({"birth_date": "2015-01-01"}, ["birth_date.age_below_min"]),
        ({"birth_date": "2011-06-01"}, []),  # 15 today
        ({"follow_up_on": "2026-05-31"}, ["follow_up_on.past"]),
        ({"follow_up_on": "2026-06-01"}, []),
        ({"monthly_income": "25.000.000"}, ["monthly_income.above_max_basis"]),
        ({"monthly_income": "20.700.000"}, []),
    ],
)
def test_warnings_never_block(raw: dict[str, object], codes: list[str]) -> None:
    v = check({"full_name": "Siti", **raw})
    assert v.ok, v.errors
    assert warning_codes(v) == codes
    assert all(p.message("id") and p.message("en") for p in v.warnings)


def test_age_limit_is_configurable() -> None:
    raw = {"full_name": "Siti", "birth_date": "1968-01-01"}
    assert warning_codes(check(raw)) == []
    assert warning_codes(check(raw, age_limit=56)) == ["birth_date.age_above_limit"]


def test_income_warning_names_the_cap() -> None:
    v = check({"full_name": "Siti", "monthly_income": 30_000_000})
    assert "20.700.000" in v.warnings[0].message()


def test_reimport_of_an_export_gives_the_same_record() -> None:
    first = check({"full_name": "Siti", "nik": NIK_F, "consent": "1", "status": "enrolled"})
    exported = {k: ("" if v is None else str(v)) for k, v in first.record.items()}
    exported.update({"kpj_number": "12345678901", "sync_state": "synced"})
    again = check(exported)
    assert again.ok and again.record == first.record


def test_one_date_format_for_the_officer_digits_only_too() -> None:
    """DD/MM/YYYY, DD-MM-YYYY and the digits alone (typed fast) read the same; ISO too."""
    from outreach_tui.domain.fields import read_date

    for text in ("21/02/1975", "21-02-1975", "21021975", "1975-02-21"):
        assert read_date(text, "birth_date")[0] == dt.date(1975, 2, 21), text
    assert read_date("31021975", "birth_date")[1]  # no such day
