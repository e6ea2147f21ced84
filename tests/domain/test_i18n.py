"""The translation table: complete in both languages, and covering every problem code."""

from __future__ import annotations

import string
import tomllib
from importlib import resources

import pytest

from outreach_tui.domain import codes, i18n
from outreach_tui.domain.problems import CODES, ERROR_CODES, WARNING_CODES, Problem
from outreach_tui.domain.record import EXPORT_ONLY_FIELDS, RECORD_FIELDS


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages() -> None:
    for key, entry in i18n.table().items():
        for lang in i18n.LANGUAGES:
            assert entry.get(lang, "").strip(), f"{key} has no {lang!r} text"


def test_languages_use_the_same_placeholders() -> None:
    for key, entry in i18n.table().items():
        assert _placeholders(entry["id"]) == _placeholders(entry["en"]), key


def test_no_key_is_defined_twice_across_files() -> None:
    seen: dict[str, str] = {}
    data = resources.files("outreach_tui.domain").joinpath("data")
    for name in i18n.TABLE_FILES:
        source = data.joinpath(name)
        if not source.is_file():
            continue
        for key in tomllib.loads(source.read_text(encoding="utf-8")):
            assert key not in seen, f"{key} in both {seen[key]} and {name}"
            seen[key] = name


def test_error_and_warning_codes_are_disjoint() -> None:
    assert not ERROR_CODES & WARNING_CODES


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_problem_code_has_a_message(code: str) -> None:
    field = code.split(".")[0]
    assert i18n.has_key(code) or i18n.has_key(f"generic.{code.rsplit('.', 1)[1]}"), code
    problem = Problem(field, code, {"value": "x", "count": 3, "max": 5, "code": "99"})
    for lang in i18n.LANGUAGES:
        message = problem.message(lang)
        assert message and message != code
        assert "{field_label}" not in message


def test_labels_exist_for_every_code_and_field() -> None:
    keys = [
        *codes.OCCUPATIONS.values(),
        *codes.DECLINE_REASONS.values(),
        *codes.STATUS_LABELS.values(),
        *codes.VISIT_OUTCOMES.values(),
        *codes.PROGRAMS.values(),
        *(f"label.field.{f}" for f in (*RECORD_FIELDS, *EXPORT_ONLY_FIELDS)),
    ]
    missing = [k for k in keys if not i18n.has_key(k)]
    assert missing == []


def test_translate_fills_and_falls_back() -> None:
    assert (
        i18n.translate("nik.length", count=15)
        == "NIK harus 16 digit angka; yang tertulis 15 digit."
    )
    assert i18n.translate("nik.length", "en", count=15) == "NIK must be 16 digits; 15 were entered."
    assert i18n.translate("nik.length", "fr", count=15).startswith("NIK harus")
    assert i18n.translate("no.such.key") == "no.such.key"
    # A missing parameter shows its placeholder instead of failing.
    assert "{count}" in i18n.translate("nik.length")


def test_normalize_language() -> None:
    assert i18n.normalize_language("en_US.UTF-8") == "en"
    assert i18n.normalize_language("ID") == "id"
    assert i18n.normalize_language("fr") == "id"
    assert i18n.normalize_language(None) == "id"


def test_problem_to_dict() -> None:
    problem = Problem("nik", "nik.serial")
    assert problem.to_dict() == {
        "field": "nik",
        "code": "nik.serial",
        "message": "NIK tidak valid: nomor urut (4 digit terakhir) tidak boleh 0000.",
    }
    assert problem.to_dict("en")["message"].startswith("NIK is invalid")
    assert problem.rule == "serial"


def test_type_problems_use_the_generic_message_with_the_field_name() -> None:
    assert Problem("phone", "phone.type").message().startswith("Nomor HP:")
    assert Problem("phone", "phone.type").message("en").startswith("Mobile number:")


def test_unknown_codes_still_give_a_sentence() -> None:
    message = Problem("age", "age.unknown", {"value": "umur"}).message()
    assert message == "age: isian tidak ada dalam daftar." and "umur" not in message
    assert Problem("age", "age.odd").message("en") == "age is invalid."
