"""Phone numbers: what officers type, what is stored (E.164) and what is shown."""

from __future__ import annotations

import pytest

from outreach_tui.domain.phone import (
    format_phone_national,
    mask_phone,
    normalize_phone,
    whatsapp_number,
)


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (0)812 3456 7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),
        ("(0812) 3456.7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        # A bare 8... of 12 digits is read as the national number without its 0: 13 digits.
        ("812345678901", "+62812345678901"),
        ("0812345678", "+62812345678"),  # 10 digits: the shortest mobile number
        ("0812345678901", "+62812345678901"),  # 13 digits: the longest
        ("0899 1234 5678", "+6289912345678"),
        ("0800 1234 5678", "+6280012345678"),  # unknown prefix: fine, not even a warning
        ("\u00a00812\u00a03456\u00a07890 ", "+6281234567890"),
    ],
)
def test_good_numbers(text: str, e164: str) -> None:
    assert normalize_phone(text) == (e164, [])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("021 555 1234", "phone.landline"),
        ("(021) 5551234", "phone.landline"),
        ("+62 21 555 1234", "phone.landline"),
        ("0251 8312345", "phone.landline"),
        ("081234567", "phone.too_short"),
        ("0812", "phone.too_short"),
        ("08123456789012", "phone.too_long"),
        ("+1 415 555 0100", "phone.country"),
        ("+65 8123 4567", "phone.country"),
        ("0812-3456-789O", "phone.format"),
        ("telepon", "phone.format"),
        ("12345678", "phone.format"),
        ("+62", "phone.format"),
    ],
)
def test_bad_numbers(text: str, code: str) -> None:
    e164, problems = normalize_phone(text)
    assert e164 is None
    assert [p.code for p in problems] == [code]
    assert all(p.field == "phone" for p in problems)


def test_blank_is_missing_not_wrong() -> None:
    assert normalize_phone("  ") == (None, [])


def test_landline_message_says_why() -> None:
    _, problems = normalize_phone("021 555 1234")
    assert "WhatsApp" in problems[0].message("id")
    assert "WhatsApp" in problems[0].message("en")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+62812345678", "0812-3456-78"),
        ("+62812345678901", "0812-3456-78901"),
        ("0812 3456 7890", "0812-3456-7890"),
        ("not a phone", "not a phone"),
    ],
)
def test_format_national(text: str, shown: str) -> None:
    assert format_phone_national(text) == shown


def test_mask_and_whatsapp() -> None:
    assert mask_phone("+6281234567890") == "0812****7890"
    assert mask_phone("1234") == "****"
    assert whatsapp_number("0812-3456-7890") == "6281234567890"
    assert whatsapp_number("021 555 1234") is None
