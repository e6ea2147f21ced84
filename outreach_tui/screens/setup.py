"""The first run: who the officer is, where the central API is, and the passphrase."""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static

from outreach_tui.config import Settings
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.slips.keys import ensure_device_key, new_device_id
from outreach_tui.vault import MIN_PASSPHRASE_LENGTH, VaultExists
from outreach_tui.widgets.footer import KeyFooter
from sync.codes import looks_like_code, normalize_code

# (field id, label key, password?)
FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("officer_id", "setup.field.officer_id", False),
    ("officer_name", "setup.field.officer_name", False),
    ("branch", "setup.field.branch", False),
    ("server_url", "setup.field.server_url", False),
    ("device_token", "setup.field.device_token", True),
    ("passphrase", "vault.prompt_new", True),
    ("passphrase2", "vault.prompt_repeat", True),
)
REQUIRED = ("officer_id", "officer_name", "branch", "passphrase", "passphrase2")


def check_setup(values: dict[str, str]) -> dict[str, tuple[str, dict[str, object]]]:
    """Field -> (message key, params) for every rule the first-run answers break.

    A setup code in the token box brings the officer id and branch with it (they may stay
    empty) and needs the server's address; a mistyped one is said before anything is sent."""
    problems: dict[str, tuple[str, dict[str, object]]] = {}
    code = values.get("device_token", "").strip()
    with_code = looks_like_code(code)
    for name in REQUIRED:
        if with_code and name in ("officer_id", "branch"):
            continue
        if not values.get(name, "").strip():
            problems[name] = ("setup.tui.required", {})
    if with_code and normalize_code(code) is None:
        problems["device_token"] = ("server.problem.setup_code_mistyped", {})
    elif with_code and not values.get("server_url", "").strip():
        problems["server_url"] = ("setup.code_needs_server", {})
    try:
        check_server_url(values.get("server_url", ""))
    except ServerUrlError as exc:
        problems["server_url"] = (exc.code, {})
    passphrase = values.get("passphrase", "")
    if passphrase and len(passphrase) < MIN_PASSPHRASE_LENGTH:
        problems["passphrase"] = ("vault.too_short", {"minimum": MIN_PASSPHRASE_LENGTH})
    if "passphrase2" not in problems and values.get("passphrase2", "") != passphrase:
        problems["passphrase2"] = ("setup.tui.mismatch", {})
    return problems


class SetupScreen(OutreachScreen):
    """What `outreach setup` asks, as a form; dismisses with True once the store is open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", "key.save")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup-form", classes="form"):
            yield Label(self.t("setup.tui.title"), classes="dialog-title")
            yield Static(self.t("setup.tui.intro"), classes="hint")
            settings = self.session.settings
            for name, label, secret in FIELDS:
                yield Label(self.t(label), classes="field-label")
                value = str(getattr(settings, name, "") or "") if not secret else ""
                yield Input(value=value, password=secret, id=name, max_length=500)
                yield Static("", id=f"{name}-error", classes="field-error")
            yield Label(self.t("setup.field.language"), classes="field-label")
            yield Select(
                [("Bahasa Indonesia", "id"), ("English", "en")],
                value=settings.language,
                allow_blank=False,
                id="language",
            )
            yield Button(self.t("setup.tui.save"), id="save", variant="primary")
            yield Static("", id="setup-message", classes="message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start at the first empty answer."""
        for name, _label, _secret in FIELDS:
            box = self.query_one(f"#{name}", Input)
            if not box.value:
                box.focus()
                break

    def _values(self) -> dict[str, str]:
        return {name: self.query_one(f"#{name}", Input).value for name, _l, _s in FIELDS}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next answer; on the last one it saves."""
        event.stop()
        if event.input.id == "passphrase2":
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The save button."""
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check every answer, show each problem under its field, then create the data key."""
        values = self._values()
        problems = check_setup(values)
        settings_values = self.session.settings.model_dump()
        with_code = looks_like_code(values["device_token"].strip())
        settings_values.update(
            officer_id=values["officer_id"].strip() or ("-" if with_code else ""),
            officer_name=" ".join(values["officer_name"].split()),
            branch=values["branch"].strip() or ("-" if with_code else ""),
            server_url=values["server_url"].strip(),
            language=str(self.query_one("#language", Select).value),
            device_token="",
        )
        try:
            settings = Settings.model_validate(settings_values)
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else "officer_id"
                problems.setdefault(field, ("setup.tui.invalid", {"rule": error["msg"]}))
            settings = None
        for name, label, _secret in FIELDS:
            key, params = problems.get(name, ("", {}))
            text = self.t(key, **{"field": self.t(label), **params}) if key else ""
            self.query_one(f"#{name}-error", Static).update(text)
        if problems or settings is None:
            self.query_one("#setup-message", Static).update(self.t("form.fix_errors"))
            return
        self.query_one("#save", Button).disabled = True
        self.query_one("#setup-message", Static).update(self.t("unlock.opening"))
        self._create(settings, values["passphrase"], values["device_token"].strip())

    @work(thread=True, exclusive=True, group="setup")
    def _create(self, settings: Settings, passphrase: str, token: str) -> None:
        if looks_like_code(token):
            from sync.client import SyncConfig, SyncError, exchange_setup_code

            config = SyncConfig(settings.server_url, "", retries=1, ca_file=settings.ca_file)
            try:
                device = exchange_setup_code(config, token)
            except SyncError as exc:
                self.app.call_from_thread(self._code_refused, exc.code, exc.detail)
                return
            token = device.token
            settings = settings.model_copy(
                update={"officer_id": device.officer_id, "branch": device.branch}
            )
        try:
            data_key = self.session.create_key(passphrase)
        except VaultExists:
            data_key = self.session.derive_key(passphrase)
        self.app.call_from_thread(self._finish, settings, data_key, token)

    def _code_refused(self, code: str, detail: str) -> None:
        """The setup code was refused (or the server not reached): say why, keep the form."""
        self.query_one("#device_token-error", Static).update(self.t(code, detail=detail))
        self.query_one("#setup-message", Static).update(self.t("form.fix_errors"))
        self.query_one("#save", Button).disabled = False

    def _finish(self, settings: Settings, data_key: bytes, token: str) -> None:
        """In the UI thread: open the store, keep the token in it, save the settings."""
        self.session.open(data_key)
        if token:
            self.session.set_device_token(token)
        self.session.update_settings(**settings.model_dump())
        ensure_device_key(
            self.session.paths, device_id=new_device_id(), data_key=self.session.data_key
        )
        self.dismiss(True)
