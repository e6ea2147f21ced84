"""How amounts and dates are written for people: one format for slips, forms and screens."""

from __future__ import annotations

from typing import Any

from outreach_tui.domain.i18n import translate

# Indonesian writes 16.800, English 16,800.
THOUSANDS = {"id": ".", "en": ","}


def rupiah(amount: int, lang: str) -> str:
    """`Rp16.800` (Indonesian) or `Rp16,800` (English), whole rupiah."""
    text = f"{amount:,}".replace(",", THOUSANDS.get(lang, "."))
    return translate("slip.amount", lang, amount=text)


def day_text(day: Any) -> str:
    """A day as the officer reads it everywhere: DD/MM/YYYY (files keep ISO dates)."""
    return str(day.strftime("%d/%m/%Y")) if hasattr(day, "strftime") else "-"


def moment_text(moment: Any) -> str:
    """A moment in local time as the officer reads it everywhere: DD/MM/YYYY HH:MM."""
    return str(moment.astimezone().strftime("%d/%m/%Y %H:%M"))
