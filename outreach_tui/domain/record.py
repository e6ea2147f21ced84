"""The record of one person met in the field: the one set of validation rules for every entry point.

Forms, CSV import, JSON import and the central API all call `validate_record`, so a record means
the same everywhere. It never raises: whatever comes in, the answer is a normalized record plus
errors (the record must not be stored) and warnings (stored, worth a second look). Validating the
normalized record again gives the same record (idempotence), so an export re-imports unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from outreach_tui.domain import codes, contributions, fields, reference
from outreach_tui.domain.names import normalize_name
from outreach_tui.domain.nik import NikResult, age_on, parse_nik
from outreach_tui.domain.phone import normalize_phone
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.rates import rates

RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "phone",
    "occupation",
    "monthly_income",
    "programs",
    "payment_period",
    "region_code",
    "rw",
    "rt",
    "street",
    "status",
    "decline_reason",
    "follow_up_on",
    "consent",
    "notes",
)
EXPORT_ONLY_FIELDS: tuple[str, ...] = (
    "monthly_contribution",
    "kpj_number",
    "sync_state",
    "officer_id",
    "created_at",
    "updated_at",
    "consent_at",
    "consent_by",
    "consent_version",
    "purged_at",
)
MAX_STREET_LENGTH = 500
MAX_NOTES_LENGTH = 500
# Nobody alive was born this many years ago: an older birth date is a typing slip.
MAX_AGE_YEARS = 120


@dataclass(slots=True)
class Validation:
    """A normalized record with errors (do not store) and warnings (store, take a second look)."""

    record: dict[str, Any]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the record may be stored (warnings allowed)."""
        return not self.errors


def _text_reader(
    normalize: Callable[[str], tuple[Any, list[Problem]]], name: str
) -> Callable[[object], tuple[Any, list[Problem]]]:
    def read(value: object) -> tuple[Any, list[Problem]]:
        text = fields.as_text(value)
        if text is None:
            return None, [fields.type_problem(name)]
        return normalize(text)

    return read


def _read_programs(value: object) -> tuple[Any, list[Problem]]:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        value = ",".join(value)
    if not isinstance(value, str):
        return None, [fields.type_problem("programs")]
    return codes.normalize_programs(value)


def _read_period(value: object) -> tuple[Any, list[Problem]]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, [fields.type_problem("payment_period")]
    return codes.normalize_payment_period(value)


def _read_rt_rw(name: str) -> Callable[[object], tuple[Any, list[Problem]]]:
    def read(value: object) -> tuple[Any, list[Problem]]:
        if isinstance(value, bool) or not isinstance(value, str | int):
            return None, [fields.type_problem(name)]
        return codes.normalize_rt_rw(value, name)

    return read


def read_region(
    value: object, *, lowest: int = 4, too_wide: str = "region_code.not_village"
) -> tuple[Any, list[Problem]]:
    """A region code that exists, at level `lowest` or below (4: a desa, as a record's area;
    a group may cover a kecamatan or a kabupaten; 1: any region), or the problems."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, [fields.type_problem("region_code")]
    code = reference.normalize_region_code(value)
    if code is None:
        return None, [Problem("region_code", "region_code.format")]
    if not reference.region_exists(code):
        return None, [Problem("region_code", "region_code.unknown")]
    if reference.level_of(code) < lowest:
        return None, [Problem("region_code", too_wide)]
    return code, []


def _read_status(value: object) -> tuple[Any, list[Problem]]:
    text = fields.as_text(value)
    if text is None:
        return None, [fields.type_problem("status")]
    code = codes.normalize_code(text)
    if code in codes.STATUSES:
        return code, []
    return None, [Problem("status", "status.unknown")]


_Reader = Callable[[object], tuple[Any, Sequence[Problem]]]


def _memo(read: _Reader) -> _Reader:
    """`read` with a cache for text and number values: CSV rows repeat the same codes."""

    @functools.lru_cache(maxsize=4096, typed=True)
    def cached(value: str | int) -> tuple[Any, tuple[Problem, ...]]:
        result, problems = read(value)
        return result, tuple(problems)  # results are immutable, so sharing them is safe

    def reader(value: object) -> tuple[Any, Sequence[Problem]]:
        if isinstance(value, str | int):
            return cached(value)
        return read(value)

    _TEXT_CACHES[reader] = cached
    return reader


# The cache behind each _memo() reader: _read_fields() calls it directly for text values.
_TEXT_CACHES: dict[_Reader, _Reader] = {}


# One reader per field; `nik` is read apart because it needs `today` and feeds other fields.
_READERS: dict[str, _Reader] = {
    "id": fields.read_uuid,
    "full_name": _text_reader(normalize_name, "full_name"),
    "birth_date": _memo(lambda v: fields.read_date(v, "birth_date")),
    "sex": _memo(fields.read_sex),
    "phone": _text_reader(normalize_phone, "phone"),
    "occupation": _memo(
        _text_reader(
            lambda t: codes.normalize_choice(t, codes.OCCUPATIONS, "occupation"), "occupation"
        )
    ),
    "monthly_income": fields.read_income,
    "programs": _memo(_read_programs),
    "payment_period": _memo(_read_period),
    "region_code": _memo(read_region),
    "rw": _memo(_read_rt_rw("rw")),
    "rt": _memo(_read_rt_rw("rt")),
    "street": lambda v: fields.read_line(v, "street", MAX_STREET_LENGTH),
    "status": _memo(_read_status),
    "decline_reason": _memo(
        _text_reader(
            lambda t: codes.normalize_choice(t, codes.DECLINE_REASONS, "decline_reason"),
            "decline_reason",
        )
    ),
    "follow_up_on": _memo(lambda v: fields.read_date(v, "follow_up_on")),
    "consent": _memo(lambda v: fields.read_bool(v, "consent")),
    "notes": lambda v: fields.read_note(v, "notes", MAX_NOTES_LENGTH),
}


class _Check:
    """The state of one validation: the record being built and what was found so far."""

    __slots__ = ("bad", "errors", "record", "warnings")

    def __init__(self) -> None:
        self.record: dict[str, Any] = dict.fromkeys(RECORD_FIELDS)
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.bad: set[str] = set()

    def error(self, problem: Problem) -> None:
        """Record an error and remember its field, so later rules do not pile on the same field."""
        self.errors.append(problem)
        self.bad.add(problem.field)


# (field, reader for any value, reader for text): the text reader skips _memo's type check.
# Split around `nik` so that problems come in RECORD_FIELDS order, as they always have.
_NIK_AT = RECORD_FIELDS.index("nik")
_BEFORE_NIK, _AFTER_NIK = (
    tuple((name, _READERS[name], _TEXT_CACHES.get(_READERS[name], _READERS[name])) for name in part)
    for part in (RECORD_FIELDS[:_NIK_AT], RECORD_FIELDS[_NIK_AT + 1 :])
)


def _read_fields(raw: Mapping[Any, object], check: _Check, today: dt.date) -> NikResult | None:
    """Reads every field on its own; returns the parsed NIK for the cross-field rules."""
    get = raw.get
    _read_plain(get, _BEFORE_NIK, check)
    nik: NikResult | None = None
    value = get("nik")
    if not (value is None or (isinstance(value, str) and (not value or value.isspace()))):
        text = fields.as_text(value)
        if text is None:
            check.error(fields.type_problem("nik"))
        else:
            nik = parse_nik(text, today=today)
            for p in nik.errors:
                check.error(p)
            check.warnings.extend(nik.warnings)
            check.record["nik"] = nik.nik if nik.ok else None
    _read_plain(get, _AFTER_NIK, check)
    return nik if nik is not None and nik.ok else None


def _read_plain(
    get: Callable[[str], object],
    readers: tuple[tuple[str, _Reader, _Reader], ...],
    check: _Check,
) -> None:
    """Read the fields of ``readers`` into the record; blank values are skipped."""
    record = check.record
    for name, read, read_text in readers:
        value = get(name)
        if value is None:
            continue
        if type(value) is str:
            if not value or value.isspace():
                continue
            result, problems = read_text(value)
        elif isinstance(value, str) and (not value or value.isspace()):
            continue
        else:
            result, problems = read(value)
        record[name] = result
        for p in problems:
            check.error(p)


def _identity(check: _Check, nik: NikResult | None, today: dt.date, age_limit: int | None) -> None:
    """Name, NIK, consent, birth date and sex: what the NIK says must agree with what was typed."""
    rec = check.record
    if rec["full_name"] is None and "full_name" not in check.bad:
        check.error(Problem("full_name", "full_name.required"))
    if rec["consent"] is None:
        rec["consent"] = False
    born = rec["birth_date"]
    if isinstance(born, dt.date):
        if born > today:
            check.error(Problem("birth_date", "birth_date.future"))
            rec["birth_date"] = None
        elif age_on(born, today) > MAX_AGE_YEARS:
            check.error(Problem("birth_date", "birth_date.range", {"max": MAX_AGE_YEARS}))
            rec["birth_date"] = None
    if nik is not None and nik.birth_date is not None:
        if not rec["consent"]:
            check.error(Problem("nik", "nik.consent_required"))
            rec["nik"] = None
        born, sex = rec["birth_date"], rec["sex"]
        if born is not None and born != nik.birth_date:
            check.error(Problem("birth_date", "birth_date.mismatch_nik"))
        if sex is not None and sex != nik.sex:
            check.error(Problem("sex", "sex.mismatch_nik"))
        if rec["nik"] is not None:
            rec["birth_date"] = born or nik.birth_date
            rec["sex"] = sex or nik.sex
    born = rec["birth_date"]
    if isinstance(born, dt.date):
        try:
            rule = rates().eligibility_on(today)
        except LookupError:
            return
        limit = rule.max_age if age_limit is None else age_limit
        age = age_on(born, today)
        if age > limit:
            check.warnings.append(
                Problem("birth_date", "birth_date.age_above_limit", {"max": limit})
            )
        elif age < rule.min_age:
            check.warnings.append(
                Problem("birth_date", "birth_date.age_below_min", {"min": rule.min_age})
            )


def _status(check: _Check, previous: Mapping[Any, object] | None, source: codes.Source) -> None:
    """Status rules: who may set it, where it may move from, and what each status needs."""
    rec = check.record
    if "status" in check.bad:
        rec["status"] = codes.DEFAULT_STATUS
        return
    status = rec["status"] = rec["status"] or codes.DEFAULT_STATUS
    old = previous.get("status") if previous is not None else None
    problem = codes.transition_problem(old if isinstance(old, str) else None, status, source)
    if problem is not None:
        check.error(problem)
    if status in ("enrolled", "active"):
        if rec["nik"] is None and "nik" not in check.bad:
            check.error(Problem("nik", "nik.required", {"status": status}))
            if not rec["consent"]:
                check.error(Problem("consent", "consent.required"))
        rec["programs"] = rec["programs"] or codes.DEFAULT_PROGRAMS
        rec["payment_period"] = rec["payment_period"] or 1
    if status == "declined":
        if rec["decline_reason"] is None and "decline_reason" not in check.bad:
            check.error(Problem("decline_reason", "decline_reason.required"))
    elif rec["decline_reason"] is not None:
        check.error(Problem("decline_reason", "decline_reason.not_declined", {"new": status}))


def _warnings(check: _Check, nik: NikResult | None, today: dt.date) -> None:
    """Things worth a second look that never block saving."""
    rec = check.record
    region = rec["region_code"]
    if nik is not None and region is not None and nik.regency_code != region[:5]:
        check.warnings.append(Problem("nik", "nik.region_mismatch"))
    follow_up = rec["follow_up_on"]
    if isinstance(follow_up, dt.date) and follow_up < today:
        check.warnings.append(Problem("follow_up_on", "follow_up_on.past"))
    income = rec["monthly_income"]
    if income is not None:
        try:
            top = rates().basis_on(today).max_basis
        except LookupError:
            return
        if income > top:
            shown = f"{top:,}".replace(",", ".")
            check.warnings.append(
                Problem("monthly_income", "monthly_income.above_max_basis", {"max": shown})
            )


def validate_record(
    raw: Mapping[Any, object],
    *,
    today: dt.date,
    previous: Mapping[Any, object] | None = None,
    source: codes.Source = "local",
    age_limit: int | None = None,
) -> Validation:
    """Normalizes and checks one record from any entry point; never raises (see the module doc).

    `previous` is the stored version (its status bounds the transition); `source="central"` allows
    the statuses only the central system sets; `age_limit` overrides the configured age warning.
    """
    check = _Check()
    nik = _read_fields(raw, check, today)
    _identity(check, nik, today, age_limit)
    _status(check, previous, "central" if source == "central" else "local")
    _warnings(check, nik, today)
    rec = check.record
    for name in ("birth_date", "follow_up_on"):
        if isinstance(rec[name], dt.date):
            rec[name] = rec[name].isoformat()
    rec["monthly_contribution"] = None
    if rec["programs"] is not None:
        # No rates in force on `today` (before the table, or past year 9999): nothing to show.
        with contextlib.suppress(LookupError, ValueError):
            rec["monthly_contribution"] = contributions.monthly_contribution(
                rec["monthly_income"], rec["programs"], rec["occupation"], on=today
            )
    return Validation(record=rec, errors=check.errors, warnings=check.warnings)
