"""How amounts are written for people: one format for slips, forms and screens."""

from __future__ import annotations

from outreach_tui.domain.i18n import translate

# Indonesian writes 16.800, English 16,800.
THOUSANDS = {"id": ".", "en": ","}


def rupiah(amount: int, lang: str) -> str:
    """`Rp16.800` (Indonesian) or `Rp16,800` (English), whole rupiah."""
    text = f"{amount:,}".replace(",", THOUSANDS.get(lang, "."))
    return translate("slip.amount", lang, amount=text)
