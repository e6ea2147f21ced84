"""The fixed code lists of the record (occupations, statuses, programs, ...) and the status rules.

Codes are the contract with CSV files, the central API and reports: they never change; the words
an officer reads for them live in the translation table under `label.<list>.<code>`.

Status transitions (`can_transition`):
- `prospect`, `interested` and `declined` move freely among themselves: a person who declined may
  come back, and the officer may correct a mistaken status.
- Any of them may become `enrolled`.
- `enrolled` may become `declined` (the person withdraws before the first payment; cover only
  starts with it), but never goes back to `prospect`/`interested`: an enrollment is not undone
  silently, a withdrawal is recorded with a reason.
- `active` is set only by the central system (`source="central"`), and only from `enrolled`.
- Nothing local moves a record out of `active`; the central system may move it back to `enrolled`
  (an activation it reverses).
- Keeping the same status is always allowed (editing other fields of the record).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal

from outreach_tui.domain.problems import Problem

Source = Literal["local", "central"]


def _labels(kind: str, codes: Iterable[str]) -> Mapping[str, str]:
    return MappingProxyType({code: f"label.{kind}.{code}" for code in codes})


# Occupation code -> translation key of its label, in the order a picker shows them.
OCCUPATIONS: Mapping[str, str] = _labels(
    "occupation",
    (
        "ojol",
        "ojek_pangkalan",
        "kurir",
        "sopir",
        "tukang_becak",
        "pedagang_pasar",
        "pedagang_kaki_lima",
        "pemilik_warung",
        "nelayan",
        "petani",
        "peternak",
        "buruh_harian_lepas",
        "buruh_tani",
        "tukang_bangunan",
        "penjahit",
        "montir",
        "penata_rambut",
        "pengrajin",
        "seniman",
        "lainnya",
    ),
)
# Transport workers: the occupations the PP 50/2025 discount names (see data/rates.toml).
TRANSPORT_OCCUPATIONS: frozenset[str] = frozenset({"ojol", "ojek_pangkalan", "kurir", "sopir"})

DECLINE_REASONS: Mapping[str, str] = _labels(
    "decline_reason",
    (
        "biaya",
        "belum_paham",
        "ragu_manfaat",
        "sudah_terdaftar",
        "tidak_ada_ktp",
        "minta_waktu",
        "tidak_tertarik",
        "lainnya",
    ),
)

STATUSES: tuple[str, ...] = ("prospect", "interested", "enrolled", "declined", "active")
LOCAL_STATUSES: tuple[str, ...] = ("prospect", "interested", "enrolled", "declined")
STATUS_LABELS: Mapping[str, str] = _labels("status", STATUSES)
DEFAULT_STATUS = "prospect"

VISIT_OUTCOMES: Mapping[str, str] = _labels(
    "visit_outcome", ("met", "not_home", "moved", "refused", "janji_bayar")
)
PROMISE_OUTCOME = "janji_bayar"  # promised to pay: the day promised becomes the follow-up

# Groups and events (DOMAIN.md 'Groups and events').
GROUP_KINDS: Mapping[str, str] = _labels(
    "group_kind",
    ("wadah", "koperasi", "umkm", "pasar", "pangkalan_ojek", "komunitas_ojol", "nelayan", "desa",
     "lainnya"),
)  # fmt: skip
EVENT_KINDS: Mapping[str, str] = _labels(
    "event_kind", ("sosialisasi", "follow_up", "pendaftaran_massal")
)

SYNC_STATES: tuple[str, ...] = ("pending", "synced", "duplicate", "conflict", "rejected")

PROGRAMS: Mapping[str, str] = _labels("program", ("JKK", "JKM", "JHT"))
MANDATORY_PROGRAMS: tuple[str, ...] = ("JKK", "JKM")
OPTIONAL_PROGRAMS: tuple[str, ...] = ("JHT",)
# Programs that exist for wage earners but are not open to BPU; named so the message can say so.
NOT_FOR_BPU: frozenset[str] = frozenset({"JP", "JKP"})
PROGRAM_CHOICES: tuple[str, ...] = ("JKK,JKM", "JKK,JKM,JHT")
DEFAULT_PROGRAMS = "JKK,JKM"

PAYMENT_PERIODS: tuple[int, ...] = (1, 3, 6, 12)

_FREE = frozenset({"prospect", "interested", "declined"})
_CODE_SEPARATORS = re.compile(r"[\s\-]+")
_PROGRAM_SEPARATORS = re.compile(r"[\s,;+/&]+")
_NUMBER = re.compile(r"\s*([0-9]{1,4})\s*")
_RT_RW = re.compile(r"\s*(?:r[tw]\.?\s*)?0*([0-9]{1,4})\s*", re.IGNORECASE)


def normalize_code(text: str) -> str:
    """A code as typed (`Pedagang Pasar`, `ojek-pangkalan`) in its canonical lower_snake form."""
    return _CODE_SEPARATORS.sub("_", text.strip().lower())


def normalize_choice(
    text: str, choices: Mapping[str, str], field_name: str
) -> tuple[str | None, list[Problem]]:
    """The code for `text` if it is one of `choices`, else an `<field>.unknown` problem."""
    if not text.strip():
        return None, []
    code = normalize_code(text)
    if code in choices:
        return code, []
    return None, [Problem(field_name, f"{field_name}.unknown")]


def can_transition(old: str | None, new: str, *, source: Source = "local") -> bool:
    """Whether a record may move from status `old` (None: new record) to `new`; see module doc."""
    return transition_problem(old, new, source) is None


def transition_problem(old: str | None, new: str, source: Source = "local") -> Problem | None:
    """Why a status change is not allowed, or None when it is (rules in the module docstring)."""
    if new not in STATUSES:
        return Problem("status", "status.unknown")
    if old == new:
        return None
    if new == "active":
        if source != "central":
            return Problem("status", "status.central_only")
        if old in (None, "enrolled", "active"):
            return None
        return Problem("status", "status.transition", {"old": old, "new": new})
    if old is None or old not in STATUSES:
        return None
    if old in _FREE:
        return None
    if old == "enrolled" and new == "declined":
        return None
    if old == "active" and new == "enrolled" and source == "central":
        return None
    return Problem("status", "status.transition", {"old": old, "new": new})


def normalize_programs(
    text: str, *, field_name: str = "programs"
) -> tuple[str | None, list[Problem]]:
    """`JKK,JKM` or `JKK,JKM,JHT` from any spelling (`jkk jkm jht`, `JHT`); JKK+JKM always in."""
    tokens = [t for t in _PROGRAM_SEPARATORS.split(text.upper()) if t]
    if not tokens:
        return None, []
    problems: list[Problem] = []
    for token in dict.fromkeys(tokens):
        if token in NOT_FOR_BPU:
            problems.append(Problem(field_name, "programs.not_for_bpu", {"program": token}))
        elif token not in PROGRAMS:
            problems.append(Problem(field_name, "programs.unknown"))
    if problems:
        return None, problems
    return ("JKK,JKM,JHT" if "JHT" in tokens else DEFAULT_PROGRAMS), []


def normalize_payment_period(
    value: str | int, *, field_name: str = "payment_period"
) -> tuple[int | None, list[Problem]]:
    """The number of months paid at once (1, 3, 6 or 12)."""
    if isinstance(value, str):
        if not value.strip():
            return None, []
        match = _NUMBER.fullmatch(value)
        number = int(match.group(1)) if match else None
    else:
        number = value
    if number in PAYMENT_PERIODS:
        return number, []
    return None, [Problem(field_name, "payment_period.choice")]


def normalize_rt_rw(value: str | int, field: str) -> tuple[str | None, list[Problem]]:
    """An RT or RW number written with three digits (`1`, `01`, `RT 001` -> `001`); 1..999."""
    if isinstance(value, int):
        number = value
    else:
        if not value.strip():
            return None, []
        match = _RT_RW.fullmatch(value)
        if match is None:
            return None, [Problem(field, f"{field}.format")]
        number = int(match.group(1))
    if not 1 <= number <= 999:
        return None, [Problem(field, f"{field}.range")]
    return f"{number:03d}", []
