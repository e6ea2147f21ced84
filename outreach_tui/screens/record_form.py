"""The record form: a new person or an edit, checked as it is typed, never lost.

Every change runs the domain's `validate_record` (tens of microseconds) and shows each problem
under its field; the NIK fills birth date and sex; the calculator follows the inputs. Unsaved
entries are kept as a draft in the encrypted store (`draft.form`, or `draft.form.<id>` for an
edit), written a second after the last change and when the screen closes, so a flat battery
loses at most that second. A new person may be enrolled (NIK and consent, checked by the same
rules) or recorded as declining (with a reason; "lainnya" needs the reason in words, kept in the
notes) right here, and the save offers the next step at that door (`NextStepDialog`). An edit
keeps the stored status: status changes of a stored record live on the detail screen.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static, Switch

from outreach_tui import messages
from outreach_tui.domain import codes, reference
from outreach_tui.domain.consent import consent_text
from outreach_tui.domain.contributions import Contribution, calculate
from outreach_tui.domain.nik import parse_nik
from outreach_tui.domain.record import MAX_NOTES_LENGTH, RECORD_FIELDS, Validation, validate_record
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.screens.duplicate_dialog import DiscardDialog, DuplicateDialog, find_duplicates
from outreach_tui.screens.form_draft import FormDraft
from outreach_tui.store import StaleVersionError
from outreach_tui.widgets.contribution import ContributionPanel
from outreach_tui.widgets.field import FormField, form_value, record_control
from outreach_tui.widgets.footer import KeyFooter

PERSON = ("full_name", "nik", "birth_date", "sex", "phone", "occupation", "monthly_income")
PERSON_MORE = ("follow_up_on", "notes")
PLACE = ("region_code", "rw", "rt", "street")
PROGRAMS = ("programs", "payment_period")
STATUS = ("status", "decline_reason", "decline_other")  # decline_other: the form's own
FORM_FIELDS = (*PERSON, *PERSON_MORE, *STATUS, "consent", *PLACE, *PROGRAMS)  # screen order
HOUSEHOLD = PLACE  # what "save and next" keeps for the next person of the same house
IDENTITY = ("full_name", "nik", "birth_date", "region_code")  # an edit of these is re-checked
DRAFT_DELAY = 1.0  # seconds after the last change before the draft is written
NEW_STATUSES = codes.LOCAL_STATUSES
OTHER_REASON = "lainnya"  # the decline reason that needs words


class RecordFormScreen(FormDraft, OutreachScreen):
    """Enter or change one person; ctrl+s saves, ctrl+n saves and starts the next person."""

    CSS_PATH = "record_form.tcss"
    # The name field has focus from the first moment, so keys typed right after F4 land there.
    AUTO_FOCUS = "#full_name"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("ctrl+n", "save(True)", "key.form_save_next"),
        Binding("f9", "toggle_consent", "key.form_consent"),
        Binding("escape", "leave", "key.back"),
        # Priority: handled before the Input's own Enter, so focus moves before the next key.
        Binding("enter", "next_field", "key.form_next_field", show=False, priority=True),
    ]

    def __init__(
        self,
        record_id: str | None = None,
        defaults: dict[str, Any] | None = None,
        *,
        spare: bool = False,
    ):
        super().__init__()
        self.spare = spare  # built ahead, not shown yet: see `take`
        self.record_id = record_id
        self.defaults = dict(defaults or {})
        self.stored: dict[str, Any] | None = None
        self.version: int | None = None
        self.initial: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        self.validation: Validation | None = None
        self.touched: set[str] = set()
        self.from_nik: dict[str, str] = {}
        self.show_all = False
        self.elsewhere: list[str] = []  # problems of fields the form does not show
        self.built_lang = ""
        self.laid_out = False
        self.done = spare  # saved or discarded (or not shown yet): no draft is written
        self._draft_timer: Timer | None = None

    # -- building ---------------------------------------------------------------------------
    def _load(self) -> None:
        """The stored record (edit) or the working area and defaults (new) as form values."""
        if self.record_id is not None:
            self.stored = self.session.store.get_record(self.record_id)
        if self.stored is not None:
            self.version = int(self.stored["version"])
            source = self.stored
        else:
            s = self.session.settings
            source = {"region_code": s.area_code, "rw": s.area_rw, "rt": s.area_rt}
            source |= {"programs": codes.DEFAULT_PROGRAMS, "payment_period": 1}
            source |= {"status": codes.DEFAULT_STATUS, **self.defaults}
        self.initial = {name: form_value(name, source.get(name)) for name in FORM_FIELDS}
        self.values = dict(self.initial)

    def _field(self, name: str) -> FormField:
        control = record_control(name, self.values[name], self.t, statuses=NEW_STATUSES)
        return FormField(name, self.t(f"label.field.{name}"), control)

    def _show_decline(self) -> None:
        """The reason shows once `declined` is chosen, its words once the reason is "lainnya"."""
        if self.stored is not None:
            return
        declined = self.values.get("status") == "declined"
        self.query_one("#decline_reason-field").display = declined
        other = declined and self.values.get("decline_reason") == OTHER_REASON
        self.query_one("#decline_other-field").display = other

    def compose(self) -> ComposeResult:
        """Person left; address, programs, calculator and consent right; buttons below."""
        if self.initial:  # recomposed (language changed): keep what was typed
            self.call_after_refresh(self._refresh)
        else:
            self._load()
        self.built_lang = self.session.lang
        name = self.stored["full_name"] if self.stored else ""
        title = self.t("form.title.edit", name=name) if self.stored else self.t("form.title.new")
        retention = getattr(self.session.settings, "retention_days", 30)
        yield Header()
        with VerticalScroll(id="form-body"):
            yield Static(title, id="form-title", classes="dialog-title")
            with Horizontal(id="form-columns"):
                with Vertical(id="col-person", classes="form-column"):
                    yield Label(self.t("form.section.person"), classes="section-title")
                    for field in (*PERSON, *PERSON_MORE):
                        yield self._field(field)
                    if self.stored is None:
                        yield self._field("status")
                        yield Static(self.t("form.status_new_hint"), classes="hint")
                        yield self._field("decline_reason")
                        yield self._field("decline_other")
                    else:
                        status = self.t(f"label.status.{self.stored['status']}")
                        yield Static(self.t("form.status_kept", status=status), classes="hint")
                    yield Label(self.t("form.section.consent"), classes="section-title")
                    with VerticalScroll(id="consent-box"):
                        yield Static(consent_text(self.session.lang, retention_days=retention))
                    yield self._field("consent")
                with Vertical(id="col-place", classes="form-column"):
                    yield Label(self.t("form.section.place"), classes="section-title")
                    for field in PLACE:
                        yield self._field(field)
                    yield Label(self.t("form.section.programs"), classes="section-title")
                    for field in PROGRAMS:
                        yield self._field(field)
                    panel = ContributionPanel(id="calculator")
                    panel.lang = self.session.lang
                    yield panel
            yield Static("", id="form-message", classes="message")
            with Horizontal(id="form-buttons"):
                yield Button(self.t("form.save_button"), id="save", variant="primary")
                yield Button(self.t("form.save_next_button"), id="save-next")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Restore a draft left by an earlier run and show the first check (AUTO_FOCUS: name).
        A spare form does that when it is taken."""
        if self.spare:
            return
        if self.record_id is not None and self.stored is None:
            self._say("form.gone", error=True)
        self.restore_draft()
        self._refresh()

    @property
    def ready(self) -> bool:
        """A spare form with every control mounted, in the officer's language: `take` it."""
        return (
            self.spare
            and self.is_mounted
            and self.built_lang == self.session.lang
            and bool(self.query("#program-JHT"))
            and bool(self.query("#save-next"))
        )

    def lay_out(self, size: Any) -> None:
        """Lay the spare form out for the app's size (its width classes included) while it is
        off screen, so that showing it is only painting it."""
        self._refresh_layout(size)
        self.laid_out = True

    def take(self, defaults: dict[str, Any] | None = None) -> RecordFormScreen:
        """Make a spare form (built ahead at idle by the app, with no values of anyone) the
        new-person form, as `__init__` + `on_mount` would: the working area and defaults of
        now, an earlier draft restored, the first check shown. Only its widgets were built
        ahead: the values are read when it is taken."""
        self.spare = self.done = False
        self.defaults = dict(defaults or {})
        self._load()
        self._apply(self.values)
        self.restore_draft()
        self._refresh()
        return self

    # -- reading and writing the controls ---------------------------------------------------
    def _read(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in FORM_FIELDS:
            if name == "programs":
                jht = self.query_one("#program-JHT", Checkbox).value
                values[name] = "JKK,JKM,JHT" if jht else codes.DEFAULT_PROGRAMS
                if not jht and not self.initial["programs"] and "programs" not in self.touched:
                    values[name] = ""  # a stored record without programs keeps none
            elif name == "consent":
                values[name] = self.query_one("#consent", Switch).value
            elif name in STATUS and self.stored is not None:
                values[name] = self.initial[name]
            else:
                widget = self.query_one(f"#{name}")
                value = widget.value if isinstance(widget, Input | Select) else ""
                values[name] = "" if value is Select.NULL else str(value)
        return values

    def _set(self, name: str, value: Any) -> None:
        """Put a value in a control without it counting as typing (no Changed message)."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, Switch.Changed):
            if name == "programs":
                self.query_one("#program-JHT", Checkbox).value = "JHT" in str(value)
            elif name == "consent":
                self.query_one("#consent", Switch).value = bool(value)
            elif name in STATUS and self.stored is not None:
                return
            else:
                widget = self.query_one(f"#{name}")
                if isinstance(widget, Select):
                    widget.value = value or Select.NULL
                elif isinstance(widget, Input):
                    widget.value = str(value or "")

    def _apply(self, values: dict[str, Any]) -> None:
        for name in FORM_FIELDS:
            if name in values:
                self._set(name, values[name])

    # -- checking as the officer types ------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """Any typing: re-check (the NIK first fills what it knows)."""
        self._changed(event.input.id or "")

    def on_select_changed(self, event: Select.Changed) -> None:
        """A choice made: re-check."""
        self._changed(event.select.id or "")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """JHT on or off: re-check (the calculator follows)."""
        self.touched.add("programs")
        self._changed("programs")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """Consent given or withdrawn: re-check (the NIK needs it)."""
        self._changed("consent")

    def action_next_field(self) -> None:
        """Enter in a text box moves to the next field, as Tab does (elsewhere Enter is Enter)."""
        if not isinstance(self.focused, Input):
            raise SkipAction()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The save buttons (the same as ctrl+s and ctrl+n)."""
        event.stop()
        self.action_save(event.button.id == "save-next")

    def _changed(self, name: str) -> None:
        if name == "nik":
            self._fill_from_nik()
        self._refresh()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.write_draft)

    def _parse_nik(self) -> tuple[dict[str, str], str]:
        """What a valid NIK in the form says: birth date and sex, and where it was issued."""
        text = self.query_one("#nik", Input).value
        parsed = parse_nik(text, today=self.session.today()) if text.strip() else None
        if parsed is None or not parsed.ok or not parsed.birth_date or not parsed.sex:
            return {}, ""
        derived = {"birth_date": parsed.birth_date.strftime("%d/%m/%Y"), "sex": parsed.sex}
        names = [parsed.district_name, parsed.regency_name, parsed.province_name]
        return derived, self.t("form.nik_region", region=", ".join(n for n in names if n))

    def _fill_from_nik(self) -> None:
        """Birth date and sex from a valid NIK, where empty or filled from the NIK before.

        A NIK cleared or mistyped takes nothing away: the birth date and sex the officer sees
        stay, and the NIK's own check says what is wrong with it.
        """
        derived, _ = self._parse_nik()
        if not derived:
            return
        current = self._read()
        for name in ("birth_date", "sex"):
            if current[name] in ("", self.from_nik.get(name)):
                self._set(name, derived[name])
        self.from_nik = derived

    def _refresh(self) -> None:
        """Validate what the form holds now and show the result everywhere."""
        self.values = values = self._read()
        self.touched.update(n for n in FORM_FIELDS if values[n] != self.initial[n])
        self.validation = check = validate_record(
            self._raw(values), today=self.session.today(), previous=self.stored
        )
        lang = self.session.lang
        shown = {f.field_name: f for f in self.query(FormField)}
        errors: dict[str, list[str]] = {}
        warnings: dict[str, list[str]] = {}
        for problems, into in ((check.errors, errors), (check.warnings, warnings)):
            for p in problems:
                into.setdefault(p.field, []).append(p.message(lang))
        elsewhere = []
        for name, field in shown.items():
            visible = self.show_all or name in self.touched
            field.show_problems(
                errors.get(name, []) if visible else [], warnings.get(name, []) if visible else []
            )
        for name, texts in errors.items():
            if name not in shown and self.show_all:
                label = self.t(f"label.field.{name}")
                elsewhere += [self.t("form.other_problem", field=label, message=m) for m in texts]
        self.elsewhere = elsewhere
        self._say_lines(elsewhere)
        self.query_one("#nik-field", FormField).show_hint(self._parse_nik()[1])
        region = reference.normalize_region_code(values["region_code"])
        place = reference.get_region(region) if region else None
        self.query_one("#region_code-field", FormField).show_hint(place.path if place else "")
        self.query_one(ContributionPanel).result = self._calculate(check.record)
        self._show_decline()
        if self._other_missing(values) and (self.show_all or "decline_other" in self.touched):
            other = self.query_one("#decline_other-field", FormField)
            other.show_problems([self.t("form.decline_other.required")], [])

    def _other_missing(self, values: dict[str, Any]) -> bool:
        """A new person declining for "lainnya" without the reason in words."""
        return (
            self.stored is None
            and values.get("status") == "declined"
            and values.get("decline_reason") == OTHER_REASON
            and not str(values.get("decline_other") or "").strip()
        )

    def _raw(self, values: dict[str, Any]) -> dict[str, Any]:
        raw: dict[str, Any] = {k: self.stored.get(k) for k in RECORD_FIELDS} if self.stored else {}
        raw.update(values)
        raw.pop("decline_other", None)
        if values.get("status") != "declined":
            raw["decline_reason"] = None  # a reason picked, then another status: not kept
        raw["id"] = self.record_id if self.stored is not None else None
        return raw

    def _calculate(self, record: dict[str, Any]) -> Contribution | None:
        try:
            return calculate(
                record["monthly_income"],
                record["programs"] or codes.DEFAULT_PROGRAMS,
                record["payment_period"] or 1,
                record["occupation"],
                on=self.session.today(),
            )
        except (LookupError, ValueError):
            return None

    def _say(self, key: str, *, error: bool = False, **params: Any) -> None:
        message = self.query_one("#form-message", Static)
        message.update(self.t(key, **params))
        message.set_class(error, "field-error")

    def _say_lines(self, lines: list[str]) -> None:
        message = self.query_one("#form-message", Static)
        message.update("\n".join(lines))
        message.set_class(bool(lines), "field-error")

    # -- saving and leaving -----------------------------------------------------------------
    def action_save(self, next_person: bool = False) -> None:
        """Check everything; on errors say so and go to the first bad field; else save."""
        self.show_all = True
        self._refresh()
        check = self.validation
        assert check is not None
        missing_other = self._other_missing(self.values)
        if not check.ok or missing_other:
            self._say_lines([self.t("form.fix_errors"), *self.elsewhere])
            bad = {p.field for p in check.errors} | ({"decline_other"} if missing_other else set())
            for name in FORM_FIELDS:
                if name in bad:
                    target = self.query(f"#{name}-field").first(FormField).control
                    (target.query("Checkbox").first() if name == "programs" else target).focus()
                    break
            return
        record = dict(check.record)
        other = str(self.values.get("decline_other") or "").strip()
        if self.stored is None and record.get("decline_reason") == OTHER_REASON and other:
            said = f"{self.t('form.decline_other.note')} {other}"
            notes = f"{record['notes']} | {said}" if record.get("notes") else said
            record["notes"] = notes[:MAX_NOTES_LENGTH]
        changed = self.stored is None or any(record[k] != self.stored.get(k) for k in IDENTITY)
        dups = find_duplicates(self.session.store, record, exclude_id=self.record_id)
        if changed and dups:
            self.app.push_screen(
                DuplicateDialog(dups),
                lambda answer: self._answered(answer, record, dups[0].record_id, next_person),
            )
            return
        self._commit(record, next_person)

    def _answered(
        self, answer: Any, record: dict[str, Any], similar_to: str, next_person: bool
    ) -> None:
        """What the officer chose in the duplicate dialog."""
        if not answer:
            return
        kind, value = answer
        if kind == "open":
            self._forget_draft()
            self.app.post_message(messages.OpenRecord(value))
            self.dismiss()
            return
        note = self.t("form.dup.note", id=similar_to[:8], reason=value)
        notes = f"{record['notes']} | {note}" if record.get("notes") else note
        record["notes"] = notes[:MAX_NOTES_LENGTH]
        self._commit(record, next_person)

    def _commit(self, record: dict[str, Any], next_person: bool) -> None:
        store, officer = self.session.store, self.session.officer_id
        if self.stored is not None:
            record["kpj_number"] = self.stored.get("kpj_number")  # set centrally, never here
        try:
            saved = store.save_record(
                record,
                actor=officer,
                officer_id=officer if self.stored is None else None,
                expected_version=self.version,
            )
        except StaleVersionError:
            self.write_draft()
            self._say("form.stale", error=True)
            return
        self._forget_draft()
        self.app.post_message(messages.RecordsChanged((saved.id,)))
        household = {k: record[k] for k in HOUSEHOLD if record.get(k)}
        if next_person:
            self.notify(self.t("form.saved", name=record["full_name"]))
            self.app.post_message(messages.NewRecord(household))
        self.dismiss()
        if self.stored is None and not next_person:
            from outreach_tui.screens.next_step_dialog import offer_next_step

            offer_next_step(self.app, saved.id, record, household)

    def action_toggle_consent(self) -> None:
        """F9: record (or withdraw) consent after reading the text aloud, from any field."""
        self.query_one("#consent", Switch).toggle()

    def action_leave(self) -> None:
        """Escape: close, asking first when there are unsaved entries."""
        if self.values == self.initial:
            self._forget_draft()
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._forget_draft()
                self.dismiss()

        self.app.push_screen(DiscardDialog(), answered)
