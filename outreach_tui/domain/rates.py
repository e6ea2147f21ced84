"""The contribution rules of `data/rates.toml`, typed and looked up by the date they apply to.

Amounts and dates change by regulation; keeping them in one dated data file lets a branch update a
figure without touching code, and lets past months still compute with the figures of their time.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any, TypeVar


@dataclass(frozen=True, slots=True)
class BasisRule:
    """The income basis limits: below `min_basis` uses it, above `max_basis` is capped."""

    valid_from: dt.date
    valid_to: dt.date | None
    min_basis: int
    max_basis: int
    max_confirmed: bool


@dataclass(frozen=True, slots=True)
class ProgramRate:
    """One program's monthly amount: a percentage of the basis or a flat amount."""

    valid_from: dt.date
    valid_to: dt.date | None
    code: str
    percent: Fraction | None
    flat: int | None


@dataclass(frozen=True, slots=True)
class Discount:
    """A regulated discount on some programs for some occupations during a window."""

    valid_from: dt.date
    valid_to: dt.date | None
    name: str
    regulation: str
    percent: Fraction
    programs: frozenset[str]
    occupations: frozenset[str]
    excludes_state_funded: bool
    confirmed: bool


@dataclass(frozen=True, slots=True)
class PaymentRule:
    """When contributions fall due and how many months may be paid at once."""

    valid_from: dt.date
    valid_to: dt.date | None
    due_day: int
    periods: tuple[int, ...]
    max_months_unpaid: int


@dataclass(frozen=True, slots=True)
class EligibilityRule:
    """Ages that earn a warning (never a rejection): the limits are not settled in regulation."""

    valid_from: dt.date
    valid_to: dt.date | None
    min_age: int
    max_age: int
    max_age_confirmed: bool


_Rule = TypeVar("_Rule", BasisRule, ProgramRate, Discount, PaymentRule, EligibilityRule)


def _covers(rule: Any, day: dt.date) -> bool:
    return bool(rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to))


def _latest(rules: Sequence[_Rule], day: dt.date, what: str) -> _Rule:
    """The entry in force on `day`: the newest `valid_from` among those covering it."""
    best: _Rule | None = None
    for rule in rules:
        if _covers(rule, day) and (best is None or rule.valid_from > best.valid_from):
            best = rule
    if best is None:
        raise LookupError(f"rates.toml has no {what} in force on {day.isoformat()}")
    return best


@dataclass(frozen=True, slots=True)
class RateTable:
    """All contribution rules, each with its validity dates."""

    basis: tuple[BasisRule, ...]
    programs: tuple[ProgramRate, ...]
    discounts: tuple[Discount, ...]
    payment: tuple[PaymentRule, ...]
    eligibility: tuple[EligibilityRule, ...]

    def basis_on(self, day: dt.date) -> BasisRule:
        """The basis limits in force on `day`."""
        return _latest(self.basis, day, "[[basis]]")

    def program_on(self, code: str, day: dt.date) -> ProgramRate:
        """The rate of program `code` in force on `day`."""
        return _latest([p for p in self.programs if p.code == code], day, f"[[program]] {code}")

    def discounts_on(self, day: dt.date) -> tuple[Discount, ...]:
        """The discounts whose window covers `day` (possibly none)."""
        return tuple(d for d in self.discounts if _covers(d, day))

    def payment_on(self, day: dt.date) -> PaymentRule:
        """The payment rule (due day, periods) in force on `day`."""
        return _latest(self.payment, day, "[[payment]]")

    def eligibility_on(self, day: dt.date) -> EligibilityRule:
        """The age limits for warnings in force on `day`."""
        return _latest(self.eligibility, day, "[[eligibility]]")


def _date(entry: Mapping[str, Any], key: str, required: bool = True) -> dt.date | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"rates.toml: {key} must be a date (YYYY-MM-DD), got {value!r}")
    return value


def _int(entry: Mapping[str, Any], key: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"rates.toml: {key} must be a whole non-negative number, got {value!r}")
    return value


def _percent(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"rates.toml: percent must be a number, got {value!r}")
    result = Fraction(str(value))
    if not 0 <= result <= 100:
        raise ValueError(f"rates.toml: percent must be between 0 and 100, got {value!r}")
    return result


def _period(entry: Mapping[str, Any]) -> dict[str, Any]:
    start = _date(entry, "valid_from")
    end = _date(entry, "valid_to", required=False)
    if start is not None and end is not None and end < start:
        raise ValueError(f"rates.toml: valid_to {end} is before valid_from {start}")
    return {"valid_from": start, "valid_to": end}


def _basis(e: Mapping[str, Any]) -> BasisRule:
    return BasisRule(
        **_period(e),
        min_basis=_int(e, "min"),
        max_basis=_int(e, "max"),
        max_confirmed=bool(e.get("max_confirmed", True)),
    )


def _program(e: Mapping[str, Any]) -> ProgramRate:
    percent = e.get("percent")
    flat = e.get("flat")
    if (percent is None) == (flat is None):
        raise ValueError(
            f"rates.toml: program {e.get('code')!r} needs exactly one of percent, flat"
        )
    return ProgramRate(
        **_period(e),
        code=str(e["code"]),
        percent=None if percent is None else _percent(percent),
        flat=None if flat is None else _int(e, "flat"),
    )


def _discount(e: Mapping[str, Any]) -> Discount:
    return Discount(
        **_period(e),
        name=str(e["name"]),
        regulation=str(e.get("regulation", "")),
        percent=_percent(e["percent"]),
        programs=frozenset(map(str, e["programs"])),
        occupations=frozenset(map(str, e["occupations"])),
        excludes_state_funded=bool(e.get("excludes_state_funded", True)),
        confirmed=bool(e.get("confirmed", True)),
    )


def _payment(e: Mapping[str, Any]) -> PaymentRule:
    periods = tuple(int(p) for p in e["periods"])
    due_day = _int(e, "due_day")
    if not 1 <= due_day <= 28:
        raise ValueError(f"rates.toml: due_day must be 1..28, got {due_day}")
    return PaymentRule(
        **_period(e),
        due_day=due_day,
        periods=periods,
        max_months_unpaid=_int(e, "max_months_unpaid"),
    )


def _eligibility(e: Mapping[str, Any]) -> EligibilityRule:
    return EligibilityRule(
        **_period(e),
        min_age=_int(e, "min_age"),
        max_age=_int(e, "max_age"),
        max_age_confirmed=bool(e.get("max_age_confirmed", True)),
    )


def _entries(
    data: Mapping[str, Any], key: str, make: Callable[[Mapping[str, Any]], _Rule]
) -> tuple[_Rule, ...]:
    entries = data.get(key, [])
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"rates.toml: at least one [[{key}]] entry is required")
    try:
        return tuple(make(e) for e in entries)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"rates.toml: [[{key}]] entry is missing or mistyped: {exc}") from exc


def parse_rates(text: str) -> RateTable:
    """A rate table from TOML text shaped like data/rates.toml; ValueError says what is wrong."""
    data = tomllib.loads(text)
    return RateTable(
        basis=_entries(data, "basis", _basis),
        programs=_entries(data, "program", _program),
        discounts=tuple(_discount(e) for e in data.get("discount", [])),
        payment=_entries(data, "payment", _payment),
        eligibility=_entries(data, "eligibility", _eligibility),
    )


@functools.cache
def rates() -> RateTable:
    """The rate table shipped with the package, read once."""
    source = resources.files(__name__.rpartition(".")[0]).joinpath("data").joinpath("rates.toml")
    return parse_rates(source.read_text(encoding="utf-8"))
