"""NIK and KK numbers: structure checks, and the birth date, sex and issuing region a NIK encodes.

A NIK is `PP KK CC DDMMYY SSSS`: the region where it was first issued (not the current address),
the birth date with 40 added to the day for women, and a serial. Structure checks cannot prove a
NIK is registered at Dukcapil; they reject numbers that cannot be one and catch typing slips.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from outreach_tui.domain import reference
from outreach_tui.domain.problems import Problem

Sex = Literal["M", "F"]

_SEPARATORS = re.compile(r"[\s.\-]+")
_SIXTEEN = re.compile(r"[0-9]{16}")
_DIGITS = re.compile(r"[0-9]+")
MAX_AGE = 100


@dataclass(slots=True)
class NikResult:
    """What a NIK says about its holder, plus what is wrong with it (errors) or odd (warnings)."""

    nik: str | None = None
    birth_date: dt.date | None = None
    sex: Sex | None = None
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    province_name: str | None = None
    regency_name: str | None = None
    district_name: str | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the NIK has no errors (warnings allowed)."""
        return not self.errors


def clean_digits(text: str) -> str:
    """The text without the spaces, dots and dashes people type inside long numbers."""
    return _SEPARATORS.sub("", text)


def age_on(birth: dt.date, today: dt.date) -> int:
    """Completed years of age on `today` (negative when `birth` is after `today`)."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def birth_date_from(yy: int, month: int, day: int, today: dt.date) -> dt.date | None:
    """The real date with this two-digit year that gives an age of 0..100 on `today`, or None."""
    century = today.year - today.year % 100
    for start in (century, century - 100):
        try:
            born = dt.date(start + yy, month, day)
        except ValueError:
            continue
        if born <= today and age_on(born, today) <= MAX_AGE:
            return born
    return None


def parse_nik(text: str, *, today: dt.date, field_name: str = "nik") -> NikResult:
    """Checks a NIK by its structure and reads the birth date, sex and issuing region from it."""
    result = NikResult()
    digits = clean_digits(str(text))
    if not _SIXTEEN.fullmatch(digits):
        if _DIGITS.fullmatch(digits) or not digits:
            result.errors.append(Problem(field_name, "nik.length", {"count": len(digits)}))
        else:
            result.errors.append(Problem(field_name, "nik.format"))
        return result
    result.nik = digits
    pp, kk, cc = digits[0:2], digits[2:4], digits[4:6]
    result.province_code = pp
    result.regency_code = f"{pp}.{kk}"
    result.district_code = f"{pp}.{kk}.{cc}"

    province = reference.province_name(pp)
    if province is None:
        result.errors.append(Problem(field_name, "nik.province"))
    else:
        result.province_name = province
    if kk == "00" or cc == "00":
        result.errors.append(Problem(field_name, "nik.region_zero"))
    elif province is not None:
        result.regency_name = reference.region_name(result.regency_code)
        result.district_name = reference.region_name(result.district_code)
        if result.regency_name is None or result.district_name is None:
            # A NIK keeps the code it was issued with, and codes change when regions split.
            result.warnings.append(Problem(field_name, "nik.region_unknown"))

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex: Sex = "M"
    if day > 40:
        sex, day = "F", day - 40
    born = birth_date_from(yy, month, day, today) if day >= 1 else None
    if born is None:
        result.errors.append(Problem(field_name, "nik.date"))
    else:
        result.birth_date = born
        result.sex = sex

    if digits[12:] == "0000":
        result.errors.append(Problem(field_name, "nik.serial"))
    return result


def mask_nik(text: str) -> str:
    """The NIK with only its first and last four digits showing, for lists and printed slips."""
    digits = clean_digits(str(text))
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def normalize_kk(text: str, *, field_name: str = "kk") -> tuple[str | None, list[Problem]]:
    """The 16 digits of a family card (KK) number, or the problems that make it unusable."""
    digits = clean_digits(str(text))
    if not digits:
        return None, []
    if not _DIGITS.fullmatch(digits):
        return None, [Problem(field_name, "kk.format")]
    if len(digits) != 16:
        return None, [Problem(field_name, "kk.length", {"count": len(digits)})]
    if reference.province_name(digits[:2]) is None:
        return None, [Problem(field_name, "kk.province")]
    return digits, []


def make_nik(birth_date: dt.date, sex: Sex, *, region: str = "320101", serial: str = "0001") -> str:
    """A structurally valid NIK for a birth date and sex (test data and demos, not real people)."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial}"
