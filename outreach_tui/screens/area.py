"""The working area: province → kab/kota → kecamatan → desa/kelurahan, then RW and RT.

Each level lists the official regions under the one chosen above it, filtered as the officer
types. At the province level a query of three letters or more also searches every region of
the country by name (a desa is often known by its name only), and picking one fills the
levels above it. New records and visits take the saved area as their default.
"""

from __future__ import annotations

import re
import time
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui.domain.reference import Region, children, get_region, search_regions
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.widgets.footer import KeyFooter

LEVEL_KEYS = (
    "area.level.province",
    "area.level.regency",
    "area.level.district",
    "area.level.village",
)
GLOBAL_SEARCH_MIN = 3  # letters before the whole country is searched (about 90k names)
GLOBAL_SEARCH_LIMIT = 30
HOLD_SECONDS = 1.5  # the longest the keys typed after a search letter wait for its rows
_ADMIN = re.compile(r"^(?:kabupaten administrasi|kota administrasi|kabupaten|kota) ")
_NUMBER = re.compile(r"[0-9]{1,3}")


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").replace("/", " ").split())


def rank(name: str, query: str) -> int | None:
    """0 the name starts with the query, 1 a word does, 2 it is inside; None: no match.

    "Kabupaten"/"Kota" do not count, so "bogor" finds Kabupaten Bogor at once.
    """
    best: int | None = None
    for key in {_fold(name), _ADMIN.sub("", _fold(name))}:
        pos = key.find(query)
        if pos < 0:
            continue
        value = 0 if pos == 0 else 1 if key[pos - 1] == " " else 2
        best = value if best is None else min(best, value)
    return best


def filter_regions(regions: list[Region], query: str) -> list[Region]:
    """The regions whose name matches ``query``, best matches first (all when it is empty)."""
    q = _fold(query)
    if not q:
        return regions
    scored = []
    for i, region in enumerate(regions):
        score = rank(region.name, q)
        if score is not None:
            scored.append((score, i, region))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [region for _, _, region in scored]


def ancestors(code: str) -> list[Region]:
    """The province, kab/kota, kecamatan and desa of a code, as far as the code goes."""
    parts = code.split(".")
    found = [get_region(".".join(parts[: i + 1])) for i in range(len(parts))]
    return [region for region in found if region is not None]


def normalize_number(value: str) -> str | None:
    """An RW or RT typed as 1 to 3 digits, as the three digits the store keeps (None: bad)."""
    value = value.strip()
    if not _NUMBER.fullmatch(value) or int(value) == 0:
        return None
    return f"{int(value):03d}"


class AreaScreen(OutreachScreen):
    """Choose the working area level by level, typing to search at every level."""

    CSS_PATH = "area.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.area_back"),
        Binding("ctrl+s", "save", "key.save"),
        Binding("down", "move(1)", "key.area_next", show=False),
        Binding("up", "move(-1)", "key.area_previous", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.path: list[Region] = []
        self._choices: list[Region] = []

    @property
    def level(self) -> int:
        """How many levels are chosen (4: the desa; then RW and RT)."""
        return len(self.path)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="area-body"):
            yield Static(self._current_line(), id="area-current")
            yield Static("", id="area-path")
            with Vertical(id="area-pick"):
                yield Label("", id="area-level", classes="field-label")
                yield Input(id="area-search", placeholder=self.t("area.search_placeholder"))
                yield OptionList(id="area-options")
            with Vertical(id="area-numbers"):
                with Horizontal(classes="area-number-row"):
                    yield Label(self.t("area.rw"), classes="field-label area-number-label")
                    yield Input(id="area-rw", max_length=3, placeholder=self.t("area.number_hint"))
                yield Static("", id="area-rw-error", classes="field-error")
                with Horizontal(classes="area-number-row"):
                    yield Label(self.t("area.rt"), classes="field-label area-number-label")
                    yield Input(id="area-rt", max_length=3, placeholder=self.t("area.number_hint"))
                yield Static("", id="area-rt-error", classes="field-error")
                yield Static(self.t("area.save_hint"), classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start at the province level."""
        self._show_level()

    # -- levels -------------------------------------------------------------------------------
    def _show_level(self) -> None:
        """Show the list (or the RW/RT boxes) of the current level."""
        self.query_one("#area-path", Static).update(self._path_line())
        picking = self.level < 4
        self.query_one("#area-pick").display = picking
        self.query_one("#area-numbers").display = not picking
        if picking:
            parent = self.path[-1].code if self.path else None
            self._choices = children(parent)
            label = self.t("area.choose", level=self.t(LEVEL_KEYS[self.level]))
            self.query_one("#area-level", Label).update(label)
            search = self.query_one("#area-search", Input)
            search.value = ""
            self._fill([])
            search.focus()
            return
        settings = self.session.settings
        same = settings.area_code == self.path[-1].code
        self.query_one("#area-rw", Input).value = settings.area_rw if same else ""
        self.query_one("#area-rt", Input).value = settings.area_rt if same else ""
        self.query_one("#area-rw", Input).focus()

    def _fill(self, found: list[Region]) -> None:
        """List the matching choices of this level, then regions found country-wide."""
        query = self.query_one("#area-search", Input).value
        options: list[Option] = []
        for region in filter_regions(self._choices, query):
            options.append(Option(self._option_text(region), id=region.code))
        for region in found:
            options.append(Option(f"{region.name} ({region.type}) · {region.path}", id=region.code))
        box = self.query_one("#area-options", OptionList)
        box.set_options(options)
        self._moved = False  # the first Down from the search box stays on the first row
        if options:
            box.highlighted = 0

    def _option_text(self, region: Region) -> str:
        return region.name if region.level < 4 else f"{region.name} ({region.type})"

    @on(Input.Changed, "#area-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill([])
        query = event.value.strip()
        if self.level == 0 and len(query) >= GLOBAL_SEARCH_MIN:
            self._search_country_soon(query)

    @property
    def hold_keys(self) -> bool:
        """Keys typed while the country-wide search runs wait for its rows (typeahead.py), so
        `karad Down Enter` picks from the rows that were meant, never from half a list."""
        return time.monotonic() < getattr(self, "_hold_until", 0.0)

    def _search_country_soon(self, query: str) -> None:
        self._hold_until = time.monotonic() + HOLD_SECONDS
        self._search_country(query)

    @work(thread=True, exclusive=True, group="area-search")
    def _search_country(self, query: str) -> None:
        """Search every region by name (tens of milliseconds: kept off the typing path)."""
        found = [r for r in search_regions(query, limit=GLOBAL_SEARCH_LIMIT) if r.level > 1]
        self.app.call_from_thread(self._found, query, found)

    def _found(self, query: str, found: list[Region]) -> None:
        if self.level == 0 and self.query_one("#area-search", Input).value.strip() == query:
            self._fill(found)
            self._hold_until = 0.0

    @on(Input.Submitted, "#area-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#area-options", OptionList)
        option = box.highlighted_option
        if option is not None and option.id:
            self._choose(option.id)

    @on(OptionList.OptionSelected, "#area-options")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._choose(event.option.id)

    def _choose(self, code: str) -> None:
        """Go one level down (or, for a region found country-wide, to just below it)."""
        self.path = ancestors(code)
        self._show_level()

    def action_move(self, step: int) -> None:
        """Up/down in the search box move through the list."""
        box = self.query_one("#area-options", OptionList)
        if step > 0 and not getattr(self, "_moved", False) and box.option_count:
            box.highlighted = 0  # from the search box into the list: its first row
        elif step > 0:
            box.action_cursor_down()
        else:
            box.action_cursor_up()
        self._moved = True

    def action_back(self) -> None:
        """One level up; at the top, leave without saving."""
        if self.path:
            self.path = self.path[:-1]
            self._show_level()
        else:
            self.dismiss(None)

    # -- RW, RT and saving --------------------------------------------------------------------
    @on(Input.Submitted, "#area-rw")
    def _rw_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#area-rt", Input).focus()

    @on(Input.Submitted, "#area-rt")
    def _rt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check RW and RT, save the area in the settings and go back."""
        if self.level < 4:
            self.query_one("#area-path", Static).update(self.t("area.choose_village_first"))
            return
        values: dict[str, str] = {}
        for name in ("rw", "rt"):
            raw = self.query_one(f"#area-{name}", Input).value
            number = normalize_number(raw)
            error = self.query_one(f"#area-{name}-error", Static)
            if number is None:
                error.update(self.t("area.bad_number", field=self.t(f"area.{name}")))
            else:
                error.update("")
                values[name] = number
        if len(values) < 2:
            return
        desa = self.path[-1]
        self.session.update_settings(
            area_code=desa.code, area_rw=values["rw"], area_rt=values["rt"]
        )
        self.app.notify(self.t("area.saved", area=self._area_words()))
        self.dismiss(desa.code)

    # -- words --------------------------------------------------------------------------------
    def _path_line(self) -> str:
        if not self.path:
            return self.t("area.path_empty")
        return " → ".join(region.name for region in self.path)

    def _current_line(self) -> str:
        settings = self.session.settings
        if not settings.area_code:
            return self.t("area.current_none")
        return self.t("area.current", area=self._area_words())

    def _area_words(self) -> str:
        """The working area in words: desa and its parents, RW and RT (said once)."""
        settings = self.session.settings
        names = [region.name for region in reversed(ancestors(settings.area_code))]
        return self.t(
            "area.words",
            area=", ".join(names) or settings.area_code,
            rw=settings.area_rw or "-",
            rt=settings.area_rt or "-",
        )
