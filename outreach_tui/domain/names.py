"""Personal names as people write them: single names, titles, apostrophes, letters of any script.

Many Indonesians have one name only; names carry titles (`Hj.`, `S.Pd.`), apostrophes (`Ma'ruf`),
hyphens and letters outside ASCII. Digits and other symbols are rejected because they are almost
always a slip (a phone number typed in the wrong box).
"""

from __future__ import annotations

import re
import unicodedata

from outreach_tui.domain.problems import Problem

MAX_NAME_LENGTH = 100

_ASCII_NAME = re.compile(r"[A-Za-z][A-Za-z .,'\-]*")
_SPACES = re.compile(r"\s+")
# Invisible characters that copy-paste brings along and nobody means to type.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
_PUNCTUATION = frozenset("'’‘ʼ`-‐‑.,")
_APOSTROPHES = re.compile(r"['’‘ʼ`]")
_NOT_WORD = re.compile(r"[^\w]+|_+")


def _symbols(name: str) -> tuple[bool, bool, list[str]]:
    """Whether the name has a letter, has a digit, and which other symbols it carries."""
    has_letter = has_digit = False
    bad: list[str] = []
    for ch in name:
        cat = unicodedata.category(ch)
        if cat[0] == "L":
            has_letter = True
        elif cat[0] == "N":
            has_digit = True
        elif cat[0] == "M" or ch == " " or ch in _PUNCTUATION:
            continue
        elif ch not in bad:
            bad.append(ch)
    return has_letter, has_digit, bad


def normalize_name(text: str, *, field_name: str = "full_name") -> tuple[str | None, list[Problem]]:
    """The name trimmed, with single spaces and in Unicode NFC, or the problems with it."""
    name = _SPACES.sub(" ", str(text).translate(_INVISIBLE)).strip()
    if not name:
        return None, [Problem(field_name, "full_name.required")]
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    if len(name) > MAX_NAME_LENGTH:
        return None, [
            Problem(field_name, "full_name.too_long", {"max": MAX_NAME_LENGTH, "count": len(name)})
        ]
    if _ASCII_NAME.fullmatch(name):
        return name, []
    has_letter, has_digit, bad = _symbols(name)
    if has_digit:
        return None, [Problem(field_name, "full_name.digits")]
    if bad:
        return None, [Problem(field_name, "full_name.characters")]
    if not has_letter:
        return None, [Problem(field_name, "full_name.no_letters")]
    return name, []


def name_key(text: str) -> str:
    """A key for duplicate and similarity checks: case, accents and punctuation removed."""
    text = str(text)
    if text.isascii():
        # Most names: NFKD changes nothing, nothing is combining, casefold() is lower().
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = _APOSTROPHES.sub("", bare)
    return " ".join(_NOT_WORD.sub(" ", bare).split())
