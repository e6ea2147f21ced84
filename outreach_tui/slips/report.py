"""Words about slips outside the slip itself: a verification told to a person or a script, and
which records a batch of slips is for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from outreach_tui.domain.i18n import translate
from outreach_tui.slips.content import long_date, rupiah
from outreach_tui.slips.payload import Verification


def verification_json(verification: Verification, lang: str) -> dict[str, Any]:
    """The answer as JSON (`slip-verify --json`), close to the central API's answer."""
    payload, signer = verification.payload, verification.signer
    return {
        "valid": verification.valid,
        "reason": verification.reason_code,
        "message": translate(f"slip.reason.{verification.reason_code}", lang),
        "key_id": payload.key_id if payload else None,
        "officer_id": payload.officer_id if payload else None,
        "signer": signer.to_json() if signer else None,
        "fields": payload.fields() if payload else None,
    }


def describe(verification: Verification, lang: str) -> list[str]:
    """The answer for a person: valid or why not, who signed, and the slip's fields."""
    payload, signer = verification.payload, verification.signer
    if verification.valid:
        lines = [translate("slip.verify.valid", lang)]
    else:
        reason = translate(f"slip.reason.{verification.reason_code}", lang)
        lines = [translate("slip.verify.invalid", lang, reason=reason)]
    # A signature that does not match says nothing about who signed.
    if signer is not None and verification.reason_code != "signature":
        if signer.source == "self":
            lines.append(translate("slip.verify.signer_self", lang, key_id=signer.key_id))
        else:
            officer = signer.officer_id or (payload.officer_id if payload else "-")
            lines.append(
                translate(
                    "slip.verify.signer",
                    lang,
                    officer_id=officer,
                    branch=signer.branch or "-",
                    key_id=signer.key_id,
                )
            )
    if payload is None:
        return lines
    rows = [
        (translate("slip.reference", lang), payload.reference),
        (translate("slip.field.record_id", lang), payload.record_id),
        (translate("slip.field.officer_id", lang), payload.officer_id),
        (translate("slip.field.key_id", lang), payload.key_id),
        (translate("slip.issued", lang), long_date(payload.issued, lang)),
        (translate("slip.field.programs", lang), payload.programs.replace(",", ", ")),
        (translate("slip.total", lang), rupiah(payload.monthly_contribution, lang)),
        (
            translate("slip.period", lang),
            translate("slip.months", lang, count=payload.payment_period),
        ),
    ]
    width = max(len(label) for label, _ in rows)
    return lines + [f"  {label:<{width}} : {value}" for label, value in rows]


def changed_on_local_day(record: Mapping[str, Any], day: dt.date) -> bool:
    """Whether the record last changed on `day` in the laptop's time zone (stored in UTC)."""
    stamp = str(record.get("updated_at") or "")
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().date() == day


def select_records(
    store: Any, *, status: str, day: dt.date | None = None, region: str | None = None
) -> Iterator[dict[str, Any]]:
    """The records a batch of slips is for, streamed from the store (`Store.iter_records`)."""
    # A local day starts up to 14 hours before the UTC one: read from the day before, then filter.
    since = (day - dt.timedelta(days=1)).isoformat() if day is not None else None
    for record in store.iter_records(status=status, region_code=region, since=since):
        if day is None or changed_on_local_day(record, day):
            yield record
