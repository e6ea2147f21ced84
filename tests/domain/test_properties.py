"""Properties for any input: nothing raises, every problem speaks, results are stable."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from outreach_tui.domain import codes, i18n
from outreach_tui.domain.contributions import calculate
from outreach_tui.domain.names import name_key, normalize_name
from outreach_tui.domain.nik import make_nik, mask_nik, parse_nik
from outreach_tui.domain.phone import format_phone_national, normalize_phone
from outreach_tui.domain.problems import CODES, Problem
from outreach_tui.domain.record import EXPORT_ONLY_FIELDS, RECORD_FIELDS, validate_record
from outreach_tui.domain.reference import normalize_region_code, search_regions

TODAY = dt.date(2026, 6, 1)

anything = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=10),
)

# Values close to valid ones reach the deeper rules more often than random text does.
PLAUSIBLE: dict[str, list[Any]] = {
    "id": ["0b7c6f3e-2a41-4c52-9d0e-6f1f5a7b8c9d", "0B7C6F3E2A414C529D0E6F1F5A7B8C9D", "x"],
    "full_name": ["Siti", "Ni Komang Ayu", "O'Neil", "Hj. Siti", "Agus 17", " "],
    "nik": ["3201015508950003", "3201011508950001", "3201991508950001", "3201011508950000", "1"],
    "birth_date": ["1995-08-15", "1995-08-16", "15/08/1995", "2030-01-01", "1850-01-01", "x"],
    "sex": ["L", "P", "M", "F", "perempuan", "?"],
    "phone": ["0812-3456-7890", "+62 812 3456 7890", "021 555 1234", "0812"],
    "occupation": ["ojol", "Pedagang Pasar", "kurir", "dokter"],
    "monthly_income": ["1.500.000", "Rp 800.000", 25_000_000, "1,5jt", "-1", 1.5],
    "programs": ["JKK,JKM", "jht", "JP", ["JKK", "JHT"], ""],
    "payment_period": ["1", 3, "12", "2", 6.0],
    "region_code": ["3201011001", "32.01.01.1001", "32.76.01.1006", "32.01", "99.99.99.9999"],
    "rw": ["1", "001", "0", "1000", "RW 2"],
    "rt": ["1", 12, "abc", "999"],
    "street": ["Jl. Mawar No. 3", "x" * 501],
    "status": ["prospect", "interested", "enrolled", "declined", "active", "lost"],
    "decline_reason": ["biaya", "minta_waktu", "mahal"],
    "follow_up_on": ["2026-07-01", "2026-05-01", "besok"],
    "consent": ["ya", "tidak", True, False, "1", "mungkin"],
    "notes": ["catatan\nbaris dua", "x" * 501],
}


def field_value(name: str) -> st.SearchStrategy[Any]:
    return st.one_of(anything, st.sampled_from(PLAUSIBLE.get(name, [None])))


record_dicts = st.fixed_dictionaries(
    {},
    optional={name: field_value(name) for name in (*RECORD_FIELDS, *EXPORT_ONLY_FIELDS)},
)
arbitrary_dicts = st.dictionaries(
    st.one_of(st.sampled_from(RECORD_FIELDS), st.text(max_size=10)), anything, max_size=25
)


def assert_problems_speak(problems: list[Problem]) -> None:
    for p in problems:
        assert p.code in CODES, p.code
        assert p.field in RECORD_FIELDS
        key = p.code if i18n.has_key(p.code) else f"generic.{p.rule}"
        given_params = {"field_label", *p.params, *(f"{k}_label" for k in p.params)}
        for lang in i18n.LANGUAGES:
            template = i18n.table()[key][lang]
            needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            assert needed <= given_params, (p, lang, needed - given_params)
            assert p.message(lang).strip()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(record_dicts, arbitrary_dicts), st.dates(dt.date(1990, 1, 1), dt.date(2200, 1, 1)))
def test_validate_record_never_raises_and_every_problem_speaks(
    raw: dict[Any, Any], today: dt.date
) -> None:
    v = validate_record(raw, today=today)
    assert set(v.record) == {*RECORD_FIELDS, "monthly_contribution"}
    assert_problems_speak(v.errors)
    assert_problems_speak(v.warnings)
    assert v.ok is (not v.errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record_dicts, st.sampled_from([None, *codes.STATUSES]), st.sampled_from(["local", "central"])
)
def test_with_previous_and_source(raw: dict[str, Any], old: str | None, source: str) -> None:
    v = validate_record(raw, today=TODAY, previous={"status": old}, source=source)  # type: ignore[arg-type]
    assert_problems_speak(v.errors + v.warnings)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(record_dicts, arbitrary_dicts))
def test_normalized_record_revalidates_to_itself(raw: dict[Any, Any]) -> None:
    first = validate_record(raw, today=TODAY)
    second = validate_record(first.record, today=TODAY)
    assert second.record == first.record
    if first.ok:
        assert second.ok and second.warnings == first.warnings
        exported = {k: "" if v is None else str(v) for k, v in first.record.items()}
        assert validate_record(exported, today=TODAY).record == first.record


@settings(deadline=None)
@given(
    st.dates(dt.date(1926, 6, 2), TODAY),
    st.sampled_from(["M", "F"]),
    st.sampled_from(["320101", "317101", "337401", "110101", "910101"]),
    st.integers(1, 9999),
)
def test_generated_nik_round_trips(born: dt.date, sex: str, region: str, serial: int) -> None:
    nik = make_nik(born, sex, region=region, serial=f"{serial:04d}")  # type: ignore[arg-type]
    result = parse_nik(nik, today=TODAY)
    assert result.ok, result.errors
    assert (result.birth_date, result.sex, result.nik) == (born, sex, nik)
    assert mask_nik(nik) == nik[:4] + "********" + nik[-4:]
    v = validate_record({"full_name": "Siti", "nik": nik, "consent": True}, today=TODAY)
    assert v.ok
    assert (v.record["birth_date"], v.record["sex"]) == (born.isoformat(), sex)


@settings(deadline=None)
@given(st.text(max_size=40))
def test_small_validators_never_raise(text: str) -> None:
    for problems in (
        parse_nik(text, today=TODAY).errors,
        normalize_phone(text)[1],
        normalize_name(text)[1],
        codes.normalize_programs(text)[1],
        codes.normalize_rt_rw(text, "rt")[1],
        codes.normalize_rt_rw(text, "rw")[1],
        codes.normalize_payment_period(text)[1],
    ):
        assert all(p.code in CODES and p.message() and p.message("en") for p in problems)
    name_key(text)
    format_phone_national(text)
    normalize_region_code(text)
    assert len(search_regions(text, limit=5)) <= 5


@settings(deadline=None)
@given(
    st.sampled_from(["0", "+62", "62", "", "+62 (0)", "0062"]),
    st.integers(10**7, 10**11 - 1),
    st.sampled_from(["", " ", "-", "."]),
)
def test_mobile_numbers_round_trip(prefix: str, rest: int, sep: str) -> None:
    subscriber = f"8{rest}"
    assume(9 <= len(subscriber) <= 12)
    spaced = sep.join([subscriber[:3], subscriber[3:7], subscriber[7:]])
    e164, problems = normalize_phone(prefix + spaced)
    assert problems == [] and e164 == "+62" + subscriber
    assert normalize_phone(format_phone_national(e164)) == (e164, [])


@settings(deadline=None)
@given(
    st.one_of(st.none(), st.integers(0, 10**12)),
    st.sampled_from(codes.PROGRAM_CHOICES),
    st.sampled_from(codes.PAYMENT_PERIODS),
    st.one_of(st.none(), st.sampled_from(list(codes.OCCUPATIONS))),
    st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
)
def test_contribution_invariants(
    income: int | None, programs: str, period: int, occupation: str | None, on: dt.date
) -> None:
    result = calculate(income, programs, period, occupation, on=on)
    full = calculate(income, programs, period, occupation, on=on, state_funded=True)
    assert len(result.months) == period
    assert result.period_total == sum(m.total for m in result.months)
    assert 16_800 // 2 <= result.monthly_total <= full.monthly_total
    assert result.period_total <= full.period_total
    assert all(m.discounts.get("JHT", 0) == 0 for m in result.months)
    assert all(m.due_date >= m.month.replace(day=15) for m in result.months)
    assert result.first_due_date >= on or on.day > 15
