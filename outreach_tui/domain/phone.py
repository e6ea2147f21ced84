"""Mobile phone numbers: read the ways people write them, store E.164, show them the Indonesian way.

Outreach needs numbers that take SMS and WhatsApp reminders, so only mobile numbers (`08…`) are
accepted; a landline is rejected with a message that says why. Operator prefixes are not checked:
prefixes move between operators and new ones appear; a wrong guess would turn away a good number.
"""

from __future__ import annotations

import re

from outreach_tui.domain.problems import Problem

# Subscriber digits after the country code (8 + 8..11): 0 + 9..12 digits nationally, 10..13 in all.
MIN_DIGITS = 9
MAX_DIGITS = 12

_CLEAN = re.compile(r"[\s().\-/]+")
_DIGITS = re.compile(r"[0-9]+")


def normalize_phone(text: str, *, field_name: str = "phone") -> tuple[str | None, list[Problem]]:
    """The E.164 form (`+628…`) of an Indonesian mobile number, or the problems with it."""
    clean = _CLEAN.sub("", str(text))
    if not clean:
        return None, []
    if clean.startswith("+"):
        if not clean.startswith("+62"):
            return None, [Problem(field_name, "phone.country")]
        rest = clean[3:]
    elif clean.startswith("0062"):
        rest = clean[4:]
    elif clean.startswith("62"):
        # A bare 62 is the country code: national numbers start with 0 or 8, never 62.
        rest = clean[2:]
    elif clean.startswith("0"):
        rest = clean[1:]
    elif clean.startswith("8"):
        rest = clean
    else:
        return None, [Problem(field_name, "phone.format")]
    if rest.startswith("0"):
        # "+62 (0)812…": the trunk zero written after the country code.
        rest = rest[1:]
    if not _DIGITS.fullmatch(rest):
        return None, [Problem(field_name, "phone.format")]
    if not rest.startswith("8"):
        return None, [Problem(field_name, "phone.landline")]
    if len(rest) < MIN_DIGITS:
        return None, [Problem(field_name, "phone.too_short", {"count": len(rest) + 1})]
    if len(rest) > MAX_DIGITS:
        return None, [Problem(field_name, "phone.too_long", {"count": len(rest) + 1})]
    return "+62" + rest, []


def _national(text: str) -> str | None:
    e164, problems = normalize_phone(text)
    return None if e164 is None or problems else "0" + e164[3:]


def format_phone_national(text: str) -> str:
    """`+6281234567890` as `0812-3456-7890` for screens and slips; other text is returned as is."""
    national = _national(text)
    if national is None:
        return str(text)
    return f"{national[:4]}-{national[4:8]}-{national[8:]}"


def mask_phone(text: str) -> str:
    """The national number with only its first and last four digits showing (`0812****7890`)."""
    national = _national(text)
    digits = national if national is not None else re.sub(r"[^0-9]", "", str(text))
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def whatsapp_number(text: str) -> str | None:
    """The digits a wa.me link needs (`6281234567890`), or None for an unusable number."""
    e164, _ = normalize_phone(text)
    return e164[1:] if e164 else None
