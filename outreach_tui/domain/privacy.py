"""Which record fields identify a person (UU 27/2022): what a purge or a forget request removes.

Kept: what the officer and the branch still need once the person's details are gone: the id,
status, area (region_code, rw, rt), KPJ number, programs and contribution, occupation, decline
reason, follow-up date, consent (and its proof) and the store's dates. Removed: everything
below, which alone or together with the area points at one person.
"""

from __future__ import annotations

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
# Visit fields that may identify a person (a visit's note is free text).
PERSONAL_VISIT_FIELDS: tuple[str, ...] = ("note",)


def blank_personal(record: dict[str, object]) -> dict[str, object]:
    """A copy of ``record`` without the personal fields (keys present are set to None)."""
    return {key: (None if key in PERSONAL_FIELDS else value) for key, value in record.items()}
