"""Contribution amounts, the PP 50/2025 discount window, due dates and the rates data file."""

from __future__ import annotations

import datetime as dt

import pytest

from outreach_tui.domain import contributions
from outreach_tui.domain.contributions import (
    add_months,
    calculate,
    first_due_date,
    monthly_contribution,
    round_half_up,
)
from outreach_tui.domain.rates import parse_rates, rates

D = dt.date


@pytest.mark.parametrize(
    ("income", "programs", "occupation", "on", "amounts", "total"),
    [
        (800_000, "JKK,JKM", "pedagang_pasar", D(2025, 6, 1),
         {"JKK": 10_000, "JKM": 6_800}, 16_800),
        (800_000, "JKK,JKM,JHT", "pedagang_pasar", D(2025, 6, 1),
         {"JKK": 10_000, "JKM": 6_800, "JHT": 20_000}, 36_800),
        (None, "JKK,JKM", None, D(2025, 6, 1), {"JKK": 10_000, "JKM": 6_800}, 16_800),
        (800_000, "JKK,JKM", "ojol", D(2026, 6, 1), {"JKK": 5_000, "JKM": 3_400}, 8_400),
        (800_000, "JKK,JKM,JHT", "ojol", D(2026, 6, 1),
         {"JKK": 5_000, "JKM": 3_400, "JHT": 20_000}, 28_400),
        (3_000_000, "JKK,JKM,JHT", "petani", D(2026, 6, 1),
         {"JKK": 30_000, "JKM": 6_800, "JHT": 60_000}, 96_800),
        (3_000_000, "JKK,JKM,JHT", None, D(2026, 6, 1),
         {"JKK": 30_000, "JKM": 6_800, "JHT": 60_000}, 96_800),
        (50_000_000, "JKK,JKM,JHT", "montir", D(2026, 6, 1),
         {"JKK": 207_000, "JKM": 6_800, "JHT": 414_000}, 627_800),
        (1_234_550, "JKK,JKM", "nelayan", D(2026, 6, 1), {"JKK": 12_346, "JKM": 6_800}, 19_146),
        # Half up after the discount: 12,346 x 50% = 6,173 exactly; 12,345 x 50% = 6,172.5 -> 6,173.
        (1_234_550, "JKK,JKM", "kurir", D(2026, 6, 1), {"JKK": 6_173, "JKM": 3_400}, 9_573),
        (1_234_500, "JKK,JKM", "sopir", D(2026, 6, 1), {"JKK": 6_173, "JKM": 3_400}, 9_573),
    ],
)  # fmt: skip
def test_known_amounts(
    income: int | None,
    programs: str,
    occupation: str | None,
    on: dt.date,
    amounts: dict[str, int],
    total: int,
) -> None:
    result = calculate(income, programs, 1, occupation, on=on)
    assert result.amounts == amounts
    assert result.monthly_total == total == result.period_total
    assert monthly_contribution(income, programs, occupation, on=on) == total


def test_discount_detail() -> None:
    result = calculate(800_000, "JKK,JKM,JHT", 1, "ojol", on=D(2026, 6, 1))
    assert result.discounts == {"JKK": 5_000, "JKM": 3_400, "JHT": 0}
    assert result.discount_names == ("pp50_2025_transport",)
    assert result.basis == 1_000_000 and result.basis_raised and not result.basis_capped


def test_basis_capped() -> None:
    result = calculate(50_000_000, "JKK,JKM", 1, None, on=D(2026, 6, 1))
    assert result.basis == 20_700_000 and result.basis_capped


def test_state_funded_members_get_no_discount() -> None:
    result = calculate(None, "JKK,JKM", 1, "ojol", on=D(2026, 6, 1), state_funded=True)
    assert result.monthly_total == 16_800
    assert result.discount_names == ()


@pytest.mark.parametrize(
    ("on", "month", "discounted"),
    [
        (D(2025, 12, 15), D(2025, 12, 1), False),
        # After the 15th the first contribution month is the next one: January 2026 is discounted.
        (D(2025, 12, 31), D(2026, 1, 1), True),
        (D(2026, 1, 1), D(2026, 1, 1), True),
        (D(2027, 3, 15), D(2027, 3, 1), True),
        (D(2027, 3, 31), D(2027, 4, 1), False),
        (D(2027, 4, 1), D(2027, 4, 1), False),
    ],
)
def test_discount_window_edges(on: dt.date, month: dt.date, discounted: bool) -> None:
    result = calculate(None, "JKK,JKM", 1, "ojol", on=on)
    assert result.months[0].month == month
    assert result.monthly_total == (8_400 if discounted else 16_800)


def test_window_edges_follow_the_data_not_the_code() -> None:
    table = rates()
    (discount,) = table.discounts
    assert (discount.valid_from, discount.valid_to) == (D(2026, 1, 1), D(2027, 3, 31))
    assert discount.occupations == {"ojol", "ojek_pangkalan", "kurir", "sopir"}
    assert discount.programs == {"JKK", "JKM"}
    assert table.discounts_on(D(2025, 12, 31)) == ()
    assert table.discounts_on(D(2026, 1, 1)) == (discount,)
    assert table.discounts_on(D(2027, 3, 31)) == (discount,)
    assert table.discounts_on(D(2027, 4, 1)) == ()


def test_period_straddling_the_window_end() -> None:
    result = calculate(None, "JKK,JKM,JHT", 12, "ojol", on=D(2026, 12, 1))
    assert [m.month for m in result.months] == [add_months(D(2026, 12, 1), i) for i in range(12)]
    discounted = [m.month for m in result.months if m.discounts["JKK"]]
    assert discounted == [D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1)]
    assert result.period_total == 4 * 28_400 + 8 * 36_800
    assert result.monthly_total == 28_400


def test_period_starting_before_the_window() -> None:
    result = calculate(None, "JKK,JKM", 3, "ojek_pangkalan", on=D(2025, 11, 20))
    assert [m.total for m in result.months] == [16_800, 8_400, 8_400]
    assert result.period_total == 33_600


@pytest.mark.parametrize(
    ("on", "due"),
    [
        (D(2026, 6, 1), D(2026, 6, 15)),  # Monday
        (D(2026, 6, 15), D(2026, 6, 15)),
        (D(2026, 6, 16), D(2026, 7, 15)),
        (D(2026, 3, 2), D(2026, 3, 16)),  # 15 March 2026 is a Sunday
        (D(2026, 8, 1), D(2026, 8, 18)),  # Saturday 15th, then 17 August (Proklamasi)
        (D(2026, 1, 20), D(2026, 2, 18)),  # Sunday 15th, then Imlek cuti bersama and holiday
        (D(2027, 3, 10), D(2027, 3, 16)),  # Monday 15 March 2027 is cuti bersama Idulfitri
        (D(2026, 12, 31), D(2027, 1, 15)),
    ],
)
def test_first_due_date(on: dt.date, due: dt.date) -> None:
    assert first_due_date(on) == due
    assert calculate(None, "JKK,JKM", 1, None, on=on).first_due_date == due


def test_every_month_has_its_due_date() -> None:
    result = calculate(None, "JKK,JKM", 12, None, on=D(2027, 1, 1))
    may = next(m for m in result.months if m.month == D(2027, 5, 1))
    assert may.due_date == D(2027, 5, 21)  # Iduladha and Waisak after a Saturday 15th


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"programs": "JKK"}, ValueError),
        ({"programs": "JKK,JKM,JP"}, ValueError),
        ({"payment_period": 2}, ValueError),
    ],
)
def test_invalid_arguments_raise(kwargs: dict[str, object], error: type[Exception]) -> None:
    args: dict[str, object] = {
        "monthly_income": 1_000_000,
        "programs": "JKK,JKM",
        "payment_period": 1,
        "occupation": None,
    }
    args.update(kwargs)
    with pytest.raises(error):
        calculate(**args, on=D(2026, 6, 1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "d", "expected"), [(5, 10, 1), (4, 10, 0), (15, 10, 2), (25, 10, 3), (0, 7, 0)]
)
def test_round_half_up(n: int, d: int, expected: int) -> None:
    assert round_half_up(n, d) == expected


def test_rates_data() -> None:
    table = rates()
    on = D(2026, 6, 1)
    basis = table.basis_on(on)
    assert (basis.min_basis, basis.max_basis, basis.max_confirmed) == (1_000_000, 20_700_000, False)
    assert table.program_on("JKM", on).flat == 6_800
    assert table.program_on("JKK", on).percent == 1
    assert table.program_on("JHT", on).percent == 2
    payment = table.payment_on(on)
    assert (payment.due_day, payment.periods, payment.max_months_unpaid) == (15, (1, 3, 6, 12), 3)
    eligibility = table.eligibility_on(on)
    assert (eligibility.max_age, eligibility.max_age_confirmed, eligibility.min_age) == (
        65,
        False,
        15,
    )


def test_other_sector_window_is_not_in_the_data() -> None:
    assert all(d.valid_from != D(2026, 4, 1) for d in rates().discounts)
    assert (
        contributions.calculate(None, "JKK,JKM", 1, "petani", on=D(2026, 6, 1)).monthly_total
        == 16_800
    )


def test_newer_entries_replace_older_ones() -> None:
    text = """
[[basis]]
valid_from = 2000-01-01
min = 1_000_000
max = 20_000_000
[[basis]]
valid_from = 2027-01-01
min = 1_200_000
max = 20_000_000
[[program]]
code = "JKK"
valid_from = 2000-01-01
percent = "0.5"
[[program]]
code = "JKM"
valid_from = 2000-01-01
flat = 6800
[[payment]]
valid_from = 2000-01-01
due_day = 15
periods = [1]
max_months_unpaid = 3
[[eligibility]]
valid_from = 2000-01-01
max_age = 65
min_age = 15
"""
    table = parse_rates(text)
    assert table.basis_on(D(2026, 12, 31)).min_basis == 1_000_000
    assert table.basis_on(D(2027, 1, 1)).min_basis == 1_200_000
    assert table.program_on("JKK", D(2026, 1, 1)).percent == pytest.approx(0.5)


@pytest.mark.parametrize(
    "broken",
    [
        "",
        "[[basis]]\nvalid_from = 2000-01-01\nmin = -1\nmax = 2\n",
        "[[basis]]\nvalid_from = 'soon'\nmin = 1\nmax = 2\n",
        "[[basis]]\nvalid_from = 2001-01-01\nvalid_to = 2000-01-01\nmin = 1\nmax = 2\n",
    ],
)
def test_broken_rates_are_refused_with_a_reason(broken: str) -> None:
    with pytest.raises(ValueError, match=r"rates\.toml"):
        parse_rates(broken)
