"""Code lists (fixed by DESIGN.md), status transitions, programs, payment periods, RT/RW."""

from __future__ import annotations

import itertools

import pytest

from outreach_tui.domain import codes
from outreach_tui.domain.codes import (
    can_transition,
    normalize_payment_period,
    normalize_programs,
    normalize_rt_rw,
    transition_problem,
)


def test_code_lists_match_design() -> None:
    assert list(codes.OCCUPATIONS) == [
        "ojol", "ojek_pangkalan", "kurir", "sopir", "tukang_becak", "pedagang_pasar",
        "pedagang_kaki_lima", "pemilik_warung", "nelayan", "petani", "peternak",
        "buruh_harian_lepas", "buruh_tani", "tukang_bangunan", "penjahit", "montir",
        "penata_rambut", "pengrajin", "seniman", "lainnya",
    ]  # fmt: skip
    assert {"ojol", "ojek_pangkalan", "kurir", "sopir"} == codes.TRANSPORT_OCCUPATIONS
    assert list(codes.DECLINE_REASONS) == [
        "biaya", "belum_paham", "ragu_manfaat", "sudah_terdaftar", "tidak_ada_ktp",
        "minta_waktu", "tidak_tertarik", "lainnya",
    ]  # fmt: skip
    assert codes.STATUSES == ("prospect", "interested", "enrolled", "declined", "active")
    # The design's four, and "janji bayar" (promised to pay) that issue 14 adds for arrears.
    assert list(codes.VISIT_OUTCOMES) == ["met", "not_home", "moved", "refused", "janji_bayar"]
    assert list(codes.GROUP_KINDS) == [
        "wadah",
        "koperasi",
        "umkm",
        "pasar",
        "pangkalan_ojek",
        "komunitas_ojol",
        "nelayan",
        "desa",
        "lainnya",
    ]  # fmt: skip  (DOMAIN.md 'Groups and events')
    assert list(codes.EVENT_KINDS) == ["sosialisasi", "follow_up", "pendaftaran_massal"]
    assert codes.PAYMENT_PERIODS == (1, 3, 6, 12)
    assert codes.OCCUPATIONS["ojol"] == "label.occupation.ojol"


LOCAL = ["prospect", "interested", "enrolled", "declined"]

# (old, new, allowed locally, allowed from the central system)
TRANSITIONS = [
    (None, "prospect", True, True),
    (None, "enrolled", True, True),
    (None, "active", False, True),
    ("prospect", "interested", True, True),
    ("interested", "prospect", True, True),
    ("prospect", "declined", True, True),
    ("declined", "interested", True, True),  # a person who declined may come back
    ("declined", "prospect", True, True),
    ("prospect", "enrolled", True, True),
    ("interested", "enrolled", True, True),
    ("declined", "enrolled", True, True),
    ("enrolled", "declined", True, True),  # withdrawal before the first payment
    ("enrolled", "prospect", False, False),
    ("enrolled", "interested", False, False),
    ("enrolled", "active", False, True),
    ("prospect", "active", False, False),
    ("declined", "active", False, False),
    ("active", "enrolled", False, True),
    ("active", "declined", False, False),
    ("active", "prospect", False, False),
    ("active", "active", True, True),  # editing other fields of an active record
    ("enrolled", "enrolled", True, True),
]


@pytest.mark.parametrize(("old", "new", "local", "central"), TRANSITIONS)
def test_transitions(old: str | None, new: str, local: bool, central: bool) -> None:
    assert can_transition(old, new) is local
    assert can_transition(old, new, source="central") is central


def test_every_pair_is_decided_and_explained() -> None:
    for old, new in itertools.product([None, *codes.STATUSES], codes.STATUSES):
        for source in ("local", "central"):
            problem = transition_problem(old, new, source)
            if problem is not None:
                assert problem.field == "status"
                assert problem.message("id") and problem.message("en")


def test_transition_problem_codes() -> None:
    assert transition_problem("prospect", "active", "local").code == "status.central_only"  # type: ignore[union-attr]
    problem = transition_problem("enrolled", "prospect", "local")
    assert problem is not None and problem.code == "status.transition"
    assert "terdaftar" in problem.message("id") and "calon peserta" in problem.message("id")
    assert "enrolled" in problem.message("en")
    unknown = transition_problem("prospect", "lost", "local")
    assert unknown is not None and unknown.code == "status.unknown"


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [
        ("JKK,JKM", "JKK,JKM", None),
        ("jkk jkm jht", "JKK,JKM,JHT", None),
        ("JHT", "JKK,JKM,JHT", None),
        ("JKK", "JKK,JKM", None),
        ("JKM; JKK", "JKK,JKM", None),
        ("jht, jkk, jkm, jht", "JKK,JKM,JHT", None),
        ("JKK+JKM+JHT", "JKK,JKM,JHT", None),
        ("", None, None),
        ("JKK,JKM,JP", None, "programs.not_for_bpu"),
        ("JKP", None, "programs.not_for_bpu"),
        ("JKN", None, "programs.unknown"),
        ("semua", None, "programs.unknown"),
    ],
)
def test_programs(text: str, expected: str | None, problem: str | None) -> None:
    value, problems = normalize_programs(text)
    assert value == expected
    assert [p.code for p in problems] == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("3", 3), (" 6 ", 6), ("12", 12), (12, 12), ("2", None), (0, None), ("x", None)],
)
def test_payment_period(value: str | int, expected: int | None) -> None:
    period, problems = normalize_payment_period(value)
    assert period == expected
    assert bool(problems) is (expected is None)


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        ("1", "001", None),
        ("01", "001", None),
        ("001", "001", None),
        (" 12 ", "012", None),
        ("999", "999", None),
        (7, "007", None),
        ("RT 03", "003", None),
        ("rt.5", "005", None),
        ("", None, None),
        ("0", None, "range"),
        ("000", None, "range"),
        ("1000", None, "range"),
        (0, None, "range"),
        (1000, None, "range"),
        (-1, None, "range"),
        ("a", None, "format"),
        ("1a", None, "format"),
        ("-1", None, "format"),
        ("1.5", None, "format"),
        ("12345", None, "format"),
    ],
)
@pytest.mark.parametrize("field", ["rt", "rw"])
def test_rt_rw(value: str | int, expected: str | None, problem: str | None, field: str) -> None:
    text = (
        value.replace("RT", field.upper()).replace("rt", field) if isinstance(value, str) else value
    )
    result, problems = normalize_rt_rw(text, field)
    assert result == expected
    assert [p.code for p in problems] == ([f"{field}.{problem}"] if problem else [])
