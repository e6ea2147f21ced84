"""Record fields as the store sees them: which are content, how they are typed, hashed and folded.

The store keeps already-validated, normalized records (validation is the domain's job), but
it still checks shapes at its boundary so that the content hash of a record is the same
whether the record came from a form, a CSV row or the database itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from typing import Any

# The record fields of DESIGN.md that an officer (or the central API) sets. They are the
# *content* of a version: their canonical JSON is what is hashed and frozen in
# record_versions. Order is the export order.
CONTENT_FIELDS: tuple[str, ...] = (
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
    "monthly_contribution",
    "kpj_number",
)
INT_FIELDS = frozenset({"monthly_income", "payment_period", "monthly_contribution"})
BOOL_FIELDS = frozenset({"consent"})

# Keys the store owns: accepted in an input mapping (a record read back, an export row) but
# ignored, because the store sets them itself. ``id`` is used when present.
STORE_FIELDS: tuple[str, ...] = (
    "id",
    "version",
    "base_version",
    "sync_state",
    "officer_id",
    "created_at",
    "updated_at",
    # Consent proof (set when consent becomes true) and when personal fields were removed.
    "consent_at",
    "consent_by",
    "consent_version",
    "purged_at",
)

# The version of the consent text an officer reads aloud (the store never imports the domain;
# a test holds this equal to outreach_tui.domain.consent.CONSENT_TEXT_VERSION).
CONSENT_TEXT_VERSION = "2026-11"
# Content fields that identify a person: what a purge or a forget request removes (equal to
# outreach_tui.domain.privacy.PERSONAL_FIELDS, held so by a test).
PERSONAL_FIELDS: tuple[str, ...] = (
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "phone",
    "street",
    "notes",
    "monthly_income",
)

# What get_record()/list_records() return, in this order.
PUBLIC_FIELDS: tuple[str, ...] = ("id", *CONTENT_FIELDS, *STORE_FIELDS[1:])

DEFAULT_STATUS = "prospect"

_APOSTROPHES = re.compile(r"['’‘`ʼ]")
_NOT_WORD = re.compile(r"[\W_]+")


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# UUID version 4 variant bits: the first hex digit of the fourth group is one of 8, 9, a, b.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def new_id() -> str:
    """A fresh record/visit id: a random (version 4) UUID, made on the laptop, its identity forever.

    Formatted by hand from 16 random bytes: ``str(uuid.uuid4())`` costs twice as much, which
    shows when a CSV import creates 100,000 records.
    """
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def canonical_id(value: object) -> str:
    """The one spelling of a UUID id (lowercase, dashed), so that lookups never miss by case."""
    if not isinstance(value, str):
        raise ValueError(f"id must be a UUID string, not {type(value).__name__}")
    if _CANONICAL_UUID.fullmatch(value):
        return value  # the usual case, without the cost of parsing
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"id is not a UUID: {value!r}") from None


def fold(text: str) -> str:
    """Lowercase, strip diacritics and punctuation: the form used for name sorting and search.

    ``Ma'ruf`` and ``maruf`` fold alike (apostrophes vanish, they do not split a name);
    hyphens and dots become spaces; ``Élodie`` becomes ``elodie``.
    """
    if text.isascii():
        bare = text.lower()  # most names: nothing to decompose
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = _APOSTROPHES.sub("", bare)
    return " ".join(_NOT_WORD.sub(" ", bare).split())


# One encoder, built once: json.dumps() with options builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_SORTED_FIELDS = tuple(sorted(CONTENT_FIELDS))
_CONTENT_KEYS = frozenset(CONTENT_FIELDS)


def _presorted_encoder() -> Callable[[Any], str]:
    """The encoding of _CANONICAL for a flat dict whose keys are already in sorted order.

    json's C encoder, made once: JSONEncoder.encode() builds a new one (and a table of the
    objects seen, for circular references) on every call, a fifth of a record's encoding.
    """
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the pure-Python encoder gives the same text
        return plain.encode
    chunks = make(
        None, plain.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(chunks(value, 0))


_encode_sorted = _presorted_encoder()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal content always gives equal text (and hash)."""
    return _CANONICAL.encode(value)


def json_scalar(value: Any) -> str:
    """canonical_json() of one value, faster for the scalars (text, whole numbers, None)."""
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return canonical_json(value)


_encode_text: Callable[[str], str] = json.encoder.encode_basestring  # as ensure_ascii=False


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _typed(name: str, value: Any) -> Any:
    """One field's value in its stored type; '' means "no value" (a blank CSV cell)."""
    if value is None or value == "":
        return None
    if name in BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise ValueError(f"{name} must be true or false, not {value!r}")
    if name in INT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    return value


_ACCEPTED = frozenset(CONTENT_FIELDS) | frozenset(STORE_FIELDS)
_TEXT_FIELDS = frozenset(CONTENT_FIELDS) - INT_FIELDS - BOOL_FIELDS


def record_content(record: Mapping[str, Any]) -> dict[str, Any]:
    """The content fields of a record in their stored types; unknown keys are an error.

    Unknown keys fail loudly (a misspelt ``fullname`` must not be dropped silently); the
    store-owned keys of :data:`STORE_FIELDS` are accepted and ignored.
    """
    if not _ACCEPTED.issuperset(record):
        unknown = sorted(set(record) - _ACCEPTED)
        raise ValueError(f"unknown record fields: {', '.join(unknown)}")
    content: dict[str, Any] = {}
    get = record.get
    for name in CONTENT_FIELDS:
        value = get(name)
        kind = type(value)
        # Plain non-empty text, no value, and values already of their stored type are by far
        # the common cases (a validated record): keep them off the slower path.
        if kind is str:
            content[name] = value if value and name in _TEXT_FIELDS else _typed(name, value)
        elif value is None:
            content[name] = None
        elif (kind is int and name in INT_FIELDS) or (kind is bool and name in BOOL_FIELDS):
            content[name] = value
        else:
            content[name] = _typed(name, value)
    if not content["full_name"]:
        raise ValueError("full_name is required")
    if content["status"] is None:
        content["status"] = DEFAULT_STATUS
    if content["consent"] is None:
        content["consent"] = False
    return content


def content_json(content: Mapping[str, Any]) -> str:
    """The canonical text of a version's content, which its hash covers.

    Sorted keys, no whitespace, UTF-8 text as is, and fields without a value left out, so
    the text is short and the same content always gives the same text on every device.
    """
    if len(content) == len(CONTENT_FIELDS) and _CONTENT_KEYS.issuperset(content):
        # The usual input, record_content()'s dict: build it in sorted key order so that the
        # encoder need not sort it (same text, ~20% faster).
        return _encode_sorted(
            {key: content[key] for key in _SORTED_FIELDS if content[key] is not None}
        )
    return _CANONICAL.encode({key: value for key, value in content.items() if value is not None})


def changed_fields(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """Names (never values) of the fields that differ: what the audit log may say."""
    if old is None:
        return [name for name, value in new.items() if value is not None and value is not False]
    return [name for name in CONTENT_FIELDS if old.get(name) != new.get(name)]
