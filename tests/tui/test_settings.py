"""Settings: language and theme switch at once, bad values are named, the passphrase changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from outreach_tui.config import load_settings, resolve_paths
from outreach_tui.screens.home import HomeScreen
from outreach_tui.screens.settings import SettingsScreen, check_form
from outreach_tui.themes import theme_name
from outreach_tui.vault import Vault, WrongPassphrase
from tests.conftest import TEST_PASSPHRASE, unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for

pytestmark = pytest.mark.anyio
NEW_PASSPHRASE = "frasa-sandi-baru-2026"


def on_disk(home: Path) -> Any:
    return load_settings(resolve_paths({"OUTREACH_HOME": str(home)}))


async def open_settings(pilot: Any) -> SettingsScreen:
    await unlock(pilot)
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


def fill(screen: SettingsScreen, **values: str) -> None:
    for name, value in values.items():
        widget = screen.query_one(f"#setting-{name}")
        assert isinstance(widget, Input | Select)
        widget.value = value


async def test_english_light_and_new_values_are_saved_and_shown(ready_home: Path, make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        fill(
            screen,
            language="en",
            theme="light",
            monthly_target="55",
            sync_interval_minutes="0",
            lock_after_minutes="15",
            officer_name="  Dewi   Lestari Putri ",
            server_url="https://pusat.example.id/",
            device_token="tok-baru-123",
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert app.theme == theme_name("light")
        # The footer and the home screen speak English now.
        home = app.screen
        assert home._bindings.key_to_bindings["ctrl+r"][0].description == "Recount"
        await wait_for(pilot, lambda: home.query_one("#card-met").label == "Met today")
        assert app.session.device_token() == "tok-baru-123"
    settings = on_disk(ready_home)
    assert (settings.language, settings.theme) == ("en", "light")
    assert (settings.monthly_target, settings.sync_interval_minutes) == (55, 0)
    assert settings.lock_after_minutes == 15
    assert settings.officer_name == "Dewi Lestari Putri"
    assert settings.server_url == "https://pusat.example.id"
    assert settings.device_token == ""  # the token lives in the encrypted store only
    with unlocked_store(ready_home) as store:
        assert store.get_meta("secret.device_token") == "tok-baru-123"


async def test_bad_values_are_named_and_nothing_is_saved(ready_home: Path, make_tui) -> None:
    before = on_disk(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        fill(
            screen,
            language="en",
            monthly_target="-5",
            lock_after_minutes="0",
            server_url="ftp://pusat",
            officer_name="   ",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)

        def error(name: str) -> str:
            return str(screen.query_one(f"#error-{name}", Static).render())

        assert error("monthly_target") == (
            "Target pendaftaran per bulan: harus bilangan bulat dari 0 sampai 100000."
        )
        assert error("lock_after_minutes") == (
            "Kunci layar setelah diam (menit): harus bilangan bulat dari 1 sampai 240."
        )
        assert error("server_url").startswith(
            "Alamat server pusat: alamat server harus diawali https://"
        )
        assert error("officer_name") == "Nama petugas: wajib diisi."
        assert error("sync_interval_minutes") == ""
    assert on_disk(ready_home) == before


async def test_passphrase_change_and_wrong_old_passphrase(ready_home: Path, make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        message = screen.query_one("#passphrase-message", Static)

        async def change(old: str, new: str, repeat: str) -> str:
            for name, value in (("old", old), ("new", new), ("repeat", repeat)):
                screen.query_one(f"#passphrase-{name}", Input).value = value
            await pilot.press("f9")
            await wait_for(pilot, lambda: "…" not in str(message.render()))
            return str(message.render())

        text = await change(TEST_PASSPHRASE, NEW_PASSPHRASE, "frasa-lain-sekali")
        assert text == "Ulangan frasa sandi baru tidak sama dengan frasa sandi baru."
        text = await change(TEST_PASSPHRASE, "pendek", "pendek")
        assert text == "Frasa sandi terlalu pendek: minimal 10 karakter."
        text = await change("salah-frasa-sandi", NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert text.startswith("Frasa sandi salah (1 kali berturut-turut).")
        text = await change(TEST_PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert text.startswith("Frasa sandi diganti.")
        assert screen.query_one("#passphrase-old", Input).value == ""
    vault = Vault(resolve_paths({"OUTREACH_HOME": str(ready_home)}))
    assert vault.unlock(NEW_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        vault.unlock(TEST_PASSPHRASE)


def test_check_form_types_the_values() -> None:
    values = {
        "language": "id",
        "theme": "dark",
        "officer_name": "Dewi",
        "server_url": "",
        "device_token": "",
        "sync_interval_minutes": "10",
        "monthly_target": "40",
        "lock_after_minutes": "10",
        "retention_days": "30",
        "backup_reminder_hours": "24",
    }
    changes, errors = check_form(values, lambda key, **params: key)
    assert errors == {}
    assert changes["monthly_target"] == 40 and changes["server_url"] == ""
    _, errors = check_form({**values, "device_token": "a b", "theme": "blue"}, lambda k, **p: k)
    assert set(errors) == {"device_token", "theme"}


async def test_plain_http_beyond_loopback_is_refused(ready_home: Path, make_tui) -> None:
    """The settings screen never saves a server that would get people's data unencrypted."""
    before = on_disk(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        fill(screen, server_url="http://203.0.113.7:8000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        message = str(screen.query_one("#error-server_url", Static).render())
        assert message.startswith("Alamat server pusat: data peserta tidak boleh dikirim tanpa")
        assert "https://" in message
    assert on_disk(ready_home) == before
