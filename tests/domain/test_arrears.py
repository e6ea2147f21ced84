"""Arrears (DOMAIN.md 'Arrears'): unpaid months once due, inactive after three, what is owed at
each month's own rates and discounts."""

from __future__ import annotations

import datetime as dt

import pytest

from outreach_tui.domain.arrears import (
    INACTIVE_AFTER,
    Arrears,
    arrears,
    paid_through_after,
    unpaid_months,
)
from outreach_tui.domain.contributions import due_date, month_cost

FIRST = dt.date(2025, 6, 1)


def _of(paid_through: dt.date | None, today: dt.date, occupation: str = "pedagang") -> Arrears:
    return arrears(paid_through, first_month=FIRST, today=today, monthly_income=2_000_000,
                   programs="JKK,JKM", occupation=occupation)  # fmt: skip


def test_a_month_is_unpaid_only_once_its_due_date_passed() -> None:
    paid = dt.date(2026, 9, 1)
    october_due = due_date(dt.date(2026, 10, 1))
    assert unpaid_months(paid, FIRST, october_due) == []  # due today: not late yet
    late = october_due + dt.timedelta(days=1)
    assert unpaid_months(paid, FIRST, late) == [dt.date(2026, 10, 1)]


def test_inactive_after_three_unpaid_months_and_active_again_after_paying() -> None:
    paid = dt.date(2026, 9, 1)
    two = _of(paid, due_date(dt.date(2026, 11, 1)) + dt.timedelta(days=1))
    assert (two.months_unpaid, two.inactive) == (2, False)
    three = _of(paid, due_date(dt.date(2026, 12, 1)) + dt.timedelta(days=1))
    assert three.months_unpaid == INACTIVE_AFTER and three.inactive
    after = paid_through_after(paid, 3, first_month=FIRST)
    assert after == dt.date(2026, 12, 1)
    assert not _of(after, due_date(dt.date(2026, 12, 1)) + dt.timedelta(days=1)).inactive


def test_nothing_paid_counts_from_the_first_month() -> None:
    today = due_date(dt.date(2025, 8, 1)) + dt.timedelta(days=1)
    owed = _of(None, today)
    assert [m.month for m in owed.owed] == [dt.date(2025, 6, 1), dt.date(2025, 7, 1),
                                            dt.date(2025, 8, 1)]  # fmt: skip
    assert owed.inactive and owed.paid_through is None


def test_what_is_owed_uses_each_months_own_discount() -> None:
    """An ojol driver: the PP 50/2025 transport discount covers 2026-01..2027-03 only."""
    paid = dt.date(2025, 10, 1)
    owed = _of(paid, due_date(dt.date(2026, 2, 1)) + dt.timedelta(days=1), occupation="ojol")
    by_month = {m.month: m.total for m in owed.owed}
    december, january = by_month[dt.date(2025, 12, 1)], by_month[dt.date(2026, 1, 1)]
    assert january < december  # half of JKK and JKM from January 2026
    assert owed.total_owed == sum(by_month.values())
    assert owed.owed[0] == month_cost(dt.date(2025, 11, 1), 2_000_000, "JKK,JKM", "ojol")


def test_a_payment_covers_at_least_one_month() -> None:
    with pytest.raises(ValueError):
        paid_through_after(None, 0, first_month=FIRST)
