"""What a slip says, in the officer's language, before any layout: one model for every output.

PDF, PNG, ESC/POS and the terminal all draw the same `Slip`, so they never disagree on an amount
or a word. Every text comes from the translation table; the only personal data are the name and
the masked NIK (the full NIK and the phone number never reach a slip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from outreach_tui.domain.codes import OCCUPATIONS
from outreach_tui.domain.contributions import Contribution
from outreach_tui.domain.formats import rupiah
from outreach_tui.domain.i18n import translate
from outreach_tui.domain.nik import mask_nik
from outreach_tui.domain.rates import rates
from outreach_tui.slips.payload import (
    Signer,
    build_payload,
    calculate,
    check_record,
    reference_code,
)


@dataclass(frozen=True, slots=True)
class Field:
    """A label and its value (`Nama` / `Siti Aminah`)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Slip:
    """The translated content of one enrollment slip and its signed QR payload."""

    lang: str
    record_id: str
    reference: str
    payload: str
    title: str
    reference_label: str
    person: tuple[Field, ...]
    contribution_title: str
    amounts: tuple[Field, ...]
    total: Field
    payment: tuple[Field, ...]
    where_title: str
    where: tuple[str, ...]
    issued_by: tuple[Field, ...]
    notes: tuple[str, ...]

    def all_text(self) -> str:
        """Every word of the slip in one string (for tests and searching)."""
        parts = [self.title, self.reference_label, self.reference, self.contribution_title]
        for field in (*self.person, *self.amounts, self.total, *self.payment, *self.issued_by):
            parts += [field.label, field.value]
        parts += [self.where_title, *self.where, *self.notes]
        return "\n".join(parts)


def long_date(day: dt.date, lang: str) -> str:
    """`15 Desember 2026` with the month named in `lang`."""
    return translate(
        "slip.date",
        lang,
        day=day.day,
        month=translate(f"slip.month.{day.month}", lang),
        year=day.year,
    )


def _discount_label(names: tuple[str, ...], month: dt.date, lang: str) -> str:
    found = [d for d in rates().discounts_on(month) if d.name in names]
    if not found:
        return translate("slip.discount_plain", lang)
    best = found[0]
    return translate(
        "slip.discount", lang, regulation=best.regulation, percent=f"{float(best.percent):g}"
    )


def _amounts(contribution: Contribution, lang: str) -> dict[str, Any]:
    lines: list[Field] = []
    discount = 0
    for code in contribution.programs:
        payable = contribution.amounts[code]
        off = contribution.discounts.get(code, 0)
        discount += off
        lines.append(Field(translate(f"label.program.{code}", lang), rupiah(payable + off, lang)))
    if discount:
        label = _discount_label(contribution.discount_names, contribution.months[0].month, lang)
        lines.append(Field(label, "-" + rupiah(discount, lang)))
    period = contribution.payment_period
    payment = [
        Field(translate("slip.basis", lang), rupiah(contribution.basis, lang)),
        Field(translate("slip.period", lang), translate("slip.months", lang, count=period)),
    ]
    if period > 1:
        payment.append(
            Field(
                translate("slip.period_total", lang, count=period),
                rupiah(contribution.period_total, lang),
            )
        )
    payment.append(
        Field(translate("slip.first_due", lang), long_date(contribution.first_due_date, lang))
    )
    return {
        "amounts": tuple(lines),
        "total": Field(translate("slip.total", lang), rupiah(contribution.monthly_total, lang)),
        "payment": tuple(payment),
    }


def make_slip(
    record: Mapping[str, Any],
    settings: Any,
    key: Signer,
    *,
    issued: dt.date,
    lang: str = "id",
) -> Slip:
    """The slip of an enrolled or active record, signed now; SlipError when it cannot be made."""
    check_record(record)
    contribution = calculate(record, issued)
    payload = build_payload(record, settings, key, issued=issued, contribution=contribution)
    occupation = str(record.get("occupation") or "")
    nik = record.get("nik")
    person: tuple[Field, ...] = (
        Field(translate("slip.name", lang), str(record.get("full_name") or "-")),
        Field(translate("slip.nik", lang), mask_nik(str(nik)) if nik else "-"),
        Field(
            translate("slip.occupation", lang),
            translate(OCCUPATIONS[occupation], lang) if occupation in OCCUPATIONS else "-",
        ),
    )
    if record.get("kpj_number"):  # assigned by the central API once the enrollment arrived
        person += (Field(translate("label.field.kpj_number", lang), str(record["kpj_number"])),)
    told = record.get("arrears") or {}
    inactive = bool(told.get("inactive"))
    if inactive:  # the central API said so: the slip says it before anything else is read
        said = translate("slip.inactive", lang, months=told.get("months") or "3+",
                         paid_through=told.get("paid_through") or "-")  # fmt: skip
        person = (Field(translate("slip.status", lang), said), *person)
    officer_name = str(getattr(settings, "officer_name", "") or "")
    officer_id = str(getattr(settings, "officer_id", "") or "")
    branch = str(getattr(settings, "branch", "") or "-")
    officer = f"{officer_name} ({officer_id})" if officer_name else officer_id
    money = _amounts(contribution, lang)
    return Slip(
        lang=lang,
        record_id=str(record["id"]),
        reference=reference_code(str(record["id"])),
        payload=payload,
        title=translate("slip.title", lang),
        reference_label=translate("slip.reference", lang),
        person=person,
        contribution_title=translate("slip.contribution_title", lang),
        amounts=money["amounts"],
        total=money["total"],
        payment=money["payment"],
        where_title=translate("slip.where_title", lang),
        where=(
            translate("slip.where.branch", lang, branch=branch),
            translate("slip.where.banks", lang),
            translate("slip.where.post", lang),
            translate("slip.where.perisai", lang),
            translate("slip.where.ewallet", lang),
        ),
        issued_by=(
            Field(translate("slip.officer", lang), officer),
            Field(translate("slip.branch", lang), branch),
            Field(translate("slip.issued", lang), long_date(issued, lang)),
        ),
        notes=(
            *((translate("slip.note.inactive", lang),) if inactive else ()),
            translate("slip.note.cover", lang),
            translate("slip.note.privacy", lang),
            translate("slip.note.qr", lang),
        ),
    )


def make_slips(
    records: Iterable[Mapping[str, Any]],
    settings: Any,
    key: Signer,
    *,
    issued: dt.date,
    lang: str = "id",
) -> Iterator[Slip]:
    """Slips for many records, lazily (a batch never holds every record at once)."""
    for record in records:
        yield make_slip(record, settings, key, issued=issued, lang=lang)
