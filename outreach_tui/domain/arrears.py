"""Arrears: how many contribution months a participant has not paid, what they cost, and
whether the participant is inactive (DOMAIN.md 'Arrears').

A month is unpaid once its due date has passed and the participant's payments do not reach
it (`paid_through`, the last month paid). After `INACTIVE_AFTER` unpaid months the participant
is inactive; a payment makes them active again (no late fine for BPU). What is owed is each
unpaid month at the rates and discounts in force for that month (`contributions.month_cost`).
Only the central side decides `inactive`; the laptop shows what it was told and computes what
is owed to say it at the door.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from outreach_tui.domain.contributions import (
    ContributionMonth,
    add_months,
    due_date,
    month_cost,
    month_start,
)

INACTIVE_AFTER = 3  # unpaid months
MAX_LISTED = 120  # months owed listed at most (ten years); older ones are counted, not priced


@dataclass(frozen=True, slots=True)
class Arrears:
    """A participant's arrears on one day."""

    paid_through: dt.date | None  # the last month paid (its first day); None: nothing paid
    months_unpaid: int
    inactive: bool
    owed: tuple[ContributionMonth, ...]  # the unpaid months, oldest first (at most MAX_LISTED)

    @property
    def total_owed(self) -> int:
        return sum(month.total for month in self.owed)


def unpaid_months(
    paid_through: dt.date | None, first_month: dt.date, today: dt.date
) -> list[dt.date]:
    """The months after `paid_through` (or from `first_month` when nothing was paid) whose due
    date has passed on `today`, oldest first."""
    month = add_months(month_start(paid_through), 1) if paid_through else month_start(first_month)
    months: list[dt.date] = []
    while due_date(month) < today:
        months.append(month)
        month = add_months(month, 1)
    return months


def arrears(
    paid_through: dt.date | None,
    *,
    first_month: dt.date,
    today: dt.date,
    monthly_income: int | None,
    programs: str,
    occupation: str | None,
    state_funded: bool = False,
) -> Arrears:
    """The arrears of a participant whose first contribution month is `first_month`."""
    months = unpaid_months(paid_through, first_month, today)
    owed = tuple(
        month_cost(m, monthly_income, programs, occupation, state_funded=state_funded)
        for m in months[-MAX_LISTED:]
    )
    return Arrears(
        paid_through=month_start(paid_through) if paid_through else None,
        months_unpaid=len(months),
        inactive=len(months) >= INACTIVE_AFTER,
        owed=owed,
    )


def paid_through_after(
    paid_through: dt.date | None, months: int, *, first_month: dt.date
) -> dt.date:
    """The last month paid after paying `months` more months (in order, oldest unpaid first)."""
    if months < 1:
        raise ValueError("a payment covers at least one month")
    start = add_months(month_start(paid_through), 1) if paid_through else month_start(first_month)
    return add_months(start, months - 1)
