"""Settings (F8): language, theme, sync, target, lock, officer, server, token, passphrase.

Every field is checked before anything is saved; a bad value gets a message under its field
naming the field and the rule, and nothing is written. The device token is a secret: it goes
into the encrypted store, never into the settings file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static

from outreach_tui.config import Settings
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.screens.settings_backup import BackupActions
from outreach_tui.session import Locked
from outreach_tui.vault import VaultDamaged, WrongPassphrase
from outreach_tui.vault.vault import MIN_PASSPHRASE_LENGTH, PassphraseTooShort
from outreach_tui.widgets.backup_panel import BackupPanel
from outreach_tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from outreach_tui.app import OutreachApp


@dataclass(frozen=True)
class NumberField:
    """A whole-number setting and its allowed range."""

    name: str
    low: int
    high: int


NUMBERS: tuple[NumberField, ...] = tuple(
    NumberField(name, low, high)
    for name, low, high in (
        ("sync_interval_minutes", 0, 1440),
        ("monthly_target", 0, 100_000),
        ("lock_after_minutes", 1, 240),
        ("retention_days", 0, 3650),
        ("backup_reminder_hours", 0, 720),
    )
    if name in Settings.model_fields
)
TEXTS: tuple[tuple[str, int], ...] = (("officer_name", 100), ("server_url", 500))
TOKEN_MAX = 500


def check_form(values: dict[str, str], t: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed setting changes from the typed texts, and a message per bad field.

    ``t`` translates a key; messages name the field (as labelled on screen) and the rule.
    """
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for number in NUMBERS:
        raw = values.get(number.name, "").strip()
        field = t(f"settings.field.{number.name}")
        if raw.isdigit() and number.low <= int(raw) <= number.high:
            changes[number.name] = int(raw)
        else:
            errors[number.name] = t(
                "settings.bad_number", field=field, low=number.low, high=number.high
            )
    name = " ".join(values.get("officer_name", "").split())
    if not name:
        errors["officer_name"] = t("settings.required", field=t("settings.field.officer_name"))
    elif len(name) > 100:
        errors["officer_name"] = t(
            "settings.too_long", field=t("settings.field.officer_name"), limit=100
        )
    else:
        changes["officer_name"] = name
    try:
        changes["server_url"] = check_server_url(values.get("server_url", ""))
    except ServerUrlError as exc:
        errors["server_url"] = t(exc.code, field=t("settings.field.server_url"))
    token = values.get("device_token", "").strip()
    if len(token) > TOKEN_MAX or any(ch.isspace() for ch in token):
        errors["device_token"] = t(
            "settings.bad_token", field=t("settings.field.device_token"), limit=TOKEN_MAX
        )
    for choice, allowed in (("language", ("id", "en")), ("theme", ("dark", "light"))):
        value = values.get(choice, "")
        if value in allowed:
            changes[choice] = value
        else:
            errors[choice] = t("settings.bad_choice", field=t(f"settings.field.{choice}"))
    return changes, errors


def _error(name: str) -> Static:
    """The (hidden until needed) message line under a field."""
    error = Static("", id=f"error-{name}", classes="field-error")
    error.display = False
    return error


class SettingsScreen(BackupActions, OutreachScreen):
    """The officer's settings and the passphrase change."""

    CSS_PATH = "settings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("f9", "change_passphrase", "key.settings_passphrase"),
        Binding("escape", "back", "key.back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.session.settings
        yield Header()
        with Horizontal(id="settings-body"):
            with VerticalScroll(id="settings-form", classes="form"):
                yield Label(self.t("settings.title"), classes="dialog-title")
                yield from self._choice(
                    "language",
                    [("Bahasa Indonesia", "id"), ("English", "en")],
                    settings.language,
                )
                yield from self._choice(
                    "theme",
                    [
                        (self.t("settings.theme.dark"), "dark"),
                        (self.t("settings.theme.light"), "light"),
                    ],
                    settings.theme,
                )
                yield from self._field("officer_name", settings.officer_name)
                yield from self._field("server_url", settings.server_url)
                yield from self._field("device_token", self._token(), password=True)
                for number in NUMBERS:
                    yield from self._field(number.name, str(getattr(settings, number.name)))
                yield Static(self.t("settings.save_hint"), classes="hint")
            with Vertical(id="settings-passphrase", classes="form"):
                yield Label(self.t("settings.passphrase_title"), classes="dialog-title")
                for name, key in (
                    ("old", "vault.prompt_old"),
                    ("new", "vault.prompt_new"),
                    ("repeat", "vault.prompt_repeat"),
                ):
                    yield Label(self.t(key), classes="field-label")
                    yield Input(password=True, id=f"passphrase-{name}", max_length=1024)
                yield Button(self.t("settings.passphrase_button"), id="passphrase-change")
                yield Static("", id="passphrase-message", classes="message")
                yield BackupPanel(self.t, str(self.session.paths.data_dir / "backups"))
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start on the first field."""
        self.query_one("#setting-language", Select).focus()

    def _field(self, name: str, value: str, *, password: bool = False) -> ComposeResult:
        yield Label(self.t(f"settings.field.{name}"), classes="field-label")
        yield Input(value, id=f"setting-{name}", password=password)
        yield _error(name)

    def _choice(self, name: str, options: list[tuple[str, str]], value: str) -> ComposeResult:
        yield Label(self.t(f"settings.field.{name}"), classes="field-label")
        yield Select(options, value=value, allow_blank=False, id=f"setting-{name}")
        yield _error(name)

    def _token(self) -> str:
        try:
            return self.session.device_token()
        except Locked:
            return ""

    # -- saving -------------------------------------------------------------------------------
    def form_values(self) -> dict[str, str]:
        """What is typed and chosen on the screen, as text."""
        values: dict[str, str] = {}
        for widget in self.query("#settings-form Input, #settings-form Select"):
            name = (widget.id or "").removeprefix("setting-")
            value = widget.value if isinstance(widget, Input | Select) else ""
            values[name] = "" if value is Select.BLANK else str(value)
        return values

    def action_save(self) -> None:
        """Check every field; save all of them or, on any bad value, none."""
        values = self.form_values()
        changes, errors = check_form(values, self.t)
        for name in [*values, "device_token"]:
            for error in self.query(f"#error-{name}"):
                if isinstance(error, Static):
                    error.update(errors.get(name, ""))
                    error.display = name in errors
        if errors:
            self.notify(self.t("form.fix_errors"), severity="error")
            return
        try:
            self.session.update_settings(**changes)
        except ValidationError as exc:  # a rule of the model the form did not know
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "-"
            self.notify(
                self.t("settings.invalid", field=field, rule=first["msg"]), severity="error"
            )
            return
        token = values.get("device_token", "").strip()
        if token != self._token():
            self.session.set_device_token(token)
        self.notify(self.t("settings.saved"))
        self.dismiss(True)
        cast("OutreachApp", self.app).apply_settings()

    def action_back(self) -> None:
        """Leave without saving."""
        self.dismiss(False)

    # -- passphrase ---------------------------------------------------------------------------
    @on(Button.Pressed, "#passphrase-change")
    def _change_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_change_passphrase()

    @on(Input.Submitted, "#settings-passphrase Input")
    def _passphrase_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "passphrase-repeat":
            self.action_change_passphrase()
        else:
            self.focus_next()

    @on(Input.Submitted, "#settings-form Input")
    def _setting_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_change_passphrase(self) -> None:
        """Check the new passphrase, then re-wrap the data key (slow on purpose: a thread)."""
        old = self.query_one("#passphrase-old", Input).value
        new = self.query_one("#passphrase-new", Input).value
        repeat = self.query_one("#passphrase-repeat", Input).value
        if not old:
            self._passphrase_said(self.t("settings.passphrase_old_missing"), error=True)
        elif len(new) < MIN_PASSPHRASE_LENGTH:
            self._passphrase_said(self.t("vault.too_short", minimum=MIN_PASSPHRASE_LENGTH), True)
        elif new != repeat:
            self._passphrase_said(self.t("settings.passphrase_mismatch"), error=True)
        else:
            self._passphrase_said(self.t("settings.passphrase_working"))
            self.query_one("#passphrase-change", Button).disabled = True
            self._change(old, new)

    @work(thread=True, exclusive=True, group="passphrase")
    def _change(self, old: str, new: str) -> None:
        key, ok = "vault.changed", True
        params: dict[str, Any] = {}
        try:
            self.session.vault.change_passphrase(old, new)
        except WrongPassphrase as exc:
            key, params, ok = "vault.wrong_passphrase", {"failures": exc.failures}, False
        except PassphraseTooShort:
            key, params, ok = "vault.too_short", {"minimum": MIN_PASSPHRASE_LENGTH}, False
        except VaultDamaged:
            key, params, ok = "vault.damaged", {"path": str(self.session.vault.key_file)}, False
        self.app.call_from_thread(self._changed, self.t(key, **params), ok)

    def _changed(self, text: str, ok: bool) -> None:
        self.query_one("#passphrase-change", Button).disabled = False
        self._passphrase_said(text, error=not ok)
        if ok:
            for name in ("old", "new", "repeat"):
                self.query_one(f"#passphrase-{name}", Input).value = ""

    def _passphrase_said(self, text: str, error: bool = False) -> None:
        message = self.query_one("#passphrase-message", Static)
        message.update(text)
        message.set_class(error, "field-error")
