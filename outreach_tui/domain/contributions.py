"""Monthly contributions (iuran) of a BPU member, month by month, from the rules in rates.toml.

Every program's amount is rounded to whole rupiah, half up. A discount is worked out per program
and per contribution month: the discounted amount is the full amount times (100% - discount),
rounded half up, and the discount is the difference. When several discounts cover a month only the
largest applies (regulations do not stack). Contribution months start at the first due month: the
current month when the payment is made by its due day (the 15th), otherwise the next month.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from fractions import Fraction

from outreach_tui.domain import reference
from outreach_tui.domain.codes import DEFAULT_PROGRAMS, PROGRAM_CHOICES
from outreach_tui.domain.rates import BasisRule, Discount, RateTable, rates


@dataclass(frozen=True, slots=True)
class ContributionMonth:
    """What one contribution month costs, and when it is due."""

    month: dt.date
    due_date: dt.date
    amounts: dict[str, int]
    discounts: dict[str, int]
    total: int


@dataclass(frozen=True, slots=True)
class Contribution:
    """The contribution for a payment: per-program monthly amounts and the total for the period."""

    basis: int
    programs: tuple[str, ...]
    amounts: dict[str, int]
    discounts: dict[str, int]
    monthly_total: int
    payment_period: int
    period_total: int
    first_due_date: dt.date
    months: list[ContributionMonth]
    discount_names: tuple[str, ...]
    basis_raised: bool
    basis_capped: bool


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, halves upward (non-negative inputs)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _of(amount: int, percent: Fraction) -> int:
    """`percent`% of `amount`, in whole rupiah."""
    return round_half_up(amount * percent.numerator, percent.denominator * 100)


def month_start(day: dt.date) -> dt.date:
    """The first day of the month `day` falls in."""
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after the month of `month`."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def due_date(month: dt.date, table: RateTable | None = None) -> dt.date:
    """The day a contribution month is due: its due day, moved to the next working day if needed."""
    table = table or rates()
    day = month.replace(day=table.payment_on(month).due_day)
    return reference.next_working_day(day)


def first_due_month(on: dt.date, table: RateTable | None = None) -> dt.date:
    """The first contribution month of a payment on `on`: this month by its due day, else next."""
    table = table or rates()
    this = month_start(on)
    return this if on.day <= table.payment_on(on).due_day else add_months(this, 1)


@functools.lru_cache(maxsize=512)
def _first_due_month(on: dt.date) -> dt.date:
    return first_due_month(on)


def first_due_date(on: dt.date) -> dt.date:
    """When the first contribution is due for a payment or enrollment made on `on`."""
    return due_date(first_due_month(on))


@functools.lru_cache(maxsize=512)
def _basis_rule(day: dt.date) -> BasisRule:
    return rates().basis_on(day)


def income_basis(monthly_income: int | None, on: dt.date) -> tuple[int, bool, bool]:
    """The basis the percentages apply to, and whether it was raised to the minimum or capped."""
    rule = _basis_rule(on)
    if monthly_income is None or monthly_income < rule.min_basis:
        return rule.min_basis, True, False
    if monthly_income > rule.max_basis:
        return rule.max_basis, False, True
    return monthly_income, False, False


def _discount_for(
    table: RateTable, month: dt.date, occupation: str | None, state_funded: bool
) -> Discount | None:
    best: Discount | None = None
    for d in table.discounts_on(month):
        if occupation not in d.occupations or (state_funded and d.excludes_state_funded):
            continue
        if best is None or d.percent > best.percent:
            best = d
    return best


# (program, flat amount or None, percent of the basis, percent kept after the discount or None)
_Plan = tuple[tuple[tuple[str, int | None, Fraction, Fraction | None], ...], str | None]


@functools.lru_cache(maxsize=1024)
def _plan(
    programs: tuple[str, ...], occupation: str | None, month: dt.date, state_funded: bool
) -> _Plan:
    """The rates and discount in force for one month: looked up once, reused for every income."""
    table = rates()
    discount = _discount_for(table, month, occupation, state_funded)
    lines = []
    for code in programs:
        rate = table.program_on(code, month)
        keep = None
        if discount is not None and code in discount.programs:
            keep = 100 - discount.percent
        lines.append((code, rate.flat, rate.percent or Fraction(0), keep))
    return tuple(lines), (discount.name if discount is not None else None)


def _month(basis: int, plan: _Plan) -> list[tuple[str, int, int]]:
    """(program, payable, discount) for one month: the arithmetic, in whole rupiah."""
    lines = []
    for code, flat, percent, keep in plan[0]:
        full = flat if flat is not None else _of(basis, percent)
        payable = full if keep is None else _of(full, keep)
        lines.append((code, payable, full - payable))
    return lines


def _programs(programs: str) -> tuple[str, ...]:
    if programs not in PROGRAM_CHOICES:
        raise ValueError(f"programs must be one of {PROGRAM_CHOICES}, got {programs!r}")
    return tuple(programs.split(","))


def calculate(
    monthly_income: int | None,
    programs: str,
    payment_period: int,
    occupation: str | None,
    *,
    on: dt.date,
    state_funded: bool = False,
) -> Contribution:
    """The contribution for paying `payment_period` months on `on`; validated inputs expected."""
    table = rates()
    codes = _programs(programs or DEFAULT_PROGRAMS)
    if payment_period not in table.payment_on(on).periods:
        raise ValueError(f"payment_period must be one of {table.payment_on(on).periods}")
    first = first_due_month(on, table)
    basis, raised, capped = income_basis(monthly_income, first)
    months: list[ContributionMonth] = []
    names: list[str] = []
    for i in range(payment_period):
        month = add_months(first, i)
        plan = _plan(codes, occupation, month, state_funded)
        lines, name = _month(basis, plan), plan[1]
        if name is not None and name not in names:
            names.append(name)
        months.append(
            ContributionMonth(
                month=month,
                due_date=due_date(month, table),
                amounts={code: payable for code, payable, _ in lines},
                discounts={code: off for code, _, off in lines},
                total=sum(payable for _, payable, _ in lines),
            )
        )
    head = months[0]
    return Contribution(
        basis=basis,
        programs=codes,
        amounts=dict(head.amounts),
        discounts=dict(head.discounts),
        monthly_total=head.total,
        payment_period=payment_period,
        period_total=sum(m.total for m in months),
        first_due_date=head.due_date,
        months=months,
        discount_names=tuple(names),
        basis_raised=raised,
        basis_capped=capped,
    )


def month_cost(
    month: dt.date,
    monthly_income: int | None,
    programs: str,
    occupation: str | None,
    *,
    state_funded: bool = False,
) -> ContributionMonth:
    """What one given contribution month costs (the rates and discounts in force for that
    month), and when it was or is due: the arithmetic of `calculate`, for a month in arrears."""
    table = rates()
    month = month_start(month)
    basis, _, _ = income_basis(monthly_income, month)
    lines = _month(basis, _plan(_programs(programs or DEFAULT_PROGRAMS), occupation, month,
                                state_funded))  # fmt: skip
    return ContributionMonth(
        month=month,
        due_date=due_date(month, table),
        amounts={code: payable for code, payable, _ in lines},
        discounts={code: off for code, _, off in lines},
        total=sum(payable for _, payable, _ in lines),
    )


def monthly_contribution(
    monthly_income: int | None,
    programs: str,
    occupation: str | None,
    *,
    on: dt.date,
    state_funded: bool = False,
) -> int:
    """The first month's total only: what a record shows, without building the whole period."""
    month = _first_due_month(on)
    basis, _, _ = income_basis(monthly_income, month)
    plan = _plan(_programs(programs), occupation, month, state_funded)
    return sum(payable for _, payable, _ in _month(basis, plan))
