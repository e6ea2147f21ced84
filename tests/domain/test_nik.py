"""NIK and KK rules of DOMAIN.md, table by table."""

from __future__ import annotations

import datetime as dt

import pytest

from outreach_tui.domain.nik import (
    birth_date_from,
    make_nik,
    mask_nik,
    normalize_kk,
    parse_nik,
)

TODAY = dt.date(2026, 6, 1)


def codes(result: object) -> list[str]:
    return [p.code for p in getattr(result, "errors")]  # noqa: B009


@pytest.mark.parametrize(
    ("nik", "birth", "sex"),
    [
        ("3201015508950003", dt.date(1995, 8, 15), "F"),
        ("3201011508950001", dt.date(1995, 8, 15), "M"),
        ("3201 0155 0895 0003", dt.date(1995, 8, 15), "F"),
        ("32.01.01.550895.0003", dt.date(1995, 8, 15), "F"),
        ("3201-0155-0895-0003", dt.date(1995, 8, 15), "F"),
        (" 3201015508950003\n", dt.date(1995, 8, 15), "F"),
        ("3201014101900001", dt.date(1990, 1, 1), "F"),  # day 41: a woman born on the 1st
        ("3201017108900001", dt.date(1990, 8, 31), "F"),  # day 71: a woman born on the 31st
        ("3201010101000001", dt.date(2000, 1, 1), "M"),
        ("3201012902000001", dt.date(2000, 2, 29), "M"),  # leap day in 2000, not in 1900
        ("3201010105260001", dt.date(2026, 5, 1), "M"),  # born this year: age 0
        ("3201010107260001", dt.date(1926, 7, 1), "M"),  # 2026-07-01 is ahead: 1926, age 99
        ("3201010101300001", dt.date(1930, 1, 1), "M"),
        ("3171010101900001", dt.date(1990, 1, 1), "M"),
    ],
)
def test_good_niks(nik: str, birth: dt.date, sex: str) -> None:
    result = parse_nik(nik, today=TODAY)
    assert result.ok, result.errors
    assert result.nik == "".join(ch for ch in nik if ch.isdigit())
    assert (result.birth_date, result.sex) == (birth, sex)
    assert result.warnings == []


def test_regions_read_from_nik() -> None:
    result = parse_nik("3201015508950003", today=TODAY)
    assert result.province_code == "32" and result.province_name == "Jawa Barat"
    assert result.regency_code == "32.01" and result.regency_name == "Kabupaten Bogor"
    assert result.district_code == "32.01.01" and result.district_name == "Cibinong"


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("320101550895000", "nik.length"),
        ("32010155089500031", "nik.length"),
        ("", "nik.length"),
        ("3201O15508950003", "nik.format"),  # letter O for zero
        ("NIK 3201015508950003", "nik.format"),
        ("3201011508950000", "nik.serial"),
        ("3201013002950001", "nik.date"),  # 30 February
        ("3201010002950001", "nik.date"),  # day 00
        ("3201013201950001", "nik.date"),  # day 32
        ("3201014001950001", "nik.date"),  # day 40: neither a man's nor a woman's day
        ("3201017201950001", "nik.date"),  # day 72
        ("3201017002950001", "nik.date"),  # woman, 30 February
        ("3201011513950001", "nik.date"),  # month 13
        ("3201011500950001", "nik.date"),  # month 00
        ("0001011508950001", "nik.province"),
        ("9901011508950001", "nik.province"),
        ("3200011508950001", "nik.region_zero"),
        ("3201001508950001", "nik.region_zero"),
    ],
)
def test_bad_niks(nik: str, code: str) -> None:
    result = parse_nik(nik, today=TODAY)
    assert code in codes(result)
    assert not result.ok


def test_several_errors_reported_at_once() -> None:
    result = parse_nik("9900003002950000", today=TODAY)
    assert set(codes(result)) == {"nik.province", "nik.region_zero", "nik.date", "nik.serial"}


def test_unknown_district_is_only_a_warning() -> None:
    result = parse_nik("3201991508950001", today=TODAY)
    assert result.ok
    assert [w.code for w in result.warnings] == ["nik.region_unknown"]
    assert result.birth_date == dt.date(1995, 8, 15)


def test_length_error_counts_digits() -> None:
    result = parse_nik("12345", today=TODAY)
    assert result.errors[0].params["count"] == 5


@pytest.mark.parametrize(
    ("yy", "month", "day", "expected"),
    [
        (95, 8, 15, dt.date(1995, 8, 15)),
        (26, 6, 1, dt.date(2026, 6, 1)),  # born today
        (26, 6, 2, dt.date(1926, 6, 2)),  # tomorrow would be in the future: age 99
        (26, 5, 31, dt.date(2026, 5, 31)),
        (0, 2, 29, dt.date(2000, 2, 29)),
        (1, 2, 29, None),
        (25, 13, 1, None),
    ],
)
def test_century_gives_age_0_to_100(
    yy: int, month: int, day: int, expected: dt.date | None
) -> None:
    assert birth_date_from(yy, month, day, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("3201011508950001", "3201********0001"),
        ("3201 0115 0895 0001", "3201********0001"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_mask_nik(text: str, masked: str) -> None:
    assert mask_nik(text) == masked


@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("3201010101100001", "3201010101100001", None),
        ("3201 0101 0110 0001", "3201010101100001", None),
        ("", None, None),
        ("320101010110000", None, "kk.length"),
        ("32010101011000x1", None, "kk.format"),
        ("9901010101100001", None, "kk.province"),
    ],
)
def test_kk(text: str, value: str | None, code: str | None) -> None:
    kk, problems = normalize_kk(text)
    assert kk == value
    assert [p.code for p in problems] == ([code] if code else [])


def test_make_nik_round_trips() -> None:
    nik = make_nik(dt.date(1988, 2, 29), "F", serial="0042")
    result = parse_nik(nik, today=TODAY)
    assert (result.birth_date, result.sex, result.nik) == (dt.date(1988, 2, 29), "F", nik)
