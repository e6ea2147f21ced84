"""KPJ member numbers: 11 digits from a rising sequence plus a Luhn check digit.

The central system assigns a KPJ number once per record id. The number is derived from the
database sequence that records the assignment (`seq`), so two assignments never collide and no
retry loop is needed: the 10-digit body is `1_000_000_000 + seq` (it never starts with 0, so
spreadsheets keep every digit) and the 11th digit is the Luhn check digit, which catches any
single mistyped digit and most swapped neighbours when a number is read back from paper.
"""

from __future__ import annotations

KPJ_LENGTH = 11
_BODY_OFFSET = 1_000_000_000
MAX_SEQ = 9_999_999_999 - _BODY_OFFSET


def luhn_digit(body: str) -> str:
    """The Luhn check digit for a string of digits (the standard mod-10 scheme)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def make_kpj(seq: int) -> str:
    """The KPJ number for assignment number `seq` (1, 2, ...): unique because `seq` is."""
    if not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"KPJ sequence {seq} is outside 1..{MAX_SEQ}")
    body = str(_BODY_OFFSET + seq)
    return body + luhn_digit(body)


def is_valid_kpj(text: str) -> bool:
    """Whether `text` is a KPJ number this scheme could have made (11 digits, check digit)."""
    if len(text) != KPJ_LENGTH or not text.isascii() or not text.isdigit() or text[0] == "0":
        return False
    return luhn_digit(text[:-1]) == text[-1]
