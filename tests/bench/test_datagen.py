"""The benchmark data generator: realistic, valid where it must be, deterministic."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lokal import parse_nik, parse_phone, wilayah

from bench.datagen import FIELDS, TODAY, generate, main, write_csv

N = 2000
OCCUPATIONS = {
    "ojol", "ojek_pangkalan", "kurir", "sopir", "tukang_becak", "pedagang_pasar",
    "pedagang_kaki_lima", "pemilik_warung", "nelayan", "petani", "peternak",
    "buruh_harian_lepas", "buruh_tani", "tukang_bangunan", "penjahit", "montir",
    "penata_rambut", "pengrajin", "seniman", "lainnya",
}  # fmt: skip
DECLINE_REASONS = {
    "biaya", "belum_paham", "ragu_manfaat", "sudah_terdaftar", "tidak_ada_ktp",
    "minta_waktu", "tidak_tertarik", "lainnya",
}  # fmt: skip


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(generate(N))


def _age(born: date, today: date = TODAY) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_rows_have_the_record_fields_as_strings(rows: list[dict[str, str]]) -> None:
    assert len(rows) == N
    for row in rows:
        assert tuple(row) == FIELDS
        assert all(isinstance(v, str) for v in row.values())
        assert row["id"] == ""
        assert row["full_name"].strip()
        assert row["occupation"] in OCCUPATIONS
        assert row["status"] in {"prospect", "interested", "enrolled", "declined"}
        assert row["consent"] in {"true", "false"}
        assert row["sex"] in {"", "M", "F"}
        assert re.fullmatch(r"0(0[1-9]|1[0-5])", row["rw"]), row["rw"]
        assert re.fullmatch(r"0(0[1-9]|1[0-9]|20)", row["rt"]), row["rt"]


def test_same_seed_same_rows_other_seed_other_rows(rows: list[dict[str, str]]) -> None:
    assert list(generate(N, seed=42)) == rows
    assert list(generate(50, seed=7)) == list(generate(50, seed=7))
    assert list(generate(50, seed=7)) != rows[:50]


def test_niks_are_16_digits_valid_and_unique(rows: list[dict[str, str]]) -> None:
    niks = [r["nik"] for r in rows if r["nik"]]
    assert len(niks) > N // 2
    assert len(set(niks)) == len(niks)
    for nik in niks:
        assert re.fullmatch(r"[0-9]{16}", nik)
        info = parse_nik(nik, lookup_wilayah=wilayah.wilayah_name, reference_date=TODAY)
        assert info.valid, (nik, info.errors)
        assert not info.warnings, (nik, info.warnings)  # a real kecamatan
        assert nik[12:] != "0000"


def test_nik_agrees_with_birth_date_and_sex(rows: list[dict[str, str]]) -> None:
    for row in (r for r in rows if r["nik"]):
        info = parse_nik(row["nik"], reference_date=TODAY)
        if row["birth_date"]:
            assert info.birth_date == row["birth_date"], row
        if row["sex"]:
            assert info.gender == {"M": "L", "F": "P"}[row["sex"]], row
        assert info.birth_date is not None
        assert 18 <= _age(date.fromisoformat(info.birth_date)) <= 60


def test_clean_rows_differ_only_in_how_they_are_typed(rows: list[dict[str, str]]) -> None:
    clean = list(generate(N, messy=False))
    for messy_row, clean_row in zip(rows, clean, strict=True):
        assert clean_row["full_name"] == " ".join(clean_row["full_name"].split())
        assert " ".join(messy_row["full_name"].split()).lower() == clean_row["full_name"].lower()
        assert re.fullmatch(r"\d\d\.\d\d\.\d\d\.\d{4}", clean_row["region_code"])
        assert wilayah.normalize_wilayah_code(messy_row["region_code"]) == clean_row["region_code"]
        others = set(FIELDS) - {"full_name", "region_code"}
        assert {k: messy_row[k] for k in others} == {k: clean_row[k] for k in others}
    assert any(r["full_name"].isupper() for r in rows)


def test_ages_are_18_to_60(rows: list[dict[str, str]]) -> None:
    ages = [_age(date.fromisoformat(r["birth_date"])) for r in rows if r["birth_date"]]
    assert min(ages) >= 18 and max(ages) <= 60
    assert len(set(ages)) > 30


def test_nik_kecamatan_is_mostly_the_address_kabupaten(rows: list[dict[str, str]]) -> None:
    pairs = [(r["nik"][:4], r["region_code"].replace(".", "")[:4]) for r in rows if r["nik"]]
    same = sum(a == b for a, b in pairs) / len(pairs)
    assert 0.7 < same < 0.95


def test_enrolled_rows_are_complete(rows: list[dict[str, str]]) -> None:
    enrolled = [r for r in rows if r["status"] == "enrolled"]
    assert enrolled
    for row in enrolled:
        assert row["nik"], row
        assert row["consent"] == "true", row
        assert row["programs"] in {"JKK,JKM", "JKK,JKM,JHT"}, row
        assert row["payment_period"] in {"1", "3", "6", "12"}, row
        assert not row["decline_reason"]


def test_declines_consent_and_dates_follow_the_rules(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["status"] == "declined":
            assert row["decline_reason"] in DECLINE_REASONS, row
        else:
            assert row["decline_reason"] == "", row
        if row["nik"]:
            assert row["consent"] == "true", row
        if row["programs"]:
            assert row["programs"] in {"JKK,JKM", "JKK,JKM,JHT"}
            assert row["payment_period"] in {"1", "3", "6", "12"}
        if row["follow_up_on"]:
            assert abs((date.fromisoformat(row["follow_up_on"]) - TODAY).days) <= 31
        if row["monthly_income"]:
            amount = int(row["monthly_income"])
            assert 500_000 <= amount <= 6_000_000 and amount % 1000 == 0
    prospects = [r for r in rows if r["status"] == "prospect"]
    assert any(not r["nik"] for r in prospects) and any(not r["phone"] for r in prospects)
    assert any(r["consent"] == "false" for r in prospects)
    assert any(not r["monthly_income"] for r in rows)
    assert any(r["notes"] for r in rows)


def test_status_and_occupation_mix(rows: list[dict[str, str]]) -> None:
    status = Counter(r["status"] for r in rows)
    expected = {"prospect": 0.35, "interested": 0.2, "enrolled": 0.35, "declined": 0.1}
    for name, share in expected.items():
        assert abs(status[name] / N - share) < 0.04, status
    occupations = Counter(r["occupation"] for r in rows)
    for common in ("ojol", "pedagang_pasar", "petani", "nelayan"):
        assert occupations[common] > N * 0.04, occupations
    assert len(occupations) == len(OCCUPATIONS)


def test_region_codes_are_real_desa(rows: list[dict[str, str]]) -> None:
    desa = wilayah._desa()
    for row in rows:
        code = wilayah.normalize_wilayah_code(row["region_code"])
        assert code in desa, row["region_code"]
    # Concentrated: a few kabupaten/kota hold many of the people.
    by_kab = Counter(r["region_code"].replace(".", "")[:4] for r in rows)
    assert by_kab.most_common(1)[0][1] > N * 0.04


def test_area_keeps_addresses_under_the_prefix() -> None:
    for area in ("32.01", "3273", "35.78.01"):
        digits = area.replace(".", "")
        got = list(generate(200, area=area, seed=5))
        assert all(r["region_code"].replace(".", "").startswith(digits) for r in got), area
    with pytest.raises(ValueError, match=r"99\.99"):
        next(generate(1, area="99.99"))


def test_phones_are_unique_mobiles_in_mixed_formats(rows: list[dict[str, str]]) -> None:
    phones = [r["phone"] for r in rows if r["phone"]]
    e164 = []
    for phone in phones:
        info = parse_phone(phone)
        assert info.valid and info.type == "mobile", (phone, info.errors)
        assert info.e164 is not None and info.e164.startswith("+628")
        assert info.operator, phone  # a real operator prefix
        e164.append(info.e164)
    assert len(set(e164)) == len(e164)
    assert any(p.startswith("08") for p in phones)
    assert any(p.startswith("+62") for p in phones)
    assert any(p.startswith("62") for p in phones)
    assert any("-" in p for p in phones)


def test_names_are_varied_and_fit_the_sex(rows: list[dict[str, str]]) -> None:
    names = [" ".join(r["full_name"].split()) for r in rows]
    assert all(not any(c.isdigit() for c in n) for n in names)
    assert len(set(names)) > N * 0.8
    single = sum(len(n.split()) == 1 for n in names) / N
    assert 0.08 < single < 0.25
    assert any("'" in n for n in names)
    assert any(not n.isascii() for n in names)
    bali_order = {"wayan", "putu", "gede", "made", "kadek", "nengah", "nyoman", "komang", "ketut"}
    for row in rows:
        words = row["full_name"].lower().split()
        first = words[0]
        if row["sex"] == "F":
            assert first not in {"h.", "la", "teuku", "lalu"}, row["full_name"]
            assert not (first == "i" and words[1] in bali_order), row["full_name"]
        elif row["sex"] == "M":
            assert first not in {"ni", "hj.", "wa", "cut", "baiq", "siti"}, row["full_name"]
            assert "ayu" not in words and "istri" not in words, row["full_name"]
        if " br. " in row["full_name"].lower():
            assert row["sex"] in {"F", ""}


def test_write_csv_and_the_command(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    path = tmp_path / "records.csv"
    assert write_csv(path, 300) == 300
    with path.open(encoding="utf-8", newline="") as fh:
        back = list(csv.DictReader(fh))
    assert back == rows[:300]

    out = tmp_path / "cli.csv"
    assert main(["--count", "25", "--out", str(out), "--seed", "3", "--area", "51.71"]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        cli_rows = list(csv.DictReader(fh))
    assert cli_rows == list(generate(25, seed=3, area="51.71"))
