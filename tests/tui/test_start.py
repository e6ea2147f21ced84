"""Start of the TUI: first run, unlock, wrong passphrase, idle lock, help, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach_tui.config import load_settings, resolve_paths
from outreach_tui.vault import Vault
from tests.conftest import TEST_PASSPHRASE
from tests.tui.conftest import SIZE, unlock, wait_for

pytestmark = pytest.mark.anyio


async def test_first_run_asks_setup_then_opens_store(make_tui, isolated_home: Path) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SetupScreen"
        answers = {
            "officer_id": "p-007",
            "officer_name": "Budi  Santoso",
            "branch": "KC-SERANG",
            "device_token": "tok-123",
            "passphrase": TEST_PASSPHRASE,
            "passphrase2": TEST_PASSPHRASE,
        }
        for field, value in answers.items():
            app.screen.query_one(f"#{field}").value = value
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.current_mode == "home")
        assert app.session.device_token() == "tok-123"
    paths = resolve_paths({"OUTREACH_HOME": str(isolated_home)})
    settings = load_settings(paths)
    assert (settings.officer_id, settings.officer_name, settings.branch) == (
        "p-007",
        "Budi Santoso",
        "KC-SERANG",
    )
    assert settings.device_token == ""  # the secret lives in the encrypted store only
    assert Vault(paths).unlock(TEST_PASSPHRASE)


async def test_first_run_names_each_broken_answer(make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#officer_id").value = "p-1"
        app.screen.query_one("#server_url").value = "ftp://pusat"
        app.screen.query_one("#passphrase").value = "pendek"
        app.screen.query_one("#passphrase2").value = "lain"
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = {
            name: str(app.screen.query_one(f"#{name}-error").render())
            for name in ("officer_name", "server_url", "passphrase", "passphrase2")
        }
        assert text["officer_name"] == "Wajib diisi."
        assert "http://" in text["server_url"]
        assert "minimal 10 karakter" in text["passphrase"]
        assert "tidak sama" in text["passphrase2"]
        assert not app.session.is_unlocked
        assert not app.session.vault.exists()


async def test_unlock_opens_home(make_tui, ready_home) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.__class__.__name__ == "UnlockScreen"
        assert not app.session.is_unlocked
        await unlock(pilot)
        assert app.session.store.count_records() == 0


async def test_wrong_passphrase_says_so_and_keeps_locked(make_tui, ready_home) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase").value = "salah-sekali-ini"
        await pilot.press("enter")
        message = app.screen.query_one("#unlock-message")
        await wait_for(pilot, lambda: "salah" in str(message.render()))
        assert "Frasa sandi salah (1 kali" in str(message.render())
        assert not app.session.is_unlocked
        assert app.screen.query_one("#passphrase").value == ""


async def test_idle_timeout_locks_and_unlock_returns(make_tui, ready_home) -> None:
    now = [1000.0]
    app = make_tui(clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        now[0] += app.session.settings.lock_after_minutes * 60 - 5
        app.check_idle_lock()
        assert app.session.is_unlocked
        now[0] += 10
        app.check_idle_lock()
        await pilot.pause()
        assert not app.session.is_unlocked
        assert app.screen.__class__.__name__ == "UnlockScreen"
        await pilot.press("f3")  # navigation does nothing while locked
        assert app.screen.__class__.__name__ == "UnlockScreen"
        app.screen.query_one("#passphrase").value = TEST_PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.is_unlocked)
        await pilot.pause()
        assert app.current_mode == "home"
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_help_lists_translated_keys(make_tui, ready_home) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        markdown = app.screen._text()
        assert "Tombol di semua layar" in markdown
        assert "| `F4` | Orang baru |" in markdown
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_english_setting_translates_footer(make_tui, ready_home, monkeypatch) -> None:
    monkeypatch.setenv("OUTREACH_LANG", "en")
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert "New person" in descriptions
        assert "Orang baru" not in descriptions


async def test_command_palette_offers_the_main_actions_in_indonesian(make_tui, ready_home) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "Laporan":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_mode == "reports")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Daftar orang", "Orang baru", "Sinkronisasi", "Kunci layar"} <= set(titles)
