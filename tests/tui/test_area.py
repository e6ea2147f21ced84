"""The working area: typed search at every level, RW/RT rules, saved in the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from outreach_tui.config import load_settings, resolve_paths
from outreach_tui.domain.reference import children
from outreach_tui.screens.area import AreaScreen, filter_regions, normalize_number
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_home import type_text

pytestmark = pytest.mark.anyio


def saved(home: Path) -> tuple[str, str, str]:
    settings = load_settings(resolve_paths({"OUTREACH_HOME": str(home)}))
    return settings.area_code, settings.area_rw, settings.area_rt


def first_option(app: Any) -> str | None:
    option = app.screen.query_one("#area-options", OptionList).highlighted_option
    return option.id if option else None


async def open_area(pilot: Any) -> None:
    await unlock(pilot)
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AreaScreen))


async def give_rw_rt(pilot: Any, rw: str, rt: str, last_key: str) -> None:
    """Type RW, Enter, RT, then save with ``last_key`` and wait for the screen to close."""
    await type_text(pilot, rw)
    await pilot.press("enter")
    await type_text(pilot, rt)
    await pilot.press(last_key)
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, AreaScreen))


async def test_area_chosen_by_typing_at_every_level_is_saved(ready_home: Path, make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await open_area(pilot)
        for typed, code in (
            ("jawa barat", "32"),
            ("bogor", "32.01"),  # Kabupaten Bogor before Kota Bogor
            ("cibinong", "32.01.01"),
            ("pakan", "32.01.01.1007"),  # Pakansari
        ):
            await type_text(pilot, typed)
            await pilot.pause()
            assert first_option(app) == code
            await pilot.press("enter")
            await pilot.pause()
        assert [r.code for r in app.screen.path][-1] == "32.01.01.1007"
        assert app.screen.query_one("#area-rw", Input).has_focus
        await give_rw_rt(pilot, "3", "12", "enter")
    assert saved(ready_home) == ("32.01.01.1007", "003", "012")


async def test_bad_rt_shows_the_rule_and_nothing_is_saved(ready_home: Path, make_tui) -> None:
    before = saved(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await open_area(pilot)
        for typed in ("jawa barat", "bogor", "cibinong", "tengah"):
            await type_text(pilot, typed)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        await type_text(pilot, "1")
        await pilot.press("enter")
        await type_text(pilot, "1a")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#area-rt-error", Static).render())
        assert error == "RT harus berupa 1 sampai 3 angka dan bukan 0 (misalnya 3 atau 003)."
        assert str(app.screen.query_one("#area-rw-error", Static).render()) == ""
        assert isinstance(app.screen, AreaScreen)
        # Escape goes back a level at a time, then leaves without saving.
        for _ in range(5):
            await pilot.press("escape")
            await pilot.pause()
        assert not isinstance(app.screen, AreaScreen)
    assert saved(ready_home) == before


async def test_a_desa_found_by_name_across_the_country(ready_home: Path, make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await open_area(pilot)
        await type_text(pilot, "pakansari")
        options = app.screen.query_one("#area-options", OptionList)
        await wait_for(
            pilot,
            lambda: any(
                options.get_option_at_index(i).id == "32.01.01.1007"
                for i in range(options.option_count)
            ),
        )
        assert first_option(app) == "32.01.01.1007"
        await pilot.press("enter")
        await pilot.pause()
        assert [r.name for r in app.screen.path] == [
            "Jawa Barat",
            "Kabupaten Bogor",
            "Cibinong",
            "Pakansari",
        ]
        await give_rw_rt(pilot, "7", "001", "ctrl+s")
    assert saved(ready_home) == ("32.01.01.1007", "007", "001")


def test_filter_and_numbers() -> None:
    regencies = children("32")
    names = [r.name for r in filter_regions(regencies, "bogor")]
    assert names[:2] == ["Kabupaten Bogor", "Kota Bogor"]
    assert filter_regions(regencies, "") == regencies
    assert [normalize_number(v) for v in ("3", "03", "003", " 12 ")] == ["003"] * 3 + ["012"]
    assert [normalize_number(v) for v in ("", "0", "000", "1234", "1a", "-1")] == [None] * 6
