"""A labelled form control with the line under it that says what is wrong with the value.

`record_control` makes the control for one field of a person's record (Input, Select, the
program checkboxes or the consent switch) and `form_value` turns a stored value into what that
control shows, so every form that edits records looks and reads the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, Switch

from outreach_tui.domain import codes
from outreach_tui.domain.phone import format_phone_national

DATE_FIELDS = ("birth_date", "follow_up_on")
# What a box takes: well above each field's rule, so a text that is too long (typed or pasted)
# stays visible and its check says the limit, instead of being cut or refused in silence.
_LIMITS = {
    "full_name": 400, "nik": 40, "phone": 40, "street": 2000, "notes": 2000, "rw": 3, "rt": 3,
    "decline_other": 400,
}  # fmt: skip
_PLACEHOLDERS = {
    "birth_date": "form.placeholder.date",
    "follow_up_on": "form.placeholder.date",
    "monthly_income": "form.placeholder.income",
    "region_code": "form.placeholder.region",
}
_DIGITS = {"nik": r"[0-9 .\-]*", "rw": r"[0-9]*", "rt": r"[0-9]*"}


def form_value(name: str, value: Any) -> Any:
    """A stored value as the form shows it (dates DD/MM/YYYY, phone 0812-…, income 1.500.000)."""
    if name == "consent":
        return bool(value)
    if value is None:
        return ""
    if name in DATE_FIELDS and isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if name == "phone":
        return format_phone_national(str(value))
    if name == "monthly_income" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _options(name: str, t: Callable[..., str], statuses: Iterable[str]) -> list[tuple[str, str]]:
    """(label, code) pairs of a choice field, labels in the officer's language."""
    if name == "sex":
        return [(t(f"label.sex.{c}"), c) for c in ("M", "F")]
    if name == "occupation":
        return [(t(key), c) for c, key in codes.OCCUPATIONS.items()]
    if name == "decline_reason":
        return [(t(key), c) for c, key in codes.DECLINE_REASONS.items()]
    if name == "payment_period":
        return [(t("form.period_months", months=n), str(n)) for n in codes.PAYMENT_PERIODS]
    return [(t(f"label.status.{c}"), c) for c in statuses]


def record_control(
    name: str, value: Any, t: Callable[..., str], *, statuses: Iterable[str] = ()
) -> Widget:
    """The control for one record field, holding ``value`` (a `form_value`), id = field name."""
    if name in ("sex", "occupation", "payment_period", "status", "decline_reason"):
        return Select(
            _options(name, t, statuses),
            value=value or Select.NULL,
            allow_blank=name != "status",
            id=name,
            prompt=t("form.blank"),
            compact=True,
        )
    if name == "programs":
        boxes = []
        for code in (*codes.MANDATORY_PROGRAMS, *codes.OPTIONAL_PROGRAMS):
            mandatory = code in codes.MANDATORY_PROGRAMS
            label = t("form.mandatory", program=code) if mandatory else t(f"label.program.{code}")
            on = mandatory or code in str(value).split(",")
            boxes.append(
                Checkbox(label, on, id=f"program-{code}", disabled=mandatory, compact=True)
            )
        return Vertical(*boxes, id="programs")
    if name == "consent":
        return Switch(value=bool(value), id="consent")
    hint = _PLACEHOLDERS.get(name)
    return Input(
        value,
        id=name,
        compact=True,
        placeholder=t(hint) if hint else "",
        restrict=_DIGITS.get(name),
        max_length=_LIMITS.get(name, 40),
    )


class FormField(Vertical):
    """One field of a form: label left, control right, its problems (or a hint) below.

    The screen owns the control and decides what to show: `show_problems` and `show_hint`
    are attributes down; the control's own Changed messages go up to the screen.
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-columns: 24 1fr;
        grid-rows: auto;
    }
    FormField > .form-field-label {
        width: 23;
        margin: 0 1 0 0;
        text-style: bold;
    }
    FormField > Input, FormField > Select {
        width: 1fr;
    }
    FormField #programs {
        height: auto;
        width: 1fr;
    }
    FormField > .field-note, FormField > .field-hint {
        display: none;
        column-span: 2;
        padding-left: 24;
    }
    FormField > .field-note.-shown, FormField > .field-hint.-shown {
        display: block;
    }
    FormField > .field-hint {
        color: $foreground 80%;
    }
    """

    def __init__(self, field_name: str, label: str, control: Widget) -> None:
        super().__init__(id=f"{field_name}-field")
        self.field_name = field_name
        self.label = label
        self.control = control
        self._shown: tuple[str, bool] = ("", False)

    def compose(self) -> ComposeResult:
        """Label and control on one row, the message and the hint under them."""
        # One grid (label | control, then the lines under them): no row container per field,
        # which kept a 19-field form a fifth heavier to open.
        yield Label(self.label, classes="form-field-label")
        yield self.control
        yield Static("", id=f"{self.field_name}-message", classes="field-note")
        yield Static("", id=f"{self.field_name}-hint", classes="field-hint")

    def show_problems(self, errors: list[str], warnings: list[str]) -> None:
        """Errors in the error colour, else warnings in the warning colour, else nothing."""
        text = "\n".join(errors or warnings)
        shown = (text, bool(errors))
        if shown == self._shown:
            return  # re-checked on every key press: leave an unchanged line alone
        self._shown = shown
        note = self.query_one(".field-note", Static)
        note.update(text)
        note.set_class(bool(text), "-shown")
        note.set_class(bool(errors), "field-error")
        note.set_class(not errors and bool(warnings), "field-warning")
        self.set_class(bool(errors), "-invalid")

    def show_hint(self, text: str) -> None:
        """A neutral line under the field (the desa's name, where an NIK was issued)."""
        hint = self.query_one(".field-hint", Static)
        hint.update(text)
        hint.set_class(bool(text), "-shown")

    @property
    def message(self) -> str:
        """The problem text shown now (empty when none): what tests and screen readers see."""
        return str(self.query_one(".field-note", Static).render())
