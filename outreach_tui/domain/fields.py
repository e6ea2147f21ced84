"""Readers for the record's scalar fields, tolerant of how CSV files, forms and JSON write values.

Each reader takes a value that is present (not None, not blank) and returns the normalized value
or None with the problems found. Values may be text (CSV, forms) or typed (JSON): a reader accepts
the types that can carry its field and reports any other type as `<field>.type`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from fractions import Fraction
from typing import Literal

from outreach_tui.domain.problems import Problem

MAX_INCOME = 10**12

Result = tuple[object, list[Problem]]

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+Z?)?")
# Day first, as Indonesians write dates (15/08/1995, 15-08-1995, 15.08.1995); never month first.
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")
_DMY_DIGITS = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")  # 15081995: DDMMYYYY, typed fast
_SPACES = re.compile(r"\s+")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LINE_SPACES = re.compile(r"[^\S\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_INCOME_PREFIX = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
_PLAIN_DIGITS = re.compile(r"-?[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*")
_DECIMAL = re.compile(r"(-?[0-9]+(?:[.,][0-9]{3})*)[.,]([0-9]{1,2})")
# Officers write round incomes short: "1,5jt", "2 juta", "800rb", "750 ribu".
_SCALED = re.compile(r"(-?[0-9]+(?:[.,][0-9]+)?)(rb|ribu|k|jt|juta)", re.IGNORECASE)

_TRUE = frozenset({"true", "1", "ya", "y", "yes", "iya", "setuju"})
_FALSE = frozenset({"false", "0", "tidak", "t", "no", "n", "tdk", "tidak setuju"})
_MALE = frozenset({"m", "l", "laki-laki", "laki laki", "lakilaki", "laki", "pria", "male"})
_FEMALE = frozenset({"f", "p", "perempuan", "wanita", "female"})


def type_problem(field: str) -> Problem:
    """The problem for a value of a type that cannot carry this field (a list for a name, ...)."""
    return Problem(field, f"{field}.type")


def is_blank(value: object) -> bool:
    """Whether a value means 'not given': None or text with nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str | None:
    """The value as text when it is text or a whole number (JSON may carry a NIK as a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def read_uuid(value: object, field: str = "id") -> Result:
    """A record id: any UUID spelling, stored in the canonical lowercase form."""
    text = as_text(value) if not isinstance(value, uuid.UUID) else str(value)
    if text is None:
        return None, [type_problem(field)]
    if _CANONICAL_UUID.fullmatch(text):
        return text, []
    try:
        return str(uuid.UUID(text.strip())), []
    except ValueError:
        return None, [Problem(field, f"{field}.format")]


def read_date(value: object, field: str) -> Result:
    """A calendar date from `DD/MM/YYYY` (also `DD-MM-YYYY`, `DDMMYYYY` and `YYYY-MM-DD`) or a
    date object; it must exist."""
    if isinstance(value, dt.datetime):
        return value.date(), []
    if isinstance(value, dt.date):
        return value, []
    if not isinstance(value, str):
        return None, [type_problem(field)]
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.group(1, 2, 3)
    else:
        match = _DMY_DATE.fullmatch(text) or _DMY_DIGITS.fullmatch(text)
        if match is None:
            return None, [Problem(field, f"{field}.format")]
        day, month, year = match.group(1, 2, 3)
    try:
        return dt.date(int(year), int(month), int(day)), []
    except ValueError:
        return None, [Problem(field, f"{field}.format")]


def read_sex(value: object, field: str = "sex") -> Result:
    """`M` or `F` from M/F, L/P (laki-laki/perempuan) and their words, any case."""
    if not isinstance(value, str):
        return None, [type_problem(field)]
    word = _SPACES.sub(" ", value.strip().lower())
    if word in _MALE:
        return "M", []
    if word in _FEMALE:
        return "F", []
    return None, [Problem(field, f"{field}.format")]


def read_bool(value: object, field: str) -> Result:
    """A yes/no answer from true/false, 1/0, ya/tidak, yes/no."""
    if isinstance(value, bool):
        return value, []
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value), []
        return None, [Problem(field, f"{field}.format")]
    if not isinstance(value, str):
        return None, [type_problem(field)]
    word = _SPACES.sub(" ", value.strip().lower())
    if word in _TRUE:
        return True, []
    if word in _FALSE:
        return False, []
    return None, [Problem(field, f"{field}.format")]


def _income_number(text: str) -> int | Literal["cents"] | None:
    """Whole rupiah from `1500000`, `1.500.000`, `1.500.000,00`, `1,5jt`; 'cents' for sen."""
    if _PLAIN_DIGITS.fullmatch(text):
        return int(text)
    scaled = _SCALED.fullmatch(text)
    if scaled:
        digits, unit = scaled.group(1, 2)
        scale = 10**6 if unit.lower() in ("jt", "juta") else 1000
        if _PLAIN_DIGITS.fullmatch(digits) or _GROUPED.fullmatch(digits):
            return int(re.sub(r"[.,]", "", digits)) * scale
        amount = Fraction(digits.replace(",", ".")) * scale
        return int(amount) if amount.denominator == 1 else "cents"
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    match = _DECIMAL.fullmatch(text)
    if match:
        whole, cents = match.group(1, 2)
        if int(cents):
            return "cents"
        return int(re.sub(r"[.,]", "", whole))
    return None


def read_income(value: object, field: str = "monthly_income") -> Result:
    """Whole rupiah, never negative: `1500000`, `1.500.000`, `Rp 1.500.000`, `1500000.0` in JSON."""
    if isinstance(value, bool):
        return None, [type_problem(field)]
    number: int | Literal["cents"] | None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None, [Problem(field, f"{field}.format")]
        number = int(value) if value.is_integer() else "cents"
    elif isinstance(value, str):
        text = _SPACES.sub("", _INCOME_PREFIX.sub("", value.strip()))
        if text.endswith(",-"):
            text = text[:-2]  # "Rp 1.500.000,-" is how amounts are often written
        number = _income_number(text)
    else:
        return None, [type_problem(field)]
    if number is None:
        return None, [Problem(field, f"{field}.format")]
    if number == "cents":
        return None, [Problem(field, f"{field}.whole_rupiah")]
    if number < 0:
        return None, [Problem(field, f"{field}.negative")]
    if number > MAX_INCOME:
        return None, [Problem(field, f"{field}.too_large")]
    return number, []


def read_line(value: object, field: str, limit: int) -> Result:
    """One line of free text (a street): spaces collapsed, at most `limit` characters."""
    text = as_text(value)
    if text is None:
        return None, [type_problem(field)]
    text = _SPACES.sub(" ", _CONTROL.sub("", text)).strip()
    if not text:
        return None, []
    if len(text) > limit:
        return None, [Problem(field, f"{field}.too_long", {"max": limit, "count": len(text)})]
    return text, []


def read_note(value: object, field: str, limit: int) -> Result:
    """Free text that may keep its line breaks (notes), at most `limit` characters."""
    text = as_text(value)
    if text is None:
        return None, [type_problem(field)]
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    if not text:
        return None, []
    if len(text) > limit:
        return None, [Problem(field, f"{field}.too_long", {"max": limit, "count": len(text)})]
    return text, []
