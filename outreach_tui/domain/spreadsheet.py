"""How a value is written into a CSV cell that spreadsheet programs open safely.

One rule for the laptop's export and the central API's: identifiers that look like numbers
(NIK, phone, KPJ, RW/RT) are written as `="..."` so no digit or leading zero is lost, and
other text that starts with = + - @ gets a leading apostrophe so it is never run as a formula.
The CSV importer undoes both.
"""

from __future__ import annotations

from typing import Any

NUMERIC_TEXT = frozenset({"nik", "phone", "kpj_number", "rw", "rt"})
FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_cell(name: str, value: Any, *, plain: bool = False) -> str:
    """The CSV text of field `name`; `plain` keeps raw values for scripts."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if plain or not text or not isinstance(value, str):
        return text
    if name in NUMERIC_TEXT:
        return f'="{text}"'
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
