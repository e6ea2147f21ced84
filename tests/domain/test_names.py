"""Names as Indonesians write them."""

from __future__ import annotations

import unicodedata

import pytest

from outreach_tui.domain.names import MAX_NAME_LENGTH, name_key, normalize_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Siti", "Siti"),
        ("Ni Komang Ayu", "Ni Komang Ayu"),
        ("O'Neil", "O'Neil"),
        ("Ma’ruf", "Ma’ruf"),
        ("Jean-Paul", "Jean-Paul"),
        ("Hj. Siti", "Hj. Siti"),
        ("Budi Santoso, S.Pd.", "Budi Santoso, S.Pd."),
        ("Müller", "Müller"),
        ("José Ñúñez", "José Ñúñez"),
        ("محمد", "محمد"),
        ("李小龙", "李小龙"),
        ("  Siti    Aminah  ", "Siti Aminah"),
        ("Siti\tAminah\n", "Siti Aminah"),
        ("Siti\u00a0Aminah", "Siti Aminah"),
        ("Siti\u200bAminah", "SitiAminah"),
        ("Mu\u0308ller", "Müller"),  # decomposed input comes out NFC
        ("I Gusti Ngurah Rai", "I Gusti Ngurah Rai"),
    ],
)
def test_good_names(text: str, expected: str) -> None:
    name, problems = normalize_name(text)
    assert problems == []
    assert name == expected
    assert name is not None and unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "full_name.required"),
        ("   ", "full_name.required"),
        ("Siti 2", "full_name.digits"),
        ("Agus17", "full_name.digits"),
        ("0812345678", "full_name.digits"),
        ("Siti ٣", "full_name.digits"),
        ("Siti @ Aminah", "full_name.characters"),
        ("Siti_Aminah", "full_name.characters"),
        ("Siti <b>", "full_name.characters"),
        ("Siti 😀", "full_name.characters"),
        ("...", "full_name.no_letters"),
        ("'-'", "full_name.no_letters"),
        ("A" * (MAX_NAME_LENGTH + 1), "full_name.too_long"),
    ],
)
def test_bad_names(text: str, code: str) -> None:
    name, problems = normalize_name(text)
    assert name is None
    assert [p.code for p in problems] == [code]


def test_longest_name_allowed() -> None:
    assert normalize_name("A" * MAX_NAME_LENGTH)[0] == "A" * MAX_NAME_LENGTH


def test_characters_message_names_the_rule_not_the_symbols() -> None:
    _, problems = normalize_name("Siti @ Aminah")
    assert problems[0].code == "full_name.characters"
    assert "@" not in problems[0].message("id") and "huruf" in problems[0].message("id")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Müller", "muller"),
        ("SITI  AMINAH", "siti aminah"),
        ("Ma'ruf", "Maruf"),
        ("Ma’ruf", "MA'RUF"),
        ("Jean-Paul", "jean paul"),
        ("Hj. Siti", "hj siti"),
        ("José", "jose"),
    ],
)
def test_name_key_matches_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_distinct_names_apart() -> None:
    assert name_key("Siti Aminah") != name_key("Siti Amina")
    assert name_key("  ") == ""
