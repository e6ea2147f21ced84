"""The consent text an officer reads aloud before storing an NIK, and its version.

DOMAIN.md: consent must be provable later (who recorded it, when, to which text). The text lives
in the translation table (`consent.text.*`, Indonesian and English); the store keeps
``CONSENT_TEXT_VERSION`` with each record whose consent became true. Change the text only
together with a new version, so a stored version always names the words that were read.
"""

from __future__ import annotations

from outreach_tui.domain.i18n import translate

CONSENT_TEXT_VERSION = "2026-11"
# The record columns that prove consent (set by the store, shown in exports).
CONSENT_PROOF_FIELDS: tuple[str, ...] = ("consent_at", "consent_by", "consent_version")
_PARTS = ("consent.text.purpose", "consent.text.data", "consent.text.retention")


def consent_text(lang: str = "id", *, retention_days: int = 30) -> str:
    """The consent text to read aloud in ``lang`` ('id' or 'en'), one paragraph a part."""
    title = translate("consent.text.title", lang, version=CONSENT_TEXT_VERSION)
    body = [translate(key, lang, days=retention_days) for key in _PARTS]
    return "\n\n".join([title, *body, translate("consent.text.question", lang)])
