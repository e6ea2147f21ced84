"""Problems: what is wrong with a value, as a stable code that every entry point can translate."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from outreach_tui.domain import i18n

# Every code a validator of this package can emit, `<field>.<rule>`. Codes are part of the
# contract (JSON import reports, the wire protocol): add freely, never rename.
ERROR_CODES: frozenset[str] = frozenset(
    {
        "id.format",
        "id.type",
        "full_name.required",
        "full_name.digits",
        "full_name.characters",
        "full_name.no_letters",
        "full_name.too_long",
        "full_name.type",
        "nik.format",
        "nik.length",
        "nik.province",
        "nik.region_zero",
        "nik.date",
        "nik.serial",
        "nik.consent_required",
        "nik.required",
        "nik.type",
        "kk.format",
        "kk.length",
        "kk.province",
        "kk.type",
        "birth_date.format",
        "birth_date.future",
        "birth_date.range",
        "birth_date.mismatch_nik",
        "birth_date.type",
        "sex.format",
        "sex.mismatch_nik",
        "sex.type",
        "phone.format",
        "phone.country",
        "phone.landline",
        "phone.too_short",
        "phone.too_long",
        "phone.type",
        "occupation.unknown",
        "occupation.type",
        "monthly_income.format",
        "monthly_income.negative",
        "monthly_income.whole_rupiah",
        "monthly_income.too_large",
        "monthly_income.type",
        "programs.unknown",
        "programs.not_for_bpu",
        "programs.type",
        "payment_period.choice",
        "payment_period.type",
        "region_code.format",
        "region_code.unknown",
        "region_code.not_village",
        "region_code.type",
        "rw.format",
        "rw.range",
        "rw.type",
        "rt.format",
        "rt.range",
        "rt.type",
        "street.too_long",
        "street.type",
        "status.unknown",
        "status.central_only",
        "status.transition",
        "status.type",
        "decline_reason.unknown",
        "decline_reason.required",
        "decline_reason.not_declined",
        "decline_reason.type",
        "follow_up_on.format",
        "follow_up_on.type",
        "consent.format",
        "consent.required",
        "consent.type",
        "notes.too_long",
        "notes.type",
        "visit_outcome.unknown",
        # Groups and events (domain/groups.py).
        "name.required",
        "name.too_long",
        "name.type",
        "kind.required",
        "kind.unknown",
        "kind.type",
        "region_code.required",
        "region_code.too_wide",
        "rw.required_with_rt",
        "contact_role.too_long",
        "contact_role.type",
        "declared_workers.format",
        "declared_workers.negative",
        "declared_workers.too_large",
        "declared_workers.type",
        "starts_at.required",
        "starts_at.format",
        "starts_at.type",
        "held.format",
        "held.type",
        "held.future",
        "place.required",
        "place.too_long",
        "place.type",
        "group_id.format",
        "group_id.type",
        "institution.too_long",
        "institution.type",
        "institution.partner_required",
        "follows_event_id.format",
        "follows_event_id.type",
        "follows_event_id.required",
        "group_id.unknown",
        "event_id.format",
        "event_id.unknown",
        "record_id.format",
        "record_id.unknown",
    }
)

# Codes that are only ever warnings: the record is kept, the officer takes a second look.
WARNING_CODES: frozenset[str] = frozenset(
    {
        "nik.region_unknown",
        "nik.region_mismatch",
        "birth_date.age_above_limit",
        "birth_date.age_below_min",
        "follow_up_on.past",
        "monthly_income.above_max_basis",
    }
)

CODES: frozenset[str] = ERROR_CODES | WARNING_CODES

# The only parameters a problem's message may show: limits, counts, row numbers, versions, ids
# and codes from our own lists. A value the person or the file submitted is never one of them
# (docs promise messages never echo data); anything else passed in is dropped, not shown.
SAFE_PARAMS: frozenset[str] = frozenset(
    {
        "count",
        "max",
        "min",
        "limit",
        "line",
        "position",
        "version",
        "base_version",
        "current_version",
        "duplicate_of",
        "status",
        "old",
        "new",
        "program",
    }
)

# Parameters whose value is a code with a label of its own: the message shows the label.
_LABELLED_PARAMS = {
    "old": "label.status.",
    "new": "label.status.",
    "status": "label.status.",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a second look) with one field, so a UI can point at that field."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    @property
    def rule(self) -> str:
        """The rule part of the code (`length` in `nik.length`), for generic messages."""
        return self.code.rpartition(".")[2]

    def message(self, lang: str = "id") -> str:
        """The officer-facing sentence that names the field and the rule, in `lang`."""
        label_key = f"label.field.{self.field}"
        label = i18n.translate(label_key, lang) if i18n.has_key(label_key) else self.field
        params: dict[str, Any] = {"field_label": label}
        for name, value in self.params.items():
            if name not in SAFE_PARAMS:
                continue
            params[name] = value
            prefix = _LABELLED_PARAMS.get(name)
            if prefix is not None:
                params[f"{name}_label"] = i18n.translate(f"{prefix}{value}", lang)
        key = self.code if i18n.has_key(self.code) else f"generic.{self.rule}"
        if not i18n.has_key(key):
            key = "generic.invalid"
        return i18n.format_message(key, lang, params)

    def to_dict(self, lang: str = "id") -> dict[str, str]:
        """The problem as JSON for reports and API answers: field, code and message."""
        return {"field": self.field, "code": self.code, "message": self.message(lang)}
