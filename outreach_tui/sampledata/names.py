"""Indonesian names for sample data, by region and tradition, matched to sex and age.

The tables are in name_tables.py; this module combines them into full names.
"""

from __future__ import annotations

import random

from outreach_tui.sampledata.name_tables import (
    _ABDUL,
    _BALI_F,
    _BALI_M,
    _BALI_ORDER_F,
    _BALI_ORDER_M,
    _BALI_TITLE_F,
    _BALI_TITLE_M,
    _BATAK_F,
    _BATAK_M,
    _BUGIS_F,
    _BUGIS_F2,
    _BUGIS_M,
    _BUGIS_M2,
    _CHINESE_F,
    _CHINESE_FAMILY,
    _CHINESE_M,
    _CHINESE_SURNAME,
    _CHINESE_SYLLABLE,
    _GENERAL_F,
    _GENERAL_F1,
    _GENERAL_F2,
    _GENERAL_M,
    _GENERAL_M1,
    _GENERAL_M2,
    _JAVA_F,
    _JAVA_F1,
    _JAVA_F2,
    _JAVA_M,
    _JAVA_M1,
    _JAVA_M2,
    _MARGA,
    _MARGA_MUSLIM,
    _MELAYU_F,
    _MELAYU_F2,
    _MELAYU_M,
    _MELAYU_M2,
    _MINANG_F,
    _MINANG_F2,
    _MINANG_M,
    _MINANG_M2,
    _MUHAMMAD,
    _MUSLIM_BUCKETS,
    _SUNDA_ACCENT,
    _SUNDA_F,
    _SUNDA_F1,
    _SUNDA_F2,
    _SUNDA_M,
    _SUNDA_M1,
    _SUNDA_M2,
    _SUTAN,
    _TIMUR_F,
    _TIMUR_FAMILY,
    _TIMUR_M,
    _TIMUR_MID_F,
    _TIMUR_MID_M,
)
from outreach_tui.sampledata.weighted import Weighted as _Weighted


def _muhammad(rng: random.Random, name: str) -> str:
    return rng.choice(_MUHAMMAD) if name == "Muhammad" else name


def _old_spelling(word: str) -> str:
    """Van Ophuijsen / pre-1972 spelling, kept on many older KTPs: Soetrisno, Djoko, Tjahjo."""
    w = word.lower()
    if len(w) > 2 and w[1] == "u" and w[0] not in "aeiou":
        w = w[0] + "oe" + w[2:]
    w = w.replace("j", "dj").replace("y", "j").replace("c", "tj")
    return w[:1].upper() + w[1:]


def _n_general(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if female:
        if r < 0.08:
            return rng.choice(_GENERAL_F1)
        first = rng.choice(_GENERAL_F)
        name = f"{first} {rng.choice(_GENERAL_F2)}"
        if age < 35 and rng.random() < 0.25:
            name += " " + rng.choice(_GENERAL_F2)
        return name
    if r < 0.07:
        return rng.choice(_GENERAL_M1)
    first = rng.choice(_GENERAL_M)
    if first == "Abdul":
        return f"Abdul {rng.choice(_ABDUL)}"
    name = f"{_muhammad(rng, first)} {rng.choice(_GENERAL_M2)}"
    if age < 35 and rng.random() < 0.25:
        name += " " + rng.choice(_GENERAL_M2)
    return name


def _n_javanese(rng: random.Random, female: bool, age: int) -> str:
    single = 0.45 if age >= 45 else 0.25 if age >= 30 else 0.1
    if rng.random() < single:
        name = rng.choice(_JAVA_F1 if female else _JAVA_M1)
    elif female:
        name = f"{rng.choice(_JAVA_F)} {rng.choice(_JAVA_F2)}"
    else:
        name = f"{_muhammad(rng, rng.choice(_JAVA_M))} {rng.choice(_JAVA_M2)}"
    if age < 30 and rng.random() < 0.3:
        name = f"{rng.choice(_GENERAL_F if female else _GENERAL_M)} {name}"
        name = name.replace("Muhammad ", rng.choice(_MUHAMMAD) + " ", 1)
    if age >= 50 and rng.random() < 0.15:
        words = name.split(" ")
        words[0] = _old_spelling(words[0]) if "." not in words[0] else words[0]
        name = " ".join(words)
    return name


def _n_sundanese(rng: random.Random, female: bool, age: int) -> str:
    if rng.random() < (0.2 if age >= 45 else 0.08):
        words = [rng.choice(_SUNDA_F1 if female else _SUNDA_M1)]
    elif female:
        words = [rng.choice(_SUNDA_F), rng.choice(_SUNDA_F2)]
    else:
        words = [_muhammad(rng, rng.choice(_SUNDA_M)), rng.choice(_SUNDA_M2)]
    if rng.random() < 0.12:
        words = [_SUNDA_ACCENT.get(w, w) for w in words]
    return " ".join(words)


def _n_batak(rng: random.Random, female: bool, age: int) -> str:
    marga = rng.choice(_MARGA)
    if rng.random() < 0.03:
        return rng.choice(_BATAK_F if female else _BATAK_M)
    if marga in _MARGA_MUSLIM and rng.random() < 0.65:
        given = _n_general(rng, female, age)
    else:
        given = rng.choice(_BATAK_F if female else _BATAK_M)
        if rng.random() < 0.2:
            given += " " + rng.choice(_BATAK_F if female else _BATAK_M)
    if female and rng.random() < 0.2:
        return f"{given} br. {marga}"
    return f"{given} {marga}"


def _n_minang(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if r < 0.2:
        return rng.choice(_MINANG_F if female else _MINANG_M)
    if female:
        return f"{rng.choice(_MINANG_F)} {rng.choice(_MINANG_F2)}"
    if age >= 35 and r < 0.26:
        return f"{rng.choice(_MINANG_M)} {rng.choice(_SUTAN)}"
    if r < 0.4:
        return _n_general(rng, female, age)
    return f"{rng.choice(_MINANG_M)} {rng.choice(_MINANG_M2)}"


def _n_bugis(rng: random.Random, female: bool, age: int, buton: bool) -> str:
    if buton and rng.random() < 0.5:
        title = "Wa" if female else "La"
        if rng.random() < 0.5:  # the Buton nobility
            title += " Ode"
        given = rng.choice(_BUGIS_F if female else _BUGIS_M)
        if title.endswith("Ode") and rng.random() < 0.4:
            given += " " + rng.choice(_BUGIS_F2 if female else _BUGIS_M2)
        return f"{title} {_muhammad(rng, given)}"
    r = rng.random()
    if r < 0.1:
        return rng.choice(_BUGIS_F if female else _BUGIS_M).replace("Muh. ", "")
    if female:
        name = f"{rng.choice(_BUGIS_F)} {rng.choice(_BUGIS_F2)}"
    else:
        first = rng.choice(_BUGIS_M)
        name = (
            f"Abdul {rng.choice(_ABDUL)}"
            if first == "Abdul"
            else f"{_muhammad(rng, first)} {rng.choice(_BUGIS_M2)}"
        )
    if rng.random() < 0.08:
        name = f"Andi {name}"
    return name


def _n_balinese(rng: random.Random, female: bool, age: int) -> str:
    r = rng.random()
    if r < 0.13:
        title = rng.choice(_BALI_TITLE_F if female else _BALI_TITLE_M)
        return f"{title} {rng.choice(_BALI_F if female else _BALI_M)}"
    if female:
        parts = ["Ni"]
        order = _BALI_ORDER_F.pick(rng)
        if order in ("Putu", "Made", "Nyoman", "Wayan") and rng.random() < 0.3:
            parts.append("Luh")
        parts.append(order)
        if rng.random() < 0.18:
            parts.append("Ayu")
        parts.append(rng.choice(_BALI_F))
        return " ".join(parts)
    parts = ["I"]
    order = _BALI_ORDER_M.pick(rng)
    if order != "Gede" and rng.random() < 0.1:
        parts.append("Gede")
    parts.append(order)
    parts.append(rng.choice(_BALI_M))
    if rng.random() < 0.2:
        parts.append(rng.choice(_BALI_M))
    return " ".join(parts)


def _n_melayu(rng: random.Random, female: bool, age: int, prov: str) -> str:
    if rng.random() < 0.1:
        name = rng.choice(_MELAYU_F if female else _MELAYU_M)
    elif female:
        name = f"{rng.choice(_MELAYU_F)} {rng.choice(_MELAYU_F2)}"
    else:
        first = rng.choice(_MELAYU_M)
        name = (
            f"Abdul {rng.choice(_ABDUL)}"
            if first == "Abdul"
            else f"{_muhammad(rng, first)} {rng.choice(_MELAYU_M2)}"
        )
    if rng.random() < 0.07 and not name.startswith("Cut "):
        if prov == "11":
            title = "Cut" if female else rng.choice(("Teuku", "T."))
        elif prov == "63":
            title = "Gusti"
        elif female:
            title = rng.choice(("Tengku", "Wan", "Syarifah"))
        else:
            title = rng.choice(("Tengku", "Wan", "Said", "Syarif"))
        name = f"{title} {name}"
    return name


def _n_timur(rng: random.Random, female: bool, age: int, prov: str) -> str:
    given = rng.choice(_TIMUR_F if female else _TIMUR_M)
    if rng.random() < 0.2:
        given += " " + rng.choice(_TIMUR_MID_F if female else _TIMUR_MID_M)
    if rng.random() < 0.08:
        return given
    key = prov if prov in _TIMUR_FAMILY else prov[:1] if prov[:1] in _TIMUR_FAMILY else "53"
    if prov == "82":
        key = "81"
    return f"{given} {rng.choice(_TIMUR_FAMILY[key])}"


def _n_chinese(rng: random.Random, female: bool, age: int) -> str:
    if age >= 45 and rng.random() < 0.2:
        s1, s2 = rng.sample(_CHINESE_SYLLABLE, 2)
        return f"{rng.choice(_CHINESE_SURNAME)} {s1} {s2}"
    return f"{rng.choice(_CHINESE_F if female else _CHINESE_M)} {rng.choice(_CHINESE_FAMILY)}"


def _n_sasak(rng: random.Random, female: bool, age: int) -> str:
    name = _n_general(rng, female, age)
    if rng.random() < 0.15:
        name = f"{'Baiq' if female else 'Lalu'} {name}"
    return name


def _mix(**weights: float) -> _Weighted[str]:
    return _Weighted(weights.items())


_BUCKET_MIX: dict[str, _Weighted[str]] = {
    "11": _mix(melayu=0.75, general=0.15, javanese=0.07, batak=0.03),
    "12": _mix(batak=0.45, javanese=0.25, general=0.15, melayu=0.1, chinese=0.05),
    "13": _mix(minang=0.85, general=0.08, javanese=0.04, batak=0.03),
    "14": _mix(melayu=0.35, minang=0.2, javanese=0.2, batak=0.1, general=0.12, chinese=0.03),
    "18": _mix(javanese=0.55, general=0.2, sundanese=0.1, melayu=0.12, balinese=0.03),
    "21": _mix(melayu=0.3, minang=0.15, batak=0.15, javanese=0.15, general=0.15, chinese=0.1),
    "31": _mix(general=0.35, javanese=0.25, sundanese=0.15, batak=0.07, minang=0.06,
               chinese=0.05, bugis=0.02, timur=0.03, melayu=0.02),
    "32": _mix(sundanese=0.7, javanese=0.1, general=0.15, batak=0.02, minang=0.02, chinese=0.01),
    "33": _mix(javanese=0.85, general=0.13, chinese=0.02),
    "36": _mix(sundanese=0.4, general=0.35, javanese=0.2, batak=0.03, chinese=0.02),
    "51": _mix(balinese=0.85, javanese=0.08, general=0.07),
    "52": _mix(sasak=0.8, general=0.15, balinese=0.05),
    "53": _mix(timur=0.85, general=0.15),
    "61": _mix(melayu=0.4, timur=0.2, javanese=0.15, general=0.1, chinese=0.1, bugis=0.05),
    "62": _mix(melayu=0.4, timur=0.2, javanese=0.2, general=0.15, bugis=0.05),
    "63": _mix(melayu=0.75, javanese=0.15, general=0.1),
    "64": _mix(bugis=0.3, javanese=0.3, melayu=0.2, general=0.1, timur=0.1),
    "71": _mix(timur=0.8, general=0.15, bugis=0.05),
    "72": _mix(bugis=0.6, general=0.3, timur=0.1),
    "73": _mix(bugis=0.9, general=0.1),
    "74": _mix(bugis=0.85, general=0.15),
    "81": _mix(timur=0.6, general=0.3, bugis=0.1),
    "82": _mix(general=0.65, timur=0.25, bugis=0.1),
    "9": _mix(timur=0.75, general=0.1, bugis=0.1, javanese=0.05),
}  # fmt: skip
for _p in ("15", "16", "17", "19"):
    _BUCKET_MIX[_p] = _mix(melayu=0.45, javanese=0.25, general=0.2, minang=0.05, sundanese=0.03,
                           chinese=0.02)  # fmt: skip
for _p, _same in (("34", "33"), ("35", "33"), ("65", "64"), ("75", "72"), ("76", "72")):
    _BUCKET_MIX[_p] = _BUCKET_MIX[_same]
_GENERAL_ONLY = _mix(general=1.0)


def _full_name(rng: random.Random, prov: str, female: bool, age: int) -> str:
    mix = _BUCKET_MIX.get(prov) or _BUCKET_MIX.get(prov[:1]) or _GENERAL_ONLY
    bucket = mix.pick(rng) if rng.random() > 0.1 else "general"  # people move
    if bucket == "javanese":
        name = _n_javanese(rng, female, age)
    elif bucket == "sundanese":
        name = _n_sundanese(rng, female, age)
    elif bucket == "batak":
        name = _n_batak(rng, female, age)
    elif bucket == "minang":
        name = _n_minang(rng, female, age)
    elif bucket == "bugis":
        name = _n_bugis(rng, female, age, buton=prov == "74")
    elif bucket == "balinese":
        name = _n_balinese(rng, female, age)
    elif bucket == "melayu":
        name = _n_melayu(rng, female, age, prov)
    elif bucket == "timur":
        name = _n_timur(rng, female, age, prov)
    elif bucket == "chinese":
        name = _n_chinese(rng, female, age)
    elif bucket == "sasak":
        name = _n_sasak(rng, female, age)
    else:
        name = _n_general(rng, female, age)
    hajj = 0.12 if bucket == "bugis" else 0.05
    if bucket in _MUSLIM_BUCKETS and age >= 40 and rng.random() < hajj:
        name = f"{'Hj.' if female else 'H.'} {name}"
    return name
