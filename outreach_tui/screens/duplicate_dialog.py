"""The record form's dialogs: "this person may be recorded already" and "discard the entries?".

`find_duplicates` is the check at the door: the same NIK anywhere in the store, or a similar
name (compared by `names.name_key`, as the CSV importer compares people without an NIK) with
the same birth date in the same desa. It uses the store's indexed look-ups only (NIK index,
name search), so it stays fast with 100k records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.domain import reference
from outreach_tui.domain.names import name_key
from outreach_tui.domain.nik import mask_nik
from outreach_tui.screens.base import OutreachModal
from outreach_tui.store import Store
from outreach_tui.widgets.field import form_value

# Names at least this alike (difflib ratio of their keys) count as the same name typed twice.
SIMILAR_NAME = 0.85
# How many name matches are looked at: a desa rarely has more people of one name.
NAME_CANDIDATES = 200
MAX_WORDS = 3


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A stored record that may be the person being saved, and why it looks so."""

    record_id: str
    full_name: str
    birth_date: str | None
    nik: str | None
    region_code: str | None
    rw: str | None
    rt: str | None
    reason: Literal["nik", "person"]


def similar_names(a: str, b: str) -> bool:
    """Whether two names are probably the same name: equal keys, one inside the other, or typos."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    words_a, words_b = set(key_a.split()), set(key_b.split())
    if words_a <= words_b or words_b <= words_a:
        return True
    return SequenceMatcher(None, key_a, key_b).ratio() >= SIMILAR_NAME


def _duplicate(row: Mapping[str, Any], reason: Literal["nik", "person"]) -> Duplicate:
    return Duplicate(
        record_id=str(row["id"]),
        full_name=str(row.get("full_name") or ""),
        birth_date=row.get("birth_date"),
        nik=row.get("nik"),
        region_code=row.get("region_code"),
        rw=row.get("rw"),
        rt=row.get("rt"),
        reason=reason,
    )


def find_duplicates(
    store: Store, record: Mapping[str, Any], *, exclude_id: str | None = None
) -> list[Duplicate]:
    """Stored records that may be the person in ``record`` (a validated record), NIK ones first."""
    found: dict[str, Duplicate] = {}
    nik = record.get("nik")
    if nik:
        for record_id in store.ids_for_niks([nik]).get(nik, []):
            row = store.get_record(record_id)
            if record_id != exclude_id and row is not None:
                found[record_id] = _duplicate(row, "nik")
    name, born, region = (
        record.get("full_name"),
        record.get("birth_date"),
        record.get("region_code"),
    )
    if name and born and region:
        # The whole name, then each word alone (a typo in one word must not hide the person).
        words = sorted(set(name_key(name).split()), key=len, reverse=True)[:MAX_WORDS]
        queries = [name, *words] if len(words) > 1 else [name]
        for query in queries:
            for row in store.search(query, limit=NAME_CANDIDATES):
                rid = row["id"]
                if rid == exclude_id or rid in found:
                    continue
                same_place = row.get("birth_date") == born and row.get("region_code") == region
                if same_place and similar_names(name, str(row.get("full_name") or "")):
                    found[rid] = _duplicate(row, "person")
    return list(found.values())


class DuplicateDialog(OutreachModal):
    """Offers to open the existing record, to save anyway with a reason, or to go back.

    Dismisses with ("open", record_id), ("save", reason) or None (cancel).
    """

    CSS_PATH = "record_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.form_cancel")]

    def __init__(self, duplicates: list[Duplicate]) -> None:
        super().__init__()
        self.duplicates = duplicates

    def _line(self, dup: Duplicate) -> str:
        place = reference.region_name(dup.region_code) if dup.region_code else None
        parts = [
            dup.full_name,
            form_value("birth_date", dup.birth_date) or "-",
            mask_nik(dup.nik) if dup.nik else "-",
            f"{place or '-'} RW {dup.rw or '-'} RT {dup.rt or '-'}",
            self.t(f"form.dup.same_{dup.reason}"),
        ]
        return " · ".join(parts)

    def compose(self) -> ComposeResult:
        """The candidates, the reason box and the three choices."""
        with Vertical(classes="dialog", id="duplicate-dialog"):
            yield Label(self.t("form.dup.title"), classes="dialog-title")
            yield OptionList(
                *(Option(self._line(d), id=d.record_id) for d in self.duplicates),
                id="duplicates",
            )
            yield Label(self.t("form.dup.reason"), classes="field-label")
            yield Input(id="dup-reason", max_length=200)
            yield Static("", id="dup-reason-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("form.dup.open"), id="dup-open", variant="primary")
                yield Button(self.t("form.dup.save"), id="dup-save", variant="warning")
                yield Button(self.t("form.dup.cancel"), id="dup-cancel")

    def on_mount(self) -> None:
        """Start on the list: opening the existing record is the likely answer."""
        self.query_one("#duplicates", OptionList).highlighted = 0
        self.query_one("#duplicates", OptionList).focus()

    def _chosen(self) -> str:
        options = self.query_one("#duplicates", OptionList)
        index = options.highlighted or 0
        return self.duplicates[index].record_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a candidate opens it."""
        event.stop()
        self.dismiss(("open", event.option.id or self._chosen()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the reason box saves anyway."""
        event.stop()
        self._save_anyway()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The three choices."""
        event.stop()
        if event.button.id == "dup-open":
            self.dismiss(("open", self._chosen()))
        elif event.button.id == "dup-save":
            self._save_anyway()
        else:
            self.dismiss(None)

    def _save_anyway(self) -> None:
        reason = " ".join(self.query_one("#dup-reason", Input).value.split())
        if not reason:
            self.query_one("#dup-reason-error", Static).update(self.t("form.dup.reason_required"))
            self.query_one("#dup-reason", Input).focus()
            return
        self.dismiss(("save", reason))

    def action_cancel(self) -> None:
        """Back to the form, nothing saved."""
        self.dismiss(None)


class DiscardDialog(OutreachModal):
    """Asks before unsaved entries are thrown away; dismisses with True to discard."""

    CSS_PATH = "record_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "keep", "key.form_cancel")]

    def compose(self) -> ComposeResult:
        """The question and two answers (keeping the entries is the default)."""
        with Vertical(classes="dialog", id="discard-dialog"):
            yield Label(self.t("form.discard.title"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("form.discard.no"), id="discard-no", variant="primary")
                yield Button(self.t("form.discard.yes"), id="discard-yes", variant="error")

    def on_mount(self) -> None:
        """Focus "back to the form": a stray Enter must not throw work away."""
        self.query_one("#discard-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Discard or keep."""
        event.stop()
        self.dismiss(event.button.id == "discard-yes")

    def action_keep(self) -> None:
        """Back to the form."""
        self.dismiss(False)
